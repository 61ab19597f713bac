// KeystoneTokenValidator against the real identity service: project, domain and system tokens,
// invalid and revoked tokens, a rejected service token, and Keystone gone.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceUnavailable, Unauthorized } from '../../src/common/errors/index.js';
import { KeystoneSession, KeystoneTokenValidator, ServiceAuthenticationFailed } from '../../src/common/auth/index.js';
import { ADMIN_PASSWORD, GLANCE_PASSWORD, startRealIdentity } from '../support/real-identity.js';
import type { RealIdentity } from '../support/real-identity.js';
import type { KeystoneSessionOptions } from '../../src/common/auth/index.js';

const DEFAULT_DOMAIN = { id: 'default' };

function isStatus(status: number, type: abstract new (...args: never[]) => Error) {
  return (error: unknown): boolean => error instanceof type && (error as { status?: number }).status === status;
}

describe('KeystoneTokenValidator', () => {
  let keystone: RealIdentity;
  let session: KeystoneSession;
  let validator: KeystoneTokenValidator;
  const sessionFor = (extra: Partial<KeystoneSessionOptions> = {}): KeystoneSession => new KeystoneSession({
    authUrl: keystone.authUrl, username: 'glance', password: GLANCE_PASSWORD, projectName: 'service', timeoutMs: 5000, ...extra,
  });
  const admin = (scope?: Record<string, unknown>): Promise<string> => keystone.issueToken('admin', ADMIN_PASSWORD, scope);

  before(async () => {
    keystone = await startRealIdentity();
    session = sessionFor();
    validator = new KeystoneTokenValidator({ session });
  });
  after(async () => { await keystone?.close(); });

  it('validates a project token: user, project, roles and admin project', async () => {
    const token = await admin({ project: { name: 'admin', domain: DEFAULT_DOMAIN } });
    const context = await validator.validate(token);
    assert.equal(context.userName, 'admin');
    assert.equal(context.userDomainId, 'default');
    assert.equal(context.userDomainName, 'Default');
    assert.equal(context.projectName, 'admin');
    assert.equal(context.projectDomainId, 'default');
    assert.equal(context.projectDomainName, 'Default');
    assert.ok(context.projectId);
    assert.deepEqual([...context.roles].sort(), ['admin', 'member', 'reader']);
    assert.equal(context.isAdminProject, true);
    assert.equal(context.domainId, undefined);
    assert.equal(context.systemScope, undefined);
    assert.equal(context.auditIds.length, 1);
    assert.ok(context.expiresAt.getTime() > Date.now());
  });

  it('says a token of another project is not an admin-project token', async () => {
    const context = await validator.validate(await keystone.issueToken('glance', GLANCE_PASSWORD, { project: { name: 'service', domain: DEFAULT_DOMAIN } }));
    assert.equal(context.projectName, 'service');
    assert.deepEqual(context.roles, ['service']);
    assert.equal(context.isAdminProject, false);
  });

  it('validates a domain-scoped token', async () => {
    const context = await validator.validate(await admin({ domain: DEFAULT_DOMAIN }));
    assert.equal(context.domainId, 'default');
    assert.equal(context.domainName, 'Default');
    assert.equal(context.projectId, undefined);
    assert.ok(context.roles.includes('admin'));
  });

  it('validates a system-scoped token', async () => {
    const context = await validator.validate(await admin({ system: { all: true } }));
    assert.equal(context.systemScope, 'all');
    assert.equal(context.projectId, undefined);
    assert.equal(context.domainId, undefined);
    assert.ok(context.roles.includes('admin'));
  });

  it('refuses a revoked token with 401', async () => {
    const token = await admin({ project: { name: 'admin', domain: DEFAULT_DOMAIN } });
    await validator.validate(token);
    await keystone.revoke(token);
    await assert.rejects(validator.validate(token), isStatus(401, Unauthorized));
  });

  it('refuses garbage with 401', async () => {
    for (const garbage of ['garbage', 'gAAAAABnot-a-fernet-token', '', 'bad\ntoken', 'x'.repeat(9000)]) {
      await assert.rejects(validator.validate(garbage), isStatus(401, Unauthorized), JSON.stringify(garbage.slice(0, 20)));
    }
  });

  it('renews a revoked service token once and validates', async () => {
    const user = await admin({ project: { name: 'admin', domain: DEFAULT_DOMAIN } });
    await keystone.revoke(await session.getToken());
    assert.equal((await validator.validate(user)).userName, 'admin');
  });

  it('answers 503 when the service user is refused', async () => {
    const wrong = new KeystoneTokenValidator({ session: sessionFor({ password: 'wrong' }) });
    await assert.rejects(wrong.validate(await admin()), isStatus(503, ServiceAuthenticationFailed));
  });

  it('answers 503 when Keystone answers 5xx', async () => {
    const failing = sessionFor({
      fetch: async (input, init) => (init?.method === 'GET' ? new Response('{}', { status: 502 }) : fetch(input, init)),
    });
    await assert.rejects(new KeystoneTokenValidator({ session: failing }).validate(await admin()), isStatus(503, ServiceUnavailable));
  });

  it('answers 503 with a clear message when Keystone is stopped', async () => {
    const token = await admin({ project: { name: 'admin', domain: DEFAULT_DOMAIN } });
    await session.getToken();
    await keystone.close();
    await assert.rejects(validator.validate(token), (error: unknown) =>
      isStatus(503, ServiceUnavailable)(error) && /identity service could not be reached/.test((error as Error).message));
    await assert.rejects(new KeystoneTokenValidator({ session: sessionFor() }).validate(token), isStatus(503, ServiceUnavailable));
  });
});
