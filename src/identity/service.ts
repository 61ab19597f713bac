// Builds the identity service from its options: database, Fernet keys, managers, policy and
// routes — the one place where Keystone's parts are chosen and wired (keystone/server/backends.py).

import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { installAuthHook } from '../common/auth/index.js';
import type { ConfigValues } from '../common/config/index.js';
import { migrateDatabase, openDatabase } from '../common/db/index.js';
import type { Database, ServiceMigration } from '../common/db/index.js';
import { createHttpServer } from '../common/http/index.js';
import type { Logger } from '../common/log/index.js';
import { Notifier } from '../common/messaging/index.js';
import type { Transport } from '../common/messaging/index.js';
import { Enforcer, loadPolicyFile } from '../common/policy/index.js';
import type { RuleDefault } from '../common/policy/index.js';
import { registerAuthRoutes } from './api/auth.js';
import { identityAuthorizer } from './api/common.js';
import { renderIdentityError } from './api/error-renderer.js';
import { registerVersionRoutes } from './api/versions.js';
import { registerDomainRoutes } from './api/domains.js';
import { projectView, registerProjectRoutes } from './api/projects.js';
import { registerUserRoutes } from './api/users.js';
import { registerGroupRoutes } from './api/groups.js';
import { registerRegionRoutes } from './api/regions.js';
import { registerServiceRoutes } from './api/services.js';
import { registerEndpointRoutes } from './api/endpoints.js';
import { registerRoleRoutes } from './api/roles.js';
import { registerGrantRoutes } from './api/grants.js';
import { registerRoleAssignmentRoutes } from './api/role-assignments.js';
import { registerApplicationCredentialRoutes } from './api/application-credentials.js';
import { ApplicationCredentialManager, SqlApplicationCredentialBackend, applicationCredentialMigrations, applicationCredentialPolicies } from './application-credential/index.js';
import { AssignmentManager, RoleManager, SYSTEM_TARGET_ID, SqlAssignmentBackend, SqlRoleBackend, assignmentMigrations, assignmentPolicies } from './assignment/index.js';
import { AuthManager } from './auth/manager.js';
import { basePolicies, tokenPolicies } from './base-policies.js';
import { CatalogManager, SqlCatalogBackend, catalogMigrations, catalogPolicies } from './catalog/index.js';
import type { identityOptions } from './config.js';
import { IdentityEvents } from './events.js';
import { publishIdentityNotifications } from './notifications.js';
import { buildAuthLookups, identityLookup, resourceLookup, roleLookup } from './lookups-adapter.js';
import { ResourceManager, SqlResourceBackend, resourceMigrations, resourcePolicies } from './resource/index.js';
import { RevokeManager, SqlRevokeBackend, revokeMigrations } from './revoke/index.js';
import { FernetKeyRepository, TokenFormatter, fernetRotate, fernetSetup } from './token/fernet/index.js';
import type { RotationResult } from './token/fernet/index.js';
import { TokenProvider } from './token/provider.js';
import { toValidatedToken } from './token/token-context.js';
import { IdentityManager, ScryptPasswordHasher, SqlUserBackend, userMigrations, userPolicies } from './users/index.js';

export type IdentityConfig = ConfigValues<typeof identityOptions>;

/** Every migration of the identity database, in order. */
export const identityMigrations: readonly ServiceMigration[] = [
  ...resourceMigrations, ...userMigrations, ...assignmentMigrations, ...catalogMigrations,
  ...applicationCredentialMigrations, ...revokeMigrations,
];

/** Every registered policy rule of the identity service. */
export const identityPolicies: readonly RuleDefault[] = [
  ...basePolicies, ...tokenPolicies, ...resourcePolicies, ...userPolicies, ...assignmentPolicies,
  ...catalogPolicies, ...applicationCredentialPolicies,
];

export interface IdentityServiceOptions {
  readonly dataDir: string;
  readonly config: IdentityConfig;
  readonly logger: Logger;
  /** The message bus notifications go to; none are sent without one. */
  readonly transport?: Transport;
  readonly now?: () => Date;
}

export interface BootstrapOptions {
  readonly adminUsername: string;
  readonly adminPassword: string;
  /** URL of the identity API as clients reach it, e.g. http://127.0.0.1:5000/v3. */
  readonly publicUrl: string;
  readonly regionId: string;
}

export function identityConnection(dataDir: string, config: IdentityConfig): string {
  return config.connection ?? `sqlite:///${join(dataDir, 'identity.db')}`;
}

export function identityKeyRepository(dataDir: string, config: IdentityConfig): string {
  return config.key_repository ?? join(dataDir, 'fernet-keys');
}

