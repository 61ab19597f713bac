// Fixture for Keystone API tests: a Fastify app with Keystone's error bodies and an auth hook
// that knows a few fixed tokens, so route tests need no token machinery.

import type { FastifyInstance } from 'fastify';
import { installAuthHook } from '../../common/auth/index.js';
import type { ValidatedToken } from '../../common/auth/index.js';
import { Unauthorized } from '../../common/errors/index.js';
import { createHttpServer } from '../../common/http/index.js';
import { createLogger } from '../../common/log/index.js';
import { Enforcer } from '../../common/policy/index.js';
import type { RuleDefault } from '../../common/policy/index.js';
import { basePolicies } from '../base-policies.js';
import { identityAuthorizer } from './common.js';
import type { Authorizer } from './common.js';
import { renderIdentityError } from './error-renderer.js';

const HOUR = 3600_000;

function token(fields: Partial<ValidatedToken> & Pick<ValidatedToken, 'userId' | 'roles'>): ValidatedToken {
  return {
    userName: fields.userId, userDomainId: 'default', userDomainName: 'Default', isAdminProject: false,
    auditIds: ['audit'], expiresAt: new Date(Date.now() + HOUR), ...fields,
  };
}

/** Tokens the fixture accepts: send one as X-Auth-Token. */
export const TEST_TOKENS: Readonly<Record<'admin' | 'member' | 'reader' | 'systemAdmin', { token: string; validated: ValidatedToken }>> = {
  admin: { token: 'admin-token', validated: token({ userId: 'admin-user', projectId: 'admin-project', projectDomainId: 'default', projectName: 'admin', roles: ['admin', 'member', 'reader'], isAdminProject: true }) },
  member: { token: 'member-token', validated: token({ userId: 'member-user', projectId: 'member-project', projectDomainId: 'default', projectName: 'demo', roles: ['member', 'reader'] }) },
  reader: { token: 'reader-token', validated: token({ userId: 'reader-user', projectId: 'member-project', projectDomainId: 'default', projectName: 'demo', roles: ['reader'] }) },
  systemAdmin: { token: 'system-token', validated: token({ userId: 'admin-user', systemScope: 'all', roles: ['admin', 'member', 'reader'] }) },
};

/** Builds an app, lets `register` add routes, and returns it ready for `inject()`. */
export async function buildTestApp(register: (app: FastifyInstance) => void | Promise<void>, extraTokens: Readonly<Record<string, ValidatedToken>> = {}): Promise<FastifyInstance> {
  const app = createHttpServer({ logger: createLogger({ service: 'identity-test', level: 'silent' }), renderError: renderIdentityError });
  const known = new Map<string, ValidatedToken>(Object.values(TEST_TOKENS).map((t) => [t.token, t.validated]));
  for (const [value, validated] of Object.entries(extraTokens)) known.set(value, validated);
  installAuthHook(app, {
    cacheTtlMs: 0,
    isPublic: () => false,
    validator: { validate: async (value) => { const v = known.get(value); if (!v) throw new Unauthorized(); return v; } },
  });
  await register(app);
  await app.ready();
  return app;
}

/** Enforces `rules` and Keystone's base rules (admin_required, owner...) strictly, as the service does. */
export function testAuthorizer(rules: readonly RuleDefault[]): Authorizer {
  return identityAuthorizer(new Enforcer({ defaults: [...basePolicies, ...rules], strict: true }));
}
