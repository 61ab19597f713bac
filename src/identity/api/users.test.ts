// /v3/users through Fastify inject: bodies, status codes, policy and Keystone's error bodies.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { ValidatedToken } from '../../common/auth/index.js';
import { openTestIdentity, testPolicy } from '../users/testing.js';
import type { TestIdentity } from '../users/testing.js';
import { buildTestApp, TEST_TOKENS } from './testing.js';
import { registerUserRoutes } from './users.js';

const HOUR = 3600_000;

function token(fields: Partial<ValidatedToken> & Pick<ValidatedToken, 'userId' | 'roles'>): ValidatedToken {
  return {
    userName: fields.userId, userDomainId: 'default', userDomainName: 'Default', isAdminProject: false,
    auditIds: ['audit'], expiresAt: new Date(Date.now() + HOUR), ...fields,
  };
}

/** Tokens beyond the shared fixture's: a domain-scoped reader and admin, and a user acting on itself. */
const EXTRA_TOKENS = {
  'other-reader': token({ userId: 'other-reader', domainId: 'other', roles: ['reader'] }),
  'other-admin': token({ userId: 'other-admin', domainId: 'other', roles: ['admin', 'manager', 'member', 'reader'] }),
  'other-manager': token({ userId: 'other-manager', domainId: 'other', roles: ['manager', 'member', 'reader'] }),
  'self-token': token({ userId: 'self-user', projectId: 'member-project', projectDomainId: 'default', roles: ['member', 'reader'] }),
};

const ADMIN = { 'x-auth-token': TEST_TOKENS.admin.token };
const MEMBER = { 'x-auth-token': TEST_TOKENS.member.token };