/** `tstack manage db-sync identity`: applies pending migrations, returns their names. */
export async function syncIdentityDatabase(dataDir: string, config: IdentityConfig): Promise<string[]> {
  const database = openDatabase<unknown>(identityConnection(dataDir, config));
  try {
    return await migrateDatabase(database, 'identity', identityMigrations);
  } finally {
    await database.close();
  }
}

export async function setupIdentityKeys(dataDir: string, config: IdentityConfig): Promise<boolean> {
  return fernetSetup(identityKeyRepository(dataDir, config), { maxActiveKeys: config.max_active_keys });
}

export async function rotateIdentityKeys(dataDir: string, config: IdentityConfig): Promise<RotationResult> {
  await setupIdentityKeys(dataDir, config);
  return fernetRotate(identityKeyRepository(dataDir, config), { maxActiveKeys: config.max_active_keys });
}

/** Routes that answer without a token: discovery, token issue, and the self-service password
 * change whose proof is the original password (Keystone asks no token there either). */
const PUBLIC_ROUTES = new Set(['GET /', 'HEAD /', 'GET /v3', 'HEAD /v3', 'POST /v3/auth/tokens', 'POST /v3/users/:user_id/password']);

type IdentityTables = Record<string, Record<string, unknown>>;

/** Kysely typed for one subsystem's tables; every subsystem shares the identity database. */
function tablesOf<T>(db: Kysely<IdentityTables>): Kysely<T> {
  return db as unknown as Kysely<T>;
}

export class IdentityService {
  private constructor(
    readonly app: FastifyInstance,
    readonly managers: {
      readonly resource: ResourceManager;
      readonly identity: IdentityManager;
      readonly roles: RoleManager;
      readonly assignment: AssignmentManager;
      readonly catalog: CatalogManager;
    },
    private readonly database: Database<IdentityTables>,
    private readonly config: IdentityConfig,
  ) {}

