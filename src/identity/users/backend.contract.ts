// The one suite every UserBackend must pass (the role of keystone/tests/unit/identity/
// test_backends.py). A driver's test file calls it with a factory for a fresh, empty backend.

import { describe, it, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { DuplicateEntity, EntityNotFound, NotFound } from '../errors.js';
import type { UserBackend } from './backend.js';
import type { Group, User } from './model.js';

export interface BackendFixture {
  readonly backend: UserBackend;
  /** Releases whatever the factory opened. */
  close(): Promise<void>;
}

function user(id: string, fields: Partial<User> = {}): User {
  return {
    id, name: `user-${id}`, domainId: 'default', enabled: true, defaultProjectId: null,
    passwordExpiresAt: null, options: {}, extra: {}, ...fields,
  };
}

function group(id: string, fields: Partial<Group> = {}): Group {
  return { id, name: `group-${id}`, domainId: 'default', description: '', extra: {}, ...fields };
}

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id);

export function describeUserBackendContract(name: string, open: () => Promise<BackendFixture>): void {
  describe(`UserBackend contract: ${name}`, () => {
    let fixture: BackendFixture;
    let backend: UserBackend;
    beforeEach(async () => {
      fixture = await open();
      backend = fixture.backend;
    });
    afterEach(async () => fixture.close());

    it('creates users and reads them back by id and by name', async () => {
      const created = await backend.createUser(user('u1', {
        name: 'Zoë 🚀', enabled: false, defaultProjectId: 'p1',
        options: { lock_password: true, multi_factor_auth_rules: [['password', 'totp']] },
        extra: { email: 'z@example.com', description: null },
      }), '$scrypt$hash');
      assert.deepEqual(created, {
        id: 'u1', name: 'Zoë 🚀', domainId: 'default', enabled: false, defaultProjectId: 'p1', passwordExpiresAt: null,
        options: { lock_password: true, multi_factor_auth_rules: [['password', 'totp']] },
        extra: { email: 'z@example.com', description: null },
      });
      assert.deepEqual(await backend.getUser('u1'), created);
      assert.deepEqual(await backend.getUserByName('Zoë 🚀', 'default'), created);
      assert.equal(await backend.getPasswordHash('u1'), '$scrypt$hash');
    });

    it('answers 404 for unknown users', async () => {
      await assert.rejects(backend.getUser('nope'), (e) => e instanceof EntityNotFound && e.message === 'Could not find user: nope.');
      await backend.createUser(user('u1'), null);
      await assert.rejects(backend.getUserByName('user-u1', 'other'), EntityNotFound);
      await assert.rejects(backend.getPasswordHash('nope'), EntityNotFound);
      await assert.rejects(backend.updateUser('nope', { enabled: false }), EntityNotFound);
      await assert.rejects(backend.deleteUser('nope'), EntityNotFound);
    });

    it('keeps user names unique per domain', async () => {
      await backend.createUser(user('u1', { name: 'alice' }), null);
      await backend.createUser(user('u2', { name: 'alice', domainId: 'other' }), null);
      await assert.rejects(backend.createUser(user('u3', { name: 'alice' }), null), (e) => e instanceof DuplicateEntity
        && e.message === 'Conflict occurred attempting to store user - Duplicate entry found with name alice at domain ID default.');
      await backend.createUser(user('u4', { name: 'bob' }), null);
      await assert.rejects(backend.updateUser('u4', { name: 'alice' }), (e) => e instanceof DuplicateEntity && e.status === 409);
    });

    it('lists users by name, domain and enabled, ordered by id', async () => {
      await backend.createUser(user('b', { name: 'x', domainId: 'd1' }), null);
      await backend.createUser(user('a', { name: 'y', domainId: 'd1', enabled: false }), null);
      await backend.createUser(user('c', { name: 'x', domainId: 'd2' }), null);
      assert.deepEqual(ids(await backend.listUsers()), ['a', 'b', 'c']);
      assert.deepEqual(ids(await backend.listUsers({ name: 'x' })), ['b', 'c']);
      assert.deepEqual(ids(await backend.listUsers({ domainId: 'd1' })), ['a', 'b']);
      assert.deepEqual(ids(await backend.listUsers({ domainId: 'd1', enabled: true })), ['b']);
      assert.deepEqual(ids(await backend.listUsers({ enabled: false })), ['a']);
      assert.deepEqual(await backend.listUsers({ name: 'none' }), []);
    });

    it('updates only the given columns', async () => {
      await backend.createUser(user('u1', { extra: { email: 'a@b' } }), 'old');
      const updated = await backend.updateUser('u1', { name: 'renamed', enabled: false, extra: { email: 'c@d' }, options: { lock_password: false } });
      assert.deepEqual(updated, user('u1', { name: 'renamed', enabled: false, extra: { email: 'c@d' }, options: { lock_password: false } }));
      assert.equal(await backend.getPasswordHash('u1'), 'old');
      await backend.updateUser('u1', { passwordHash: null, defaultProjectId: 'p9' });
      assert.equal(await backend.getPasswordHash('u1'), null);
      assert.equal((await backend.getUser('u1')).defaultProjectId, 'p9');
      assert.deepEqual(await backend.updateUser('u1', {}), await backend.getUser('u1'));
    });

    it('clears a deleted project from default_project_id', async () => {
      await backend.createUser(user('u1', { defaultProjectId: 'p1' }), null);
      await backend.createUser(user('u2', { defaultProjectId: 'p2' }), null);
      assert.deepEqual(await backend.unsetDefaultProjectId('p1'), ['u1']);
      assert.equal((await backend.getUser('u1')).defaultProjectId, null);
      assert.equal((await backend.getUser('u2')).defaultProjectId, 'p2');
      assert.deepEqual(await backend.unsetDefaultProjectId('p1'), []);
    });

    it('creates, lists, updates and deletes groups', async () => {
      const created = await backend.createGroup(group('g2', { name: 'ops', description: null, extra: { tag: 1 } }));
      assert.deepEqual(created, group('g2', { name: 'ops', description: null, extra: { tag: 1 } }));
      await backend.createGroup(group('g1', { name: 'dev', domainId: 'd1' }));
      assert.deepEqual(await backend.getGroupByName('ops', 'default'), created);
      assert.deepEqual(ids(await backend.listGroups()), ['g1', 'g2']);
      assert.deepEqual(ids(await backend.listGroups({ domainId: 'd1' })), ['g1']);
      assert.deepEqual(ids(await backend.listGroups({ name: 'ops' })), ['g2']);
      assert.deepEqual(await backend.updateGroup('g2', { description: 'Operators' }), { ...created, description: 'Operators' });
      await backend.deleteGroup('g2');
      await assert.rejects(backend.getGroup('g2'), (e) => e instanceof EntityNotFound && e.message === 'Could not find group: g2.');
      await assert.rejects(backend.deleteGroup('g2'), EntityNotFound);
      await assert.rejects(backend.updateGroup('g2', { name: 'x' }), EntityNotFound);
    });

    it('keeps group names unique per domain', async () => {
      await backend.createGroup(group('g1', { name: 'ops' }));
      await backend.createGroup(group('g2', { name: 'ops', domainId: 'other' }));
      await assert.rejects(backend.createGroup(group('g3', { name: 'ops' })), (e) => e instanceof DuplicateEntity
        && e.message === 'Conflict occurred attempting to store group - Duplicate entry found with name ops at domain ID default.');
      await backend.createGroup(group('g4', { name: 'dev' }));
      await assert.rejects(backend.updateGroup('g4', { name: 'ops' }), DuplicateEntity);
    });

    it('manages memberships', async () => {
      await backend.createUser(user('u1', { name: 'alice' }), null);
      await backend.createUser(user('u2', { name: 'bob', enabled: false }), null);
      await backend.createGroup(group('g1', { name: 'ops' }));
      await backend.createGroup(group('g2', { name: 'dev' }));
      await backend.addUserToGroup('u1', 'g1');
      await backend.addUserToGroup('u1', 'g1');
      await backend.addUserToGroup('u2', 'g1');
      await backend.addUserToGroup('u1', 'g2');
      await backend.checkUserInGroup('u1', 'g1');
      await assert.rejects(backend.checkUserInGroup('u2', 'g2'), (e) => e instanceof NotFound && e.message === "User 'u2' not found in group 'g2'");
      assert.deepEqual(ids(await backend.listUsersInGroup('g1')), ['u1', 'u2']);
      assert.deepEqual(ids(await backend.listUsersInGroup('g1', { enabled: false })), ['u2']);
      assert.deepEqual(ids(await backend.listUsersInGroup('g1', { name: 'alice' })), ['u1']);
      assert.deepEqual(ids(await backend.listGroupsForUser('u1')), ['g1', 'g2']);
      assert.deepEqual(ids(await backend.listGroupsForUser('u1', { name: 'dev' })), ['g2']);
      await backend.removeUserFromGroup('u1', 'g1');
      await assert.rejects(backend.removeUserFromGroup('u1', 'g1'), (e) => e instanceof NotFound && !(e instanceof EntityNotFound));
      assert.deepEqual(ids(await backend.listUsersInGroup('g1')), ['u2']);
    });

    it('answers 404 for memberships of unknown users or groups', async () => {
      await backend.createUser(user('u1'), null);
      await backend.createGroup(group('g1'));
      await assert.rejects(backend.addUserToGroup('nope', 'g1'), (e) => e instanceof EntityNotFound && e.message.includes('user'));
      await assert.rejects(backend.addUserToGroup('u1', 'nope'), (e) => e instanceof EntityNotFound && e.message.includes('group'));
      await assert.rejects(backend.checkUserInGroup('nope', 'g1'), EntityNotFound);
      await assert.rejects(backend.removeUserFromGroup('u1', 'nope'), EntityNotFound);
      await assert.rejects(backend.listGroupsForUser('nope'), EntityNotFound);
      await assert.rejects(backend.listUsersInGroup('nope'), EntityNotFound);
    });

    it('drops memberships with the user or the group', async () => {
      await backend.createUser(user('u1'), null);
      await backend.createUser(user('u2'), null);
      await backend.createGroup(group('g1'));
      await backend.createGroup(group('g2'));
      await backend.addUserToGroup('u1', 'g1');
      await backend.addUserToGroup('u2', 'g1');
      await backend.addUserToGroup('u2', 'g2');
      await backend.deleteUser('u1');
      assert.deepEqual(ids(await backend.listUsersInGroup('g1')), ['u2']);
      await backend.deleteGroup('g1');
      assert.deepEqual(ids(await backend.listGroupsForUser('u2')), ['g2']);
    });
  });
}
