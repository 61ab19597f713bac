// The wiring every service shares, done once: open and migrate its database, build its policy
// enforcer, its HTTP server with its error renderer and the auth hook, then let the service
// add its managers and routes; listen and close; start and stop its periodic tasks.

import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { KeystoneSession, KeystoneTokenValidator, RevocationListener, installAuthHook } from '../auth/index.js';
import type { TokenValidator } from '../auth/index.js';
import type { Config } from '../config/index.js';
import { BadRequest, Unauthorized } from '../errors/index.js';
import { migrateDatabase, openDatabase } from '../db/index.js';
import type { Database } from '../db/index.js';
import { createHttpServer } from '../http/index.js';
import { PeriodicTasks } from '../periodic/index.js';
import { Enforcer, loadPolicyFile } from '../policy/index.js';
import { PortInUse } from './port-check.js';
import type {
  IdentityAccess, RunningService, ServiceDefinition, ServiceEnvironment, ServiceOptionGroup, ServiceParts, ServiceSettings,
  ServiceSpec, ServiceUserSettings, TypedServiceEnvironment,
} from './service-definition.js';
import type { ConfigValues } from '../config/index.js';

/** The database URL of a service: `[name] connection`, else `<data dir>/<name>.db`. */
export function serviceConnection(name: string, connection: string | undefined, dataDir: string): string {
  return connection ?? `sqlite:///${join(dataDir, `${name}.db`)}`;
}

function serviceUserOf(declared: ServiceUserSettings | undefined, environment: ServiceEnvironment): ServiceUserSettings | undefined {
  if (!declared) return undefined;
  return {
    ...declared,
    authUrl: environment.identity?.authUrl ?? declared.authUrl,
    password: environment.identity?.servicePassword ?? declared.password,
  };
}

function identityAccess(name: string, user: ServiceUserSettings | undefined): IdentityAccess | undefined {
  if (!user) return undefined;
  if (!user.authUrl || !user.password) {
    throw new BadRequest(`[${name}] auth_url and service_password must be set for the ${name} service to validate tokens with the identity service`);
  }
  const session = new KeystoneSession({ authUrl: user.authUrl, username: user.username, password: user.password, projectName: user.projectName });
  return { authUrl: session.authUrl, session };
}

async function buildEnforcer<G extends ServiceOptionGroup, Tables, Api>(spec: ServiceSpec<G, Tables, Api>, config: ConfigValues<G>, logger: ServiceEnvironment['logger']): Promise<Enforcer> {
  const enforcer = new Enforcer({
    defaults: spec.policies,
    ...(config.policy_file ? { overrides: await loadPolicyFile(config.policy_file) } : {}),
    ...(spec.enforcerOptions?.(config) ?? { enforceScope: false }),
  });
  for (const problem of enforcer.problems) logger.error(`policy rule ${problem.rule} (${problem.source}): ${problem.message}`);
  return enforcer;
}

function describeMigrations(applied: readonly string[], total: number): string {
  if (applied.length === 0) return 'database is up to date';
  if (applied.length === total) return `database created (${total} migrations)`;
  return `database migrated (${applied.join(', ')})`;
}

/**
 * Starts one service from its typed declaration: the database is opened and migrated, the
 * enforcer, HTTP server and auth hook built, then `spec.create` adds the rest. Nothing listens
 * yet. On failure everything opened so far is closed again.
 * @throws BadRequest when a service with a service user has no auth_url or password.
 */
