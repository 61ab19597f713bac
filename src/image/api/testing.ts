// Fixture for image API tests: a Fastify app with Glance's plain-text error bodies, an auth hook
// that knows a few fixed tokens, and an ImageManager on in-memory SQLite.

import type { FastifyInstance } from 'fastify';
import { installAuthHook } from '../../common/auth/index.js';
import type { ValidatedToken } from '../../common/auth/index.js';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { Unauthorized } from '../../common/errors/index.js';
import { createHttpServer } from '../../common/http/index.js';
import { createLogger } from '../../common/log/index.js';
import { Enforcer } from '../../common/policy/index.js';
import { ImageManager, SqlImageBackend, imageMigrations, imagePolicies } from '../images/index.js';
import type { ImageQuotas, ImageTables } from '../images/index.js';
import { imageAuthorizer, renderImageError } from './common.js';
import type { Authorizer } from './common.js';
import { isPublicImagePath } from './versions.js';

const HOUR = 3600_000;

function token(userId: string, projectId: string, roles: readonly string[]): ValidatedToken {
  return {
    userId, userName: userId, userDomainId: 'default', userDomainName: 'Default', projectId, projectDomainId: 'default',
    projectName: projectId, roles, isAdminProject: roles.includes('admin'), auditIds: ['audit'], expiresAt: new Date(Date.now() + HOUR),
  };
}

/** Tokens the fixture accepts: send one as X-Auth-Token. */
export const TEST_TOKENS = {
  admin: { token: 'admin-token', validated: token('admin-user', 'admin-project', ['admin', 'member', 'reader']) },
  alice: { token: 'alice-token', validated: token('alice', 'project-a', ['member', 'reader']) },
  bob: { token: 'bob-token', validated: token('bob', 'project-b', ['member', 'reader']) },
  carol: { token: 'carol-token', validated: token('carol', 'project-c', ['member', 'reader']) },
} as const;

/** The Authorizer of the image default policies (with `overrides` as from a policy.yaml), strictly checked. */
export function testAuthorizer(overrides: Readonly<Record<string, string>> = {}): Authorizer {
  return imageAuthorizer(new Enforcer({ defaults: imagePolicies, overrides, strict: true }));
}

/**
 * An ImageManager on a fresh in-memory SQLite database; who counts as admin is the
 * `context_is_admin` rule of `policy` (the default policies unless given).
 */
export async function testImageManager(quotas: Partial<ImageQuotas> = {}, clock?: () => Date, policy: Authorizer = testAuthorizer()): Promise<ImageManager> {
  const database = openDatabase<ImageTables>('sqlite:///:memory:');
  await migrateDatabase(database, 'image', imageMigrations);
  return new ImageManager({
    backend: new SqlImageBackend(database.db),
    isAdmin: policy.isAdmin,
    quotas: { imageCountTotal: 100, imageSizeTotal: 1 << 30, ...quotas },
    ...(clock ? { clock } : {}),
  });
}

/** Builds an app, lets `register` add routes, and returns it ready for `inject()`. */
export async function buildTestApp(register: (app: FastifyInstance) => void | Promise<void>): Promise<FastifyInstance> {
  const app = createHttpServer({ logger: createLogger({ service: 'image-test', level: 'silent' }), renderError: renderImageError, ignoreTrailingSlash: false });
  const known = new Map<string, ValidatedToken>(Object.values(TEST_TOKENS).map((t) => [t.token, t.validated]));
  installAuthHook(app, {
    cacheTtlMs: 0,
    isPublic: isPublicImagePath,
    validator: { validate: async (value) => { const v = known.get(value); if (!v) throw new Unauthorized(); return v; } },
  });
  await register(app);
  await app.ready();
  return app;
}
