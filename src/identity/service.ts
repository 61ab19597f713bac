// Declares the identity service (Keystone) for the service kit and builds it: Fernet keys,
// managers and routes — the one place where Keystone's parts are chosen and wired
// (keystone/server/backends.py). The kit has opened the database, built the enforcer, the
// HTTP server and the auth hook before `create` runs.

import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { revokedBy } from '../common/auth/index.js';
import type { ConfigValues } from '../common/config/index.js';
import type { ServiceMigration } from '../common/db/index.js';
import type { Logger } from '../common/log/index.js';
import { Notifier } from '../common/messaging/index.js';
import type { Transport } from '../common/messaging/index.js';
import type { RuleDefault } from '../common/policy/index.js';
import { defineService, serviceConnection, startServiceAlone } from '../common/service/index.js';
import type { BootstrapOptions, IdentityAdmin, RunningService, ServiceContext, ServiceParts } from '../common/service/index.js';
import {
  identityAuthorizer, projectView, registerApplicationCredentialRoutes, registerAuthRoutes,
  registerDomainRoutes, registerEndpointRoutes, registerGrantRoutes, registerGroupRoutes,
  registerProjectRoutes, registerRegionRoutes, registerRoleAssignmentRoutes, registerRoleRoutes,
  registerServiceRoutes, registerUserRoutes, registerVersionRoutes, renderIdentityError,
} from './api/index.js';
import {
  ApplicationCredentialManager, SqlApplicationCredentialBackend, applicationCredentialMigrations,
  applicationCredentialPolicies,
} from './application-credential/index.js';
import type { ApplicationCredentialTables } from './application-credential/index.js';
import {
  AssignmentManager, RoleManager, SYSTEM_TARGET_ID, SqlAssignmentBackend, SqlRoleBackend,
  assignmentMigrations, assignmentPolicies,
} from './assignment/index.js';
import type { AssignmentTables } from './assignment/index.js';
import { AuthManager } from './auth/index.js';
import { basePolicies, tokenPolicies } from './base-policies.js';
import { CatalogManager, SqlCatalogBackend, catalogMigrations, catalogPolicies } from './catalog/index.js';
import type { CatalogTables } from './catalog/index.js';
import { identityOptions } from './config.js';
import { IdentityEvents } from './events.js';
import { forwardIdentityNotifications } from './notifications.js';
import { buildAuthLookups, identityLookup, resourceLookup, roleLookup } from './lookups-adapter.js';
import { ResourceManager, SqlResourceBackend, resourceMigrations, resourcePolicies } from './resource/index.js';
import type { ResourceTables } from './resource/index.js';
import { RevokeManager, SqlRevokeBackend, revokeMigrations } from './revoke/index.js';
import type { RevokeTables } from './revoke/index.js';
import { FernetKeyRepository, TokenFormatter, fernetRotate, fernetSetup } from './token/fernet/index.js';
import type { RotationResult } from './token/fernet/index.js';
import { TokenProvider, toValidatedToken } from './token/index.js';
import { IdentityManager, ScryptPasswordHasher, SqlUserBackend, userMigrations, userPolicies } from './users/index.js';
import type { UserTables } from './users/index.js';

export type IdentityConfig = ConfigValues<typeof identityOptions>;

/** Every table of the identity database: the subsystems share it, each typed for its own. */
export type IdentityTables = ResourceTables & UserTables & AssignmentTables & CatalogTables & ApplicationCredentialTables & RevokeTables;

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

export type { BootstrapOptions };

export function identityConnection(dataDir: string, config: IdentityConfig): string {
  return serviceConnection('identity', config.connection, dataDir);
}

