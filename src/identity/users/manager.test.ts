// IdentityManager over the SQL driver on SQLite: defaults, passwords, events, cleanup.
import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { AuthenticationFailed, EntityNotFound, ValidationError } from '../errors.js';
import type { IdentityEvents } from '../events.js';
import { SqlUserBackend } from './backends/sql.js';
import { IdentityManager } from './manager.js';
import { ScryptPasswordHasher } from '../password-hash.js';
import { openTestIdentity } from './testing.js';
import type { TestIdentity } from './testing.js';

interface Harness {
  manager: IdentityManager;
  events: IdentityEvents;
  emitted: string[];
  database: TestIdentity['database'];
}

async function harness(): Promise<Harness> {
  const fixture = await openTestIdentity();
  return { manager: fixture.identity, events: fixture.events, emitted: fixture.emitted, database: fixture.database };
}

describe('IdentityManager', () => {
  let h: Harness;
  beforeEach(async () => { h = await harness(); });
  afterEach(async () => h.database.close());

  it('creates users in the default domain, trimmed, enabled, without exposing the password', async () => {
    const user = await h.manager.createUser({ name: '  alice ', password: 'pw', extra: { email: 'a@example.com' } });
    assert.equal(user.name, 'alice');
    assert.equal(user.domainId, 'default');
    assert.equal(user.enabled, true);
    assert.deepEqual(user.extra, { email: 'a@example.com' });
    assert.equal(JSON.stringify(user).includes('pw'), false);
    assert.match(user.id, /^[0-9a-f]{32}$/);
  });

  it('refuses unknown domains and empty passwords', async () => {
    await assert.rejects(h.manager.createUser({ name: 'a', domainId: 'nope' }), (e) => e instanceof EntityNotFound && e.message === 'Could not find domain: nope.');
    await assert.rejects(h.manager.createUser({ name: 'a', password: '' }), ValidationError);
    const user = await h.manager.createUser({ name: 'a' });
    await assert.rejects(h.manager.updateUser(user.id, { password: '' }), ValidationError);
    await assert.rejects(h.manager.updateUser(user.id, { domainId: 'other' }), (e) => e instanceof ValidationError && e.message === 'Cannot change Domain ID');
  });

  it('authenticates with the password and fails alike for every other case', async () => {
    const alice = await h.manager.createUser({ name: 'alice', password: 'right' });
    const nopass = await h.manager.createUser({ name: 'nopass', password: null });
    const off = await h.manager.createUser({ name: 'off', password: 'right', enabled: false });
    assert.equal((await h.manager.authenticatePassword(alice.id, 'right')).id, alice.id);
    const failures = [[alice.id, 'wrong'], ['unknown', 'right'], [nopass.id, ''], [off.id, 'right']] as const;
    for (const [userId, password] of failures) {
      await assert.rejects(h.manager.authenticatePassword(userId, password),
        (e) => e instanceof AuthenticationFailed && e.status === 401 && e.message === 'The request you have made requires authentication.');
    }
  });

  it('rehashes a password made with older parameters on the next login', async () => {
    const alice = await h.manager.createUser({ name: 'alice', password: 'pw' });
    const stronger = new ScryptPasswordHasher({ cost: 32, blockSize: 1 });
    const upgraded = new IdentityManager({
      backend: new SqlUserBackend(h.database.db), events: h.events, hasher: stronger, domains: { getDomain: async () => ({}) },
    });
    await upgraded.authenticatePassword(alice.id, 'pw');
    const row = await h.database.db.selectFrom('identity_user').select('password_hash').where('id', '=', alice.id).executeTakeFirstOrThrow();
    assert.match(row.password_hash ?? '', /^\$scrypt\$N=32,/);
    await upgraded.authenticatePassword(alice.id, 'pw');
  });

  it('lets users change their own password after proving the old one', async () => {
    const alice = await h.manager.createUser({ name: 'alice', password: 'old' });
    await assert.rejects(h.manager.changePassword(alice.id, 'bad', 'new'),
      (e) => e instanceof AuthenticationFailed && e.message === 'Error when changing user password: Invalid user / password');
    await assert.rejects(h.manager.changePassword('unknown', 'old', 'new'), AuthenticationFailed);
    await assert.rejects(h.manager.changePassword(alice.id, 'old', ''), ValidationError);
    assert.deepEqual(h.emitted, []);
    await h.manager.changePassword(alice.id, 'old', 'new');
    assert.deepEqual(h.emitted, [`user.credentials_invalidated:${alice.id}`]);
    await h.manager.authenticatePassword(alice.id, 'new');
    await assert.rejects(h.manager.authenticatePassword(alice.id, 'old'), AuthenticationFailed);
  });

  it('refuses self-service changes when lock_password is set', async () => {
    const alice = await h.manager.createUser({ name: 'alice', password: 'old', options: { lock_password: true } });
    await assert.rejects(h.manager.changePassword(alice.id, 'old', 'new'), (e) => e instanceof ValidationError && /password policy/.test(e.message));
  });

  it('invalidates credentials when a user is disabled or its password is reset', async () => {
    const alice = await h.manager.createUser({ name: 'alice', password: 'pw' });
    await h.manager.updateUser(alice.id, { extra: { email: 'x' } });
    await h.manager.updateUser(alice.id, { enabled: true });
    assert.deepEqual(h.emitted, []);
    await h.manager.updateUser(alice.id, { enabled: false });
    await h.manager.updateUser(alice.id, { enabled: false });
    await h.manager.updateUser(alice.id, { enabled: true, password: 'reset' });
    assert.deepEqual(h.emitted, [`user.credentials_invalidated:${alice.id}`, `user.credentials_invalidated:${alice.id}`]);
    await h.manager.authenticatePassword(alice.id, 'reset');
  });

  it('merges options and extra attributes on update', async () => {
    const alice = await h.manager.createUser({ name: 'alice', options: { lock_password: true, ignore_password_expiry: true }, extra: { a: 1, b: 2 } });
    const updated = await h.manager.updateUser(alice.id, { options: { lock_password: null, multi_factor_auth_enabled: false }, extra: { b: 3, c: null } });
    assert.deepEqual(updated.options, { ignore_password_expiry: true, multi_factor_auth_enabled: false });
    assert.deepEqual(updated.extra, { a: 1, b: 3, c: null });
  });

  it('announces deleted users', async () => {
    const alice = await h.manager.createUser({ name: 'alice' });
    await h.manager.deleteUser(alice.id);
    assert.deepEqual(h.emitted, [`user.deleted:${alice.id}`]);
    await assert.rejects(h.manager.deleteUser(alice.id), EntityNotFound);
  });

  it('ensures the bootstrap user exists, enabled, with the given password', async () => {
    const created = await h.manager.ensureUser({ name: 'admin', domainId: 'default', password: 'one' });
    assert.equal((await h.manager.ensureUser({ name: 'admin', domainId: 'default', password: 'one' })).id, created.id);
    assert.deepEqual(h.emitted, []);
    await h.manager.updateUser(created.id, { enabled: false });
    h.emitted.length = 0;
    const reset = await h.manager.ensureUser({ name: 'admin', domainId: 'default', password: 'two' });
    assert.equal(reset.id, created.id);
    assert.equal(reset.enabled, true);
    await h.manager.authenticatePassword(created.id, 'two');
    assert.deepEqual(h.emitted, [`user.credentials_invalidated:${created.id}`]);
  });

  it('creates groups with an empty description and refuses domain moves', async () => {
    const ops = await h.manager.createGroup({ name: ' ops ' });
    assert.deepEqual({ ...ops, id: 'x' }, { id: 'x', name: 'ops', domainId: 'default', description: '', extra: {} });
    await assert.rejects(h.manager.createGroup({ name: 'g', domainId: 'nope' }), EntityNotFound);
    await assert.rejects(h.manager.updateGroup(ops.id, { domainId: 'other' }), ValidationError);
    assert.deepEqual((await h.manager.updateGroup(ops.id, { extra: { k: 'v' } })).extra, { k: 'v' });
  });

  it('invalidates the credentials of users leaving a group, one by one or all at once', async () => {
    const alice = await h.manager.createUser({ name: 'alice' });
    const bob = await h.manager.createUser({ name: 'bob' });
    const ops = await h.manager.createGroup({ name: 'ops' });
    await h.manager.addUserToGroup(alice.id, ops.id);
    await h.manager.addUserToGroup(bob.id, ops.id);
    await h.manager.removeUserFromGroup(alice.id, ops.id);
    assert.deepEqual(h.emitted, [`user.credentials_invalidated:${alice.id}`]);
    h.emitted.length = 0;
    await h.manager.deleteGroup(ops.id);
    assert.deepEqual(h.emitted, [`group.deleted:${ops.id}`, `user.credentials_invalidated:${bob.id}`]);
  });

  it('deletes the users and groups of a deleted domain', async () => {
    const alice = await h.manager.createUser({ name: 'alice', domainId: 'other' });
    const ops = await h.manager.createGroup({ name: 'ops', domainId: 'other' });
    const stays = await h.manager.createUser({ name: 'stays' });
    await h.events.emit('domain.deleted', { domainId: 'other' });
    assert.deepEqual(h.emitted, [`group.deleted:${ops.id}`, `user.deleted:${alice.id}`]);
    assert.deepEqual((await h.manager.listUsers()).map((u) => u.id), [stays.id]);
    assert.deepEqual(await h.manager.listGroups(), []);
  });

  it('forgets a deleted default project', async () => {
    const alice = await h.manager.createUser({ name: 'alice', defaultProjectId: 'p1' });
    await h.events.emit('project.deleted', { projectId: 'p1' });
    assert.equal((await h.manager.getUser(alice.id)).defaultProjectId, null);
  });
});