describe('/v3/users', () => {
  let fx: TestIdentity;
  let app: FastifyInstance;

  beforeEach(async () => {
    fx = await openTestIdentity();
    app = await buildTestApp((a) => registerUserRoutes(a, { policy: testPolicy(), identity: fx.identity }), EXTRA_TOKENS);
  });
  afterEach(async () => {
    await app.close();
    await fx.close();
  });

  async function create(user: Record<string, unknown>, headers: Record<string, string> = ADMIN) {
    return app.inject({ method: 'POST', url: '/v3/users', headers, payload: { user } });
  }

  it('creates a user and shows it without the password', async () => {
    const res = await create({ name: 'alice', password: 's3cret', email: 'alice@example.com', description: 'Alice' });
    assert.equal(res.statusCode, 201);
    const user = res.json().user;
    assert.match(user.id, /^[0-9a-f]{32}$/);
    assert.deepEqual(user, {
      id: user.id, name: 'alice', domain_id: 'default', enabled: true, password_expires_at: null, options: {},
      email: 'alice@example.com', description: 'Alice', links: { self: `http://localhost:80/v3/users/${user.id}` },
    });
    assert.equal(res.body.includes('s3cret'), false);
    const shown = await app.inject({ method: 'GET', url: `/v3/users/${user.id}`, headers: ADMIN });
    assert.equal(shown.statusCode, 200);
    assert.deepEqual(shown.json(), { user });
    const head = await app.inject({ method: 'HEAD', url: `/v3/users/${user.id}`, headers: ADMIN });
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    await fx.identity.authenticatePassword(user.id, 's3cret');
  });

  it('puts users in the domain of a domain-scoped token, else in the default domain', async () => {
    const res = await create({ name: 'bob', default_project_id: 'p1' }, { 'x-auth-token': 'other-admin' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().user.domain_id, 'other');
    assert.equal(res.json().user.default_project_id, 'p1');
    assert.equal((await create({ name: 'bob' }, { 'x-auth-token': TEST_TOKENS.systemAdmin.token })).json().user.domain_id, 'default');
  });

  it('lets a domain manager create users in its own domain only', async () => {
    const headers = { 'x-auth-token': 'other-manager' };
    assert.equal((await create({ name: 'carol', domain_id: 'other' }, headers)).statusCode, 201);
    assert.equal((await create({ name: 'carol', domain_id: 'default' }, headers)).statusCode, 403);
  });

  it('answers 409 for a name taken in the domain', async () => {
    await create({ name: 'alice' });
    const res = await create({ name: 'alice' });
    assert.equal(res.statusCode, 409);
    assert.deepEqual(res.json(), { error: { code: 409, title: 'Conflict',
      message: 'Conflict occurred attempting to store user - Duplicate entry found with name alice at domain ID default.' } });
    assert.equal((await create({ name: 'alice', domain_id: 'other' })).statusCode, 201);
  });

  it('answers 400 for malformed bodies', async () => {
    const bad: unknown[] = [
      { user: { password: 'x' } },
      { user: { name: '' } },
      { user: { name: '   ' } },
      { user: { name: 'a', enabled: 'yes' } },
      { user: { name: 'a', password: '' } },
      { user: { name: 'a', password: 42 } },
      { user: { name: 'a', domain_id: 'bad domain' } },
      { user: { name: 'a', options: { unknown_option: true } } },
      { user: { name: 'a', options: { lock_password: 'yes' } } },
      { user: 'alice' },
      { user: { name: 'a' }, extra: 1 },
      {},
    ];
    for (const payload of bad) {
      const res = await app.inject({ method: 'POST', url: '/v3/users', headers: ADMIN, payload: payload as object });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.json().error.code, 400);
    }
    const notJson = await app.inject({ method: 'POST', url: '/v3/users', headers: { ...ADMIN, 'content-type': 'application/json' }, payload: '{"user":' });
    assert.equal(notJson.statusCode, 400);
  });

  it('answers 404 for an unknown domain or user', async () => {
    const res = await create({ name: 'a', domain_id: 'missing' });
    assert.equal(res.statusCode, 404);
    assert.equal(res.json().error.message, 'Could not find domain: missing.');
    const get = await app.inject({ method: 'GET', url: '/v3/users/nope', headers: ADMIN });
    assert.deepEqual(get.json(), { error: { code: 404, title: 'Not Found', message: 'Could not find user: nope.' } });
    for (const method of ['PATCH', 'DELETE'] as const) {
      const res2 = await app.inject({ method, url: '/v3/users/nope', headers: ADMIN, ...(method === 'PATCH' ? { payload: { user: { enabled: false } } } : {}) });
      assert.equal(res2.statusCode, 404, method);
    }
  });

  it('refuses member tokens on admin actions with 403, and anonymous callers with 401', async () => {
    const alice = (await create({ name: 'alice' })).json().user;
    const list = await app.inject({ method: 'GET', url: '/v3/users', headers: MEMBER });
    assert.equal(list.statusCode, 403);
    assert.equal(list.json().error.title, 'Forbidden');
    assert.equal((await app.inject({ method: 'GET', url: '/v3/users', headers: { 'x-auth-token': TEST_TOKENS.reader.token } })).statusCode, 403);
    assert.equal((await create({ name: 'mallory' }, MEMBER)).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: `/v3/users/${alice.id}`, headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/v3/users/nope', headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ method: 'PATCH', url: `/v3/users/${alice.id}`, headers: MEMBER, payload: { user: { enabled: false } } })).statusCode, 403);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v3/users/${alice.id}`, headers: MEMBER })).statusCode, 403);
    const anonymous = await app.inject({ method: 'GET', url: '/v3/users' });
    assert.equal(anonymous.statusCode, 401);
    assert.match(String(anonymous.headers['www-authenticate']), /^Keystone uri=/);
  });

  it('lets users read themselves', async () => {
    fx.nextId = 'self-user';
    await create({ name: 'self' });
    const res = await app.inject({ method: 'GET', url: '/v3/users/self-user', headers: { 'x-auth-token': 'self-token' } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().user.name, 'self');
  });

  it('lists users with name, domain_id and enabled filters', async () => {
    await create({ name: 'alice' });
    await create({ name: 'bob', enabled: false });
    await create({ name: 'alice', domain_id: 'other' });
    const names = async (query: string, headers: Record<string, string> = ADMIN) => {
      const res = await app.inject({ method: 'GET', url: `/v3/users${query}`, headers });
      assert.equal(res.statusCode, 200, query);
      return res.json().users.map((u: { name: string; domain_id: string }) => `${u.name}@${u.domain_id}`).sort();
    };
    assert.deepEqual(await names(''), ['alice@default', 'alice@other', 'bob@default']);
    assert.deepEqual(await names('?name=alice'), ['alice@default', 'alice@other']);
    assert.deepEqual(await names('?domain_id=other'), ['alice@other']);
    assert.deepEqual(await names('?enabled=false'), ['bob@default']);
    assert.deepEqual(await names('?enabled=true&domain_id=default'), ['alice@default']);
    assert.deepEqual(await names('', { 'x-auth-token': 'other-reader' }), ['alice@other']);
    assert.deepEqual(await names('?domain_id=default', { 'x-auth-token': 'other-reader' }), []);
    assert.deepEqual(await names('', { 'x-auth-token': TEST_TOKENS.systemAdmin.token }), ['alice@default', 'alice@other', 'bob@default']);
    const body = (await app.inject({ method: 'GET', url: '/v3/users?name=alice', headers: ADMIN })).json();
    assert.deepEqual(body.links, { self: 'http://localhost:80/v3/users?name=alice', previous: null, next: null });
    assert.equal((await app.inject({ method: 'HEAD', url: '/v3/users', headers: ADMIN })).statusCode, 200);
  });

  it('updates users, resets passwords and invalidates credentials', async () => {
    const alice = (await create({ name: 'alice', password: 'old', email: 'a@x' })).json().user;
    const res = await app.inject({ method: 'PATCH', url: `/v3/users/${alice.id}`, headers: ADMIN,
      payload: { user: { name: 'alicia', email: null, description: 'd', enabled: false, options: { lock_password: true } } } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().user, { ...alice, name: 'alicia', email: null, description: 'd', enabled: false, options: { lock_password: true } });
    assert.deepEqual(fx.emitted, [`user.credentials_invalidated:${alice.id}`]);
    const reset = await app.inject({ method: 'PATCH', url: `/v3/users/${alice.id}`, headers: ADMIN, payload: { user: { password: 'new', enabled: true } } });
    assert.equal(reset.statusCode, 200);
    assert.equal(reset.body.includes('new'), false);
    await fx.identity.authenticatePassword(alice.id, 'new');
    assert.equal(fx.emitted.length, 2);
  });

  it('refuses updates that change the id or the domain, rename onto a taken name, or say nothing', async () => {
    const alice = (await create({ name: 'alice' })).json().user;
    await create({ name: 'bob' });
    const patch = (user: Record<string, unknown>) => app.inject({ method: 'PATCH', url: `/v3/users/${alice.id}`, headers: ADMIN, payload: { user } });
    assert.equal((await patch({ id: 'other-id' })).json().error.message, 'Cannot change ID');
    assert.equal((await patch({ domain_id: 'other' })).json().error.message, 'Cannot change Domain ID');
    assert.equal((await patch({ name: 'bob' })).statusCode, 409);
    assert.equal((await patch({})).statusCode, 400);
    assert.equal((await patch({ enabled: 1 })).statusCode, 400);
    assert.equal((await patch({ id: alice.id, enabled: true })).statusCode, 200);
  });

  it('deletes users', async () => {
    const alice = (await create({ name: 'alice' })).json().user;
    const res = await app.inject({ method: 'DELETE', url: `/v3/users/${alice.id}`, headers: ADMIN });
    assert.equal(res.statusCode, 204);
    assert.equal(res.body, '');
    assert.deepEqual(fx.emitted, [`user.deleted:${alice.id}`]);
    assert.equal((await app.inject({ method: 'GET', url: `/v3/users/${alice.id}`, headers: ADMIN })).statusCode, 404);
  });

  it('lets users change their own password with the original one', async () => {
    const alice = (await create({ name: 'alice', password: 'old' })).json().user;
    const change = (user: unknown, headers: Record<string, string> = MEMBER) =>
      app.inject({ method: 'POST', url: `/v3/users/${alice.id}/password`, headers, payload: { user } as object });
    const wrong = await change({ original_password: 'wrong', password: 'new' });
    assert.equal(wrong.statusCode, 401);
    assert.deepEqual(wrong.json(), { error: { code: 401, title: 'Unauthorized', message: 'Error when changing user password: Invalid user / password' } });
    assert.match(String(wrong.headers['www-authenticate']), /^Keystone uri=/);
    assert.equal((await change({ password: 'new' })).statusCode, 400);
    assert.equal((await change({ original_password: 'old', password: '' })).statusCode, 400);
    assert.equal((await change({ original_password: 'old', password: 'new', extra: 1 })).statusCode, 400);
    assert.equal((await change({ original_password: 'old', password: 7 })).statusCode, 400);
    assert.deepEqual(fx.emitted, []);
    const ok = await change({ original_password: 'old', password: 'new' });
    assert.equal(ok.statusCode, 204);
    assert.deepEqual(fx.emitted, [`user.credentials_invalidated:${alice.id}`]);
    await fx.identity.authenticatePassword(alice.id, 'new');
    assert.equal((await app.inject({ method: 'POST', url: '/v3/users/nope/password', headers: MEMBER,
      payload: { user: { original_password: 'old', password: 'new' } } })).statusCode, 401);
  });

  it('refuses a password longer than Keystone\'s 4,096 characters, in Keystone\'s words, wherever one is given', async () => {
    const tooLong = 'x'.repeat(4097);
    const refused = (res: { statusCode: number; json: () => { error: { code: number; title: string; message: string } } }) => {
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json(), { error: { code: 400, title: 'Bad Request', message:
        'The password length must be less than or equal to 4096. The server could not comply with the request because the password is invalid.' } });
    };
    refused(await create({ name: 'alice', password: tooLong }));
    refused(await create({ name: 'alice', password: 'x'.repeat(1024 * 1024 - 100) }));
    const alice = (await create({ name: 'alice', password: 'x'.repeat(4096) })).json().user;
    assert.ok(alice.id, 'a password of exactly 4,096 characters is accepted');
    refused(await app.inject({ method: 'PATCH', url: `/v3/users/${alice.id}`, headers: ADMIN, payload: { user: { password: tooLong } } }));
    const change = (user: unknown) => app.inject({ method: 'POST', url: `/v3/users/${alice.id}/password`, headers: MEMBER, payload: { user } as object });
    refused(await change({ original_password: 'x'.repeat(4096), password: tooLong }));
    refused(await change({ original_password: tooLong, password: 'new' }));
    assert.equal((await change({ original_password: 'x'.repeat(4096), password: 'new' })).statusCode, 204);
  });

  it('reads a repeated filter by its first occurrence, as Flask does', async () => {
    await create({ name: 'alice' });
    await create({ name: 'bob' });
    const names = async (query: string) => (await app.inject({ method: 'GET', url: `/v3/users?${query}`, headers: ADMIN })).json().users.map((u: { name: string }) => u.name);
    assert.deepEqual(await names('name=alice&name=bob'), ['alice']);
    assert.deepEqual(await names('name=bob&name=alice'), ['bob']);
  });
});