export function identityKeyRepository(dataDir: string, config: IdentityConfig): string {
  return config.key_repository ?? join(dataDir, 'fernet-keys');
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

function isPublicIdentityRoute(request: FastifyRequest): boolean {
  return PUBLIC_ROUTES.has(`${request.method} ${request.routeOptions.url ?? ''}`);
}

/** The managers `tstack up`, `manage bootstrap` and tests reach through the running service. */
export interface IdentityManagers {
  readonly resource: ResourceManager;
  readonly identity: IdentityManager;
  readonly roles: RoleManager;
  readonly assignment: AssignmentManager;
  readonly catalog: CatalogManager;
}

/** What the running identity service offers besides its API: setting the cloud up. */
export class IdentityApi implements IdentityAdmin {
  constructor(readonly managers: IdentityManagers, private readonly config: IdentityConfig) {}

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
}

async function createIdentity(context: ServiceContext<typeof identityOptions, IdentityTables>): Promise<ServiceParts<IdentityApi>> {
  const { config, logger, clock: now, tokenCache } = context;
  const db = context.database.db;
  const keyDirectory = identityKeyRepository(context.dataDir, config);
  if (await fernetSetup(keyDirectory, { maxActiveKeys: config.max_active_keys })) context.progress(`Fernet keys created in ${keyDirectory}`);
  const policy = identityAuthorizer(context.enforcer);
  const app = context.app;

  const events = new IdentityEvents();
  const notifier = new Notifier({ transport: context.transport, publisherId: 'identity', logger });
  forwardIdentityNotifications(events, (eventType, payload) => notifier.info(eventType, payload));
  // This instance's own cache hears revocations at once, bus or not; other identity instances
  // (multi-host) hear them on the bus like every other service.
  forwardIdentityNotifications(events, (eventType, payload) => {
    const revoked = revokedBy({ eventType, payload });
    if (revoked) tokenCache.drop(revoked);
  });
  const resource = new ResourceManager({ backend: new SqlResourceBackend(db), events });
  const hasher = new ScryptPasswordHasher({ cost: 2 ** config.password_hash_cost });
  const identity = new IdentityManager({ backend: new SqlUserBackend(db), events, domains: resource, hasher });
  const resources = resourceLookup(resource);
  const users = identityLookup(identity);
  const roles = new RoleManager({ backend: new SqlRoleBackend(db), resources, events });
  const assignment = new AssignmentManager({ backend: new SqlAssignmentBackend(db), roles, resources, identity: users, events });
  const catalog = new CatalogManager({ backend: new SqlCatalogBackend(db) });
  const applicationCredentials = new ApplicationCredentialManager({
    backend: new SqlApplicationCredentialBackend(db), events, roles: roleLookup(roles), hasher, now,
  });

  const lookups = buildAuthLookups({ resource, identity, assignment, catalog, applicationCredentials });
  const revoke = new RevokeManager({ backend: new SqlRevokeBackend(db), events, now });
  const tokens = new TokenProvider({
    codec: new TokenFormatter({ keys: new FernetKeyRepository({ directory: keyDirectory }), clock: now }),
    lookups, revoke, now,
    expirationSeconds: config.token_expiration,
    allowExpiredWindowSeconds: config.allow_expired_window,
    adminProject: { name: config.admin_project_name, domainName: config.admin_project_domain_name },
  });
  const auth = new AuthManager({ lookups, tokens });

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

  return {
    api: new IdentityApi({ resource, identity, roles, assignment, catalog }, config),
    tokenValidator: { validate: async (token) => toValidatedToken(await tokens.validate(token)) },
    periodicTasks: [{
      name: 'prune-revocation-events',
      intervalSeconds: config.revocation_prune_interval,
      // A revoked token can be validated until it expires plus the allow_expired window.
      run: async () => {
        const pruned = await revoke.pruneExpired(config.token_expiration + config.allow_expired_window);
        if (pruned > 0) logger.info(`pruned ${pruned} expired revocation events`);
      },
    }],
  };
}

/** The identity service (Keystone): holds the catalog, issues and validates tokens locally. */
export const identityService = defineService({
  name: 'identity',
  catalog: { type: 'identity', name: 'keystone', pathSuffix: '/v3' },
  options: identityOptions,
  migrations: identityMigrations,
  policies: identityPolicies,
  enforcerOptions: (config) => ({ enforceScope: config.enforce_scope, enforceNewDefaults: true }),
  renderError: renderIdentityError,
  isPublic: isPublicIdentityRoute,
  healthPath: '/v3',
  create: createIdentity,
});

export interface IdentityServiceOptions {
  readonly dataDir: string;
  readonly config: IdentityConfig;
  readonly logger: Logger;
  /** The message bus notifications go to; by default a private in-process bus nobody listens to. */
  readonly transport?: Transport;
  readonly now?: () => Date;
}

/** The identity service started through the kit, for tests and tools that build it from its option values. */
export class IdentityService {
  private constructor(private readonly running: RunningService<IdentityApi>) {}

  static async create(options: IdentityServiceOptions): Promise<IdentityService> {
    return new IdentityService(await startServiceAlone(identityService, {
      config: options.config, dataDir: options.dataDir, logger: options.logger,
      ...(options.transport ? { transport: options.transport } : {}),
      ...(options.now ? { clock: options.now } : {}),
    }));
  }

  get app(): FastifyInstance {
    return this.running.app;
  }

  get managers(): IdentityManagers {
    return this.running.api.managers;
  }

  bootstrap(options: BootstrapOptions): Promise<void> {
    return this.running.api.bootstrap(options);
  }

  ensureServiceUser(name: string, password: string): Promise<void> {
    return this.running.api.ensureServiceUser(name, password);
  }

  registerEndpoints(options: { type: string; name: string; url: string; regionId: string }): Promise<void> {
    return this.running.api.registerEndpoints(options);
  }

  /** Listens on `host`:[identity] port and starts the periodic tasks; resolves with the bound address. */
  listen(host: string): Promise<string> {
    return this.running.listen(host);
  }

  close(): Promise<void> {
    return this.running.close();
  }
}