export async function startService<G extends ServiceOptionGroup, Tables, Api>(
  spec: ServiceSpec<G, Tables, Api>,
  environment: TypedServiceEnvironment<G>,
): Promise<RunningService<Api>> {
  const { config, logger } = environment;
  const progress = (message: string): void => environment.progress?.(message);
  const clock = environment.clock ?? (() => new Date());
  const identity = environment.validator ? undefined : identityAccess(spec.name, serviceUserOf(spec.serviceUser?.(config), environment));
  const database: Database<Tables> = openDatabase<Tables>(serviceConnection(spec.name, config.connection, environment.dataDir));
  let app: FastifyInstance | undefined;
  let revocations: RevocationListener | undefined;
  try {
    const appliedMigrations = await migrateDatabase(database, spec.name, spec.migrations);
    progress(describeMigrations(appliedMigrations, spec.migrations.length));
    const enforcer = await buildEnforcer(spec, config, logger);
    app = createHttpServer({ logger, renderError: spec.renderError, ignoreTrailingSlash: spec.ignoreTrailingSlash ?? true });

    // The hook goes in before `create` adds routes; the validator it calls is only known after.
    let validator: TokenValidator | undefined = environment.validator ?? (identity ? new KeystoneTokenValidator({ session: identity.session }) : undefined);
    const tokenCache = installAuthHook(app, {
      validator: {
        validate: async (token, signal) => {
          if (!validator) throw new Unauthorized();
          return validator.validate(token, signal);
        },
      },
      cacheTtlMs: config.token_cache_seconds * 1000,
      isPublic: (request) => spec.isPublic(request),
      // Application-credential access rules name services by catalog type.
      serviceType: spec.catalog.type,
    });
    // Identity's revocations on the bus drop the matching cached tokens at once, in every
    // service; without a bus the cache's TTL is the fallback.
    revocations = new RevocationListener({ transport: environment.transport, cache: tokenCache, logger });
    await revocations.start();
    const parts: ServiceParts<Api> = await spec.create({
      name: spec.name, dataDir: environment.dataDir, config, logger, transport: environment.transport, clock,
      database, enforcer, app, tokenCache, identity, progress,
    });
    if (!environment.validator && parts.tokenValidator) validator = parts.tokenValidator;
    if (!validator) throw new BadRequest(`the ${spec.name} service has neither a token validator nor a service user`);
    await app.ready();
    return running(spec, config, { app, database, parts, appliedMigrations, environment, revocations });
  } catch (error) {
    await revocations?.stop();
    await app?.close();
    await database.close();
    throw error;
  }
}

function running<G extends ServiceOptionGroup, Tables, Api>(
  spec: ServiceSpec<G, Tables, Api>,
  config: ConfigValues<G>,
  built: {
    app: FastifyInstance; database: Database<Tables>; parts: ServiceParts<Api>; appliedMigrations: readonly string[];
    environment: ServiceEnvironment; revocations: RevocationListener;
  },
): RunningService<Api> {
  const { app, database, parts, environment, revocations } = built;
  const periodic = new PeriodicTasks(parts.periodicTasks ?? [], { logger: environment.logger, ...environment.periodic });
  let closed: Promise<void> | undefined;
  return {
    name: spec.name, app, api: parts.api, appliedMigrations: built.appliedMigrations, periodic,
    async listen(host: string): Promise<string> {
      let address: string;
      try {
        address = await app.listen({ host, port: config.port });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUse({ service: spec.name, group: spec.options.name, port: config.port }, { cause: error });
        throw error;
      }
      periodic.start();
      return address;
    },
    close(): Promise<void> {
      closed ??= (async () => {
        await periodic.stop();
        await revocations.stop();
        await app.close();
        await parts.close?.();
        await database.close();
      })();
      return closed;
    },
  };
}

/**
 * Declares a service: its spec plus what the CLI needs to list, configure, migrate and start
 * it without knowing its option or table types.
 * @example
 * export const imageService = defineService({
 *   name: 'image', catalog: { type: 'image', name: 'glance', pathSuffix: '' }, options: imageOptions,
 *   migrations, policies, renderError, isPublic, healthPath: '/', serviceUser: serviceUserFromOptions,
 *   create: async (ctx) => { registerRoutes(ctx.app, ...); return { api: {}, periodicTasks: [...] }; },
 * });
 */
export function defineService<G extends ServiceOptionGroup, Tables, Api>(spec: ServiceSpec<G, Tables, Api>): ServiceDefinition<G, Tables, Api> {
  if (spec.options.name !== spec.name) throw new BadRequest(`service ${spec.name}: its option group is named ${spec.options.name}`);
  const settings = (config: Config, dataDir: string): ServiceSettings => {
    const values = config.group(spec.options);
    return { port: values.port, connection: serviceConnection(spec.name, values.connection, dataDir), serviceUser: spec.serviceUser?.(values) };
  };
  return {
    ...spec,
    hasServiceUser: spec.serviceUser !== undefined,
    settings,
    async syncDatabase(config: Config, dataDir: string): Promise<string[]> {
      const database = openDatabase<unknown>(settings(config, dataDir).connection);
      try {
        return await migrateDatabase(database, spec.name, spec.migrations);
      } finally {
        await database.close();
      }
    },
    start: (config: Config, environment: ServiceEnvironment) => startService(spec, { ...environment, config: config.group(spec.options) }),
  };
}
