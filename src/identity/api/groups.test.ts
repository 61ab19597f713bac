// /v3/groups and memberships through Fastify inject.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { ValidatedToken } from '../../common/auth/index.js';
import { openTestIdentity, testPolicy } from '../users/testing.js';
import type { TestIdentity } from '../users/testing.js';
import { registerGroupRoutes } from './groups.js';
import { buildTestApp, TEST_TOKENS } from './testing.js';
import { registerUserRoutes } from './users.js';

function token(fields: Partial<ValidatedToken> & Pick<ValidatedToken, 'userId' | 'roles'>): ValidatedToken {
  return {
    userName: fields.userId, userDomainId: 'default', userDomainName: 'Default', isAdminProject: false,
    auditIds: ['audit'], expiresAt: new Date(Date.now() + 3600_000), ...fields,
  };
}

const EXTRA_TOKENS = {
  'other-reader': token({ userId: 'other-reader', domainId: 'other', roles: ['reader'] }),
  'other-manager': token({ userId: 'other-manager', domainId: 'other', roles: ['manager', 'member', 'reader'] }),
  'self-token': token({ userId: 'self-user', projectId: 'member-project', projectDomainId: 'default', roles: ['member', 'reader'] }),
};

const ADMIN = { 'x-auth-token': TEST_TOKENS.admin.token };
const MEMBER = { 'x-auth-token': TEST_TOKENS.member.token };