  static async create(options: IdentityServiceOptions): Promise<IdentityService> {
    const { config, logger } = options;
    const now = options.now ?? (() => new Date());
    const database = openDatabase<IdentityTables>(identityConnection(options.dataDir, config));
    try {
      await migrateDatabase(database, 'identity', identityMigrations);
      const keyDirectory = identityKeyRepository(options.dataDir, config);
      await fernetSetup(keyDirectory, { maxActiveKeys: config.max_active_keys });

      const enforcer = new Enforcer({
        defaults: identityPolicies,
        ...(config.policy_file ? { overrides: await loadPolicyFile(config.policy_file) } : {}),
        enforceScope: config.enforce_scope,
        enforceNewDefaults: true,
      });
      for (const problem of enforcer.problems) logger.error(`policy rule ${problem.rule} (${problem.source}): ${problem.message}`);
      const policy = identityAuthorizer(enforcer);

      const db = database.db;
      const events = new IdentityEvents();
      if (options.transport) publishIdentityNotifications(events, new Notifier({ transport: options.transport, publisherId: 'identity', logger }));
      const resource = new ResourceManager({ backend: new SqlResourceBackend(tablesOf(db)), events });
      const hasher = new ScryptPasswordHasher({ cost: 2 ** config.password_hash_cost });
      const identity = new IdentityManager({ backend: new SqlUserBackend(tablesOf(db)), events, domains: resource, hasher });
      const resources = resourceLookup(resource);
      const users = identityLookup(identity);
      const roles = new RoleManager({ backend: new SqlRoleBackend(tablesOf(db)), resources, events });
      const assignment = new AssignmentManager({ backend: new SqlAssignmentBackend(tablesOf(db)), roles, resources, identity: users, events });
      const catalog = new CatalogManager({ backend: new SqlCatalogBackend(tablesOf(db)) });
      const applicationCredentials = new ApplicationCredentialManager({
        backend: new SqlApplicationCredentialBackend(tablesOf(db)), events, roles: roleLookup(roles), hasher, now,
      });

      const app = createHttpServer({ logger, renderError: renderIdentityError });
      const lookups = buildAuthLookups({ resource, identity, assignment, catalog, applicationCredentials });
      const tokenCache = { clear: () => {} };
      const revoke = new RevokeManager({ backend: new SqlRevokeBackend(tablesOf(db)), events, now, onRevoke: () => tokenCache.clear() });
      const tokens = new TokenProvider({
        codec: new TokenFormatter({ keys: new FernetKeyRepository({ directory: keyDirectory }), clock: now }),
        lookups, revoke, now,
        expirationSeconds: config.token_expiration,
        allowExpiredWindowSeconds: config.allow_expired_window,
        adminProject: { name: config.admin_project_name, domainName: config.admin_project_domain_name },
      });
      const auth = new AuthManager({ lookups, tokens });

      const cache = installAuthHook(app, {
        validator: { validate: async (token) => toValidatedToken(await tokens.validate(token)) },
        cacheTtlMs: config.token_cache_seconds * 1000,
        isPublic: (request) => PUBLIC_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ''}`),
      });
      tokenCache.clear = () => cache.clear();

      registerVersionRoutes(app);
      registerAuthRoutes(app, { policy, auth, tokens, lookups });
      registerDomainRoutes(app, { policy, resource });
      registerProjectRoutes(app, { policy, resource, listUserProjectIds: (userId) => assignment.listProjectIdsForUser(userId) });
      registerUserRoutes(app, { policy, identity });
      registerGroupRoutes(app, { policy, identity });
      registerRoleRoutes(app, { policy, roles });
      registerGrantRoutes(app, { policy, assignment });
      registerRoleAssignmentRoutes(app, {
        policy, assignment, identity: users, resources,
        renderProjects: async (request, ids) => (await resource.listProjectsByIds(ids)).map((p) => projectView(request, p)),
      });
      registerRegionRoutes(app, { policy, catalog });
      registerServiceRoutes(app, { policy, catalog });
      registerEndpointRoutes(app, { policy, catalog });
      registerApplicationCredentialRoutes(app, { policy, applicationCredentials });
      await app.ready();
      return new IdentityService(app, { resource, identity, roles, assignment, catalog }, database, config);
    } catch (error) {
      await database.close();
      throw error;
    }
  }

  /**
   * keystone-manage bootstrap: default domain, admin/member/reader roles with
   * admin → member → reader, admin and service projects, the admin user with admin on the admin
   * project and on the system, and the identity endpoints. Idempotent; resets the admin password.
   */
  async bootstrap(options: BootstrapOptions): Promise<void> {
    const { resource, identity, roles, assignment } = this.managers;
    const domain = await resource.ensureDomain({ id: 'default', name: 'Default', description: 'The default domain' });
    const admin = await roles.ensureRole('admin');
    const member = await roles.ensureRole('member');
    const reader = await roles.ensureRole('reader');
    await roles.ensureRole('service');
    await roles.ensureImpliedRole(admin.id, member.id);
    await roles.ensureImpliedRole(member.id, reader.id);
    const adminProject = await resource.ensureProject({ name: this.config.admin_project_name, domainId: domain.id, description: 'Bootstrap project for initializing the cloud.' });
    await resource.ensureProject({ name: 'service', domainId: domain.id, description: 'Project of the service users.' });
    const user = await identity.ensureUser({ name: options.adminUsername, domainId: domain.id, password: options.adminPassword });
    const grant = { roleId: admin.id, actorType: 'user', actorId: user.id, inherited: false } as const;
    await assignment.ensureGrant({ ...grant, targetType: 'project', targetId: adminProject.id });
    await assignment.ensureGrant({ ...grant, targetType: 'system', targetId: SYSTEM_TARGET_ID });
    await this.registerEndpoints({ type: 'identity', name: 'keystone', url: options.publicUrl, regionId: options.regionId });
  }

  /**
   * The account another service (Glance, Nova...) authenticates as: a user of the Default domain
   * with the `service` role on the `service` project, as devstack creates them. Idempotent; resets
   * the password.
   */
  async ensureServiceUser(name: string, password: string): Promise<void> {
    const { resource, identity, roles, assignment } = this.managers;
    const project = await resource.ensureProject({ name: 'service', domainId: 'default', description: 'Project of the service users.' });
    const user = await identity.ensureUser({ name, domainId: 'default', password });
    const service = await roles.ensureRole('service');
    await assignment.ensureGrant({ roleId: service.id, actorType: 'user', actorId: user.id, targetType: 'project', targetId: project.id, inherited: false });
  }

  /** Puts a service and its public, internal and admin endpoints in the catalog (idempotent). */
  async registerEndpoints(options: { type: string; name: string; url: string; regionId: string }): Promise<void> {
    const { catalog } = this.managers;
    const service = await catalog.ensureService({ type: options.type, name: options.name });
    for (const iface of ['public', 'internal', 'admin'] as const) {
      await catalog.ensureEndpoint({ serviceId: service.id, interface: iface, url: options.url, regionId: options.regionId });
    }
  }

  /** Listens on `host`:[identity] port; resolves with the bound address. */
  async listen(host: string): Promise<string> {
    return this.app.listen({ host, port: this.config.port });
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.database.close();
  }
}
