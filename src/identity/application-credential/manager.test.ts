// ApplicationCredentialManager on SQLite with a fake role lookup: roles, secrets, expiry, events.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { AuthenticationFailed, Conflict, EntityNotFound, NotFound, ValidationError } from '../errors.js';
import { IdentityEvents } from '../events.js';
import { SqlApplicationCredentialBackend } from './backends/sql.js';
import type { ApplicationCredentialTables } from './backends/sql.js';
import { ApplicationCredentialValidationError, ValidationExpirationError } from './errors.js';
import { ApplicationCredentialManager } from './manager.js';
import { applicationCredentialMigrations } from './migrations.js';
import type { RoleLookup, RoleRecord } from './role-lookup.js';
import { ScryptPasswordHasher } from '../password-hash.js';

const ROLES: Record<string, RoleRecord> = {
  admin: { id: 'r-admin', name: 'admin', domainId: null },
  manager: { id: 'r-manager', name: 'manager', domainId: null },
  member: { id: 'r-member', name: 'member', domainId: null },
  reader: { id: 'r-reader', name: 'reader', domainId: null },
};
const IMPLIES: Record<string, string[]> = { 'r-admin': ['manager'], 'r-manager': ['member'], 'r-member': ['reader'] };

const fakeRoles: RoleLookup = {
  async getRoleByName(name) {
    const role = ROLES[name];
    if (!role) throw new EntityNotFound('role', name);
    return role;
  },
  async listImpliedRoles(roleId) {
    return (IMPLIES[roleId] ?? []).map((n) => ROLES[n]!);
  },
};

describe('ApplicationCredentialManager', () => {
  let manager: ApplicationCredentialManager;
  let events: IdentityEvents;
  let now: Date;
  const base = { userId: 'u1', projectId: 'p1', tokenRoles: ['member', 'reader'] };

  beforeEach(async () => {
    const database = openDatabase<ApplicationCredentialTables>('sqlite:///:memory:');
    await migrateDatabase(database, 'identity', applicationCredentialMigrations);
    events = new IdentityEvents();
    now = new Date('2030-01-01T00:00:00Z');
    manager = new ApplicationCredentialManager({
      hasher: new ScryptPasswordHasher({ cost: 1024 }),
      backend: new SqlApplicationCredentialBackend(database.db), roles: fakeRoles, events, now: () => now,
    });
  });

  it('creates with a generated secret shown once and every role of the token by default', async () => {
    const created = await manager.create({ ...base, name: 'ci' });
    assert.match(created.secret, /^[A-Za-z0-9_-]{86}$/);
    assert.deepEqual(created.roles.map((r) => r.name).sort(), ['member', 'reader']);
    assert.deepEqual({ ...created, secret: undefined, roles: undefined, id: undefined }, {
      name: 'ci', description: null, userId: 'u1', projectId: 'p1', expiresAt: null, unrestricted: false, accessRules: [],
      secret: undefined, roles: undefined, id: undefined,
    });
    const fetched = await manager.get(created.id);
    assert.equal('secret' in fetched, false);
    assert.equal('secretHash' in fetched, false);
    assert.deepEqual((await manager.list('u1')).map((c) => c.id), [created.id]);
  });

  it('adds implied roles and refuses roles the token lacks', async () => {
    const onlyMember = await manager.create({ ...base, name: 'm', roles: [{ id: 'r-member' }] });
    assert.deepEqual(onlyMember.roles.map((r) => r.name), ['member', 'reader']);
    await assert.rejects(manager.create({ ...base, name: 'a', roles: [{ name: 'admin' }] }), (e: unknown) =>
      e instanceof ApplicationCredentialValidationError && e.status === 400
      && e.message === 'Invalid application credential: Cannot create an application credential with unassigned role');
    await assert.rejects(manager.create({ ...base, name: 'g', roles: [{ id: 'r-ghost' }] }), ApplicationCredentialValidationError);
    await assert.rejects(manager.create({ ...base, name: 'n', roles: [{ name: 'nope' }] }), (e: unknown) =>
      e instanceof NotFound && e.message === 'Could not find role: nope.');
  });

  it('refuses a duplicate name and an expiry in the past', async () => {
    await manager.create({ ...base, name: 'dup' });
    await assert.rejects(manager.create({ ...base, name: 'dup' }), Conflict);
    await assert.rejects(manager.create({ ...base, name: 'old', expiresAt: new Date('2029-12-31T23:59:59Z') }), ValidationExpirationError);
  });

  it('authenticates by id or by name and user, until it expires', async () => {
    const created = await manager.create({ ...base, name: 'app', secret: 'pw', expiresAt: new Date('2030-01-01T01:00:00Z'), unrestricted: true });
    assert.equal((await manager.authenticate({ id: created.id }, 'pw')).id, created.id);
    const byName = await manager.authenticate({ name: 'app', userId: 'u1' }, 'pw');
    assert.deepEqual(byName, await manager.get(created.id));
    const refused = (e: unknown) => e instanceof AuthenticationFailed && e.status === 401 && e.message === 'Invalid application credential ID or secret';
    await assert.rejects(manager.authenticate({ id: created.id }, 'wrong'), refused);
    await assert.rejects(manager.authenticate({ id: 'ghost' }, 'pw'), refused);
    await assert.rejects(manager.authenticate({ name: 'app', userId: 'u2' }, 'pw'), refused);
    now = new Date('2030-01-01T01:00:00Z');
    await assert.rejects(manager.authenticate({ id: created.id }, 'pw'), refused);
    await assert.rejects(manager.authenticate({ name: '', userId: '' }, 'pw'), ValidationError);
  });

  it('forgets the credentials of a deleted user or project, and deletes one', async () => {
    const a = await manager.create({ ...base, name: 'a' });
    const b = await manager.create({ ...base, name: 'b', projectId: 'p2' });
    const c = await manager.create({ ...base, name: 'c', userId: 'u2' });
    await events.emit('project.deleted', { projectId: 'p2' });
    await assert.rejects(manager.get(b.id), NotFound);
    await events.emit('user.deleted', { userId: 'u1' });
    await assert.rejects(manager.get(a.id), NotFound);
    await manager.delete(c.id);
    await assert.rejects(manager.delete(c.id), NotFound);
  });
});