describe('/v3/groups', () => {
  let fx: TestIdentity;
  let app: FastifyInstance;

  beforeEach(async () => {
    fx = await openTestIdentity();
    app = await buildTestApp((a) => {
      registerUserRoutes(a, { policy: testPolicy(), identity: fx.identity });
      registerGroupRoutes(a, { policy: testPolicy(), identity: fx.identity });
    }, EXTRA_TOKENS);
  });
  afterEach(async () => {
    await app.close();
    await fx.close();
  });

  async function createGroup(group: Record<string, unknown>, headers: Record<string, string> = ADMIN) {
    return app.inject({ method: 'POST', url: '/v3/groups', headers, payload: { group } });
  }

  async function createUser(name: string, domainId = 'default'): Promise<string> {
    return (await fx.identity.createUser({ name, domainId })).id;
  }

  it('creates, shows, updates and deletes groups', async () => {
    const res = await createGroup({ name: 'ops', tag: 'x' });
    assert.equal(res.statusCode, 201);
    const ops = res.json().group;
    assert.deepEqual(ops, { id: ops.id, name: 'ops', domain_id: 'default', description: '', tag: 'x', links: { self: `http://localhost:80/v3/groups/${ops.id}` } });
    assert.deepEqual((await app.inject({ method: 'GET', url: `/v3/groups/${ops.id}`, headers: ADMIN })).json(), { group: ops });
    assert.equal((await app.inject({ method: 'HEAD', url: `/v3/groups/${ops.id}`, headers: ADMIN })).statusCode, 200);
    const patched = await app.inject({ method: 'PATCH', url: `/v3/groups/${ops.id}`, headers: ADMIN, payload: { group: { description: 'Operators', name: 'operators' } } });
    assert.equal(patched.statusCode, 200);
    assert.deepEqual(patched.json().group, { ...ops, name: 'operators', description: 'Operators' });
    const deleted = await app.inject({ method: 'DELETE', url: `/v3/groups/${ops.id}`, headers: ADMIN });
    assert.equal(deleted.statusCode, 204);
    assert.deepEqual(fx.emitted, [`group.deleted:${ops.id}`]);
    const gone = await app.inject({ method: 'GET', url: `/v3/groups/${ops.id}`, headers: ADMIN });
    assert.deepEqual(gone.json(), { error: { code: 404, title: 'Not Found', message: `Could not find group: ${ops.id}.` } });
  });

  it('answers 409, 400 and 404 as Keystone does', async () => {
    const ops = (await createGroup({ name: 'ops' })).json().group;
    await createGroup({ name: 'dev' });
    const dup = await createGroup({ name: 'ops' });
    assert.equal(dup.statusCode, 409);
    assert.equal(dup.json().error.message, 'Conflict occurred attempting to store group - Duplicate entry found with name ops at domain ID default.');
    assert.equal((await createGroup({ name: 'ops', domain_id: 'other' })).statusCode, 201);
    for (const group of [{}, { name: '' }, { name: 5 }, { name: 'x', description: 5 }, { name: 'x', domain_id: '' }]) {
      assert.equal((await createGroup(group)).statusCode, 400, JSON.stringify(group));
    }
    const patch = (group: Record<string, unknown>) => app.inject({ method: 'PATCH', url: `/v3/groups/${ops.id}`, headers: ADMIN, payload: { group } });
    assert.equal((await patch({ name: 'dev' })).statusCode, 409);
    assert.equal((await patch({})).statusCode, 400);
    assert.equal((await patch({ domain_id: 'other' })).json().error.message, 'Cannot change Domain ID');
    assert.equal((await patch({ id: 'x' })).json().error.message, 'Cannot change ID');
    assert.equal((await createGroup({ name: 'z', domain_id: 'missing' })).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url: '/v3/groups/nope', headers: ADMIN })).statusCode, 404);
    assert.equal((await app.inject({ method: 'PATCH', url: '/v3/groups/nope', headers: ADMIN, payload: { group: { name: 'q' } } })).statusCode, 404);
  });

  it('refuses member tokens with 403', async () => {
    const ops = (await createGroup({ name: 'ops' })).json().group;
    const alice = await createUser('alice');
    assert.equal((await createGroup({ name: 'x' }, MEMBER)).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/v3/groups', headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: `/v3/groups/${ops.id}`, headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v3/groups/${ops.id}`, headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ method: 'PUT', url: `/v3/groups/${ops.id}/users/${alice}`, headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: `/v3/groups/${ops.id}/users`, headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: `/v3/users/${alice}/groups`, headers: MEMBER })).statusCode, 403);
  });

  it('lists groups with filters, a domain-scoped reader seeing only its domain', async () => {
    await createGroup({ name: 'ops' });
    await createGroup({ name: 'dev' });
    await createGroup({ name: 'ops', domain_id: 'other' });
    const names = async (query: string, headers: Record<string, string> = ADMIN) => {
      const res = await app.inject({ method: 'GET', url: `/v3/groups${query}`, headers });
      assert.equal(res.statusCode, 200, query);
      return res.json().groups.map((g: { name: string; domain_id: string }) => `${g.name}@${g.domain_id}`).sort();
    };
    assert.deepEqual(await names(''), ['dev@default', 'ops@default', 'ops@other']);
    assert.deepEqual(await names('?name=ops'), ['ops@default', 'ops@other']);
    assert.deepEqual(await names('?domain_id=default&name=ops'), ['ops@default']);
    assert.deepEqual(await names('', { 'x-auth-token': 'other-reader' }), ['ops@other']);
  });

  it('adds, checks, lists and removes members', async () => {
    const ops = (await createGroup({ name: 'ops' })).json().group;
    const dev = (await createGroup({ name: 'dev' })).json().group;
    const alice = await createUser('alice');
    const bob = await createUser('bob');
    await fx.identity.updateUser(bob, { enabled: false });
    fx.emitted.length = 0;
    const membership = (method: 'PUT' | 'GET' | 'HEAD' | 'DELETE', groupId: string, userId: string) =>
      app.inject({ method, url: `/v3/groups/${groupId}/users/${userId}`, headers: ADMIN });
    for (const [g, u] of [[ops.id, alice], [ops.id, alice], [ops.id, bob], [dev.id, alice]]) {
      assert.equal((await membership('PUT', g, u)).statusCode, 204);
    }
    assert.equal((await membership('HEAD', ops.id, alice)).statusCode, 204);
    assert.equal((await membership('GET', ops.id, alice)).statusCode, 204);
    const absent = await membership('HEAD', dev.id, bob);
    assert.equal(absent.statusCode, 404);
    assert.equal((await membership('GET', dev.id, bob)).json().error.message, `User '${bob}' not found in group '${dev.id}'`);
    const members = await app.inject({ method: 'GET', url: `/v3/groups/${ops.id}/users`, headers: ADMIN });
    assert.deepEqual(members.json().users.map((u: { name: string }) => u.name).sort(), ['alice', 'bob']);
    const enabled = await app.inject({ method: 'GET', url: `/v3/groups/${ops.id}/users?enabled=true`, headers: ADMIN });
    assert.deepEqual(enabled.json().users.map((u: { name: string }) => u.name), ['alice']);
    const groups = await app.inject({ method: 'GET', url: `/v3/users/${alice}/groups`, headers: ADMIN });
    assert.deepEqual(groups.json().groups.map((g: { name: string; membership_expires_at: null }) => [g.name, g.membership_expires_at]).sort(),
      [['dev', null], ['ops', null]]);
    const named = await app.inject({ method: 'GET', url: `/v3/users/${alice}/groups?name=dev`, headers: ADMIN });
    assert.deepEqual(named.json().groups.map((g: { name: string }) => g.name), ['dev']);
    assert.equal((await membership('DELETE', ops.id, alice)).statusCode, 204);
    assert.deepEqual(fx.emitted, [`user.credentials_invalidated:${alice}`]);
    assert.equal((await membership('DELETE', ops.id, alice)).statusCode, 404);
  });

  it('answers 404 for memberships of unknown users or groups', async () => {
    const ops = (await createGroup({ name: 'ops' })).json().group;
    const alice = await createUser('alice');
    const missingUser = await app.inject({ method: 'PUT', url: `/v3/groups/${ops.id}/users/nope`, headers: ADMIN });
    assert.equal(missingUser.json().error.message, 'Could not find user: nope.');
    const missingGroup = await app.inject({ method: 'PUT', url: `/v3/groups/nope/users/${alice}`, headers: ADMIN });
    assert.equal(missingGroup.json().error.message, 'Could not find group: nope.');
    assert.equal((await app.inject({ method: 'GET', url: '/v3/groups/nope/users', headers: ADMIN })).statusCode, 404);
    assert.equal((await app.inject({ method: 'GET', url: '/v3/users/nope/groups', headers: ADMIN })).statusCode, 404);
  });

  it('lets users list their own groups, and domain managers manage memberships in their domain', async () => {
    fx.nextId = 'self-user';
    await createUser('self');
    const ops = (await createGroup({ name: 'ops' })).json().group;
    await app.inject({ method: 'PUT', url: `/v3/groups/${ops.id}/users/self-user`, headers: ADMIN });
    const own = await app.inject({ method: 'GET', url: '/v3/users/self-user/groups', headers: { 'x-auth-token': 'self-token' } });
    assert.equal(own.statusCode, 200);
    assert.deepEqual(own.json().groups.map((g: { id: string }) => g.id), [ops.id]);

    const manager = { 'x-auth-token': 'other-manager' };
    const dev = (await createGroup({ name: 'dev', domain_id: 'other' }, manager)).json().group;
    const carol = await createUser('carol', 'other');
    assert.equal((await app.inject({ method: 'PUT', url: `/v3/groups/${dev.id}/users/${carol}`, headers: manager })).statusCode, 204);
    assert.equal((await app.inject({ method: 'PUT', url: `/v3/groups/${dev.id}/users/self-user`, headers: manager })).statusCode, 403);
    assert.equal((await app.inject({ method: 'PUT', url: `/v3/groups/${ops.id}/users/${carol}`, headers: manager })).statusCode, 403);
  });

  it('invalidates the credentials of every member of a deleted group', async () => {
    const ops = (await createGroup({ name: 'ops' })).json().group;
    const alice = await createUser('alice');
    await app.inject({ method: 'PUT', url: `/v3/groups/${ops.id}/users/${alice}`, headers: ADMIN });
    await app.inject({ method: 'DELETE', url: `/v3/groups/${ops.id}`, headers: ADMIN });
    assert.deepEqual(fx.emitted, [`group.deleted:${ops.id}`, `user.credentials_invalidated:${alice}`]);
  });
});
