// The SQL role and grant backends on every dialect this machine offers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrateDatabase, openDatabase } from '../../../common/db/index.js';
import type { Database } from '../../../common/db/index.js';
import { testDatabaseTargets } from '../../../common/db/testing.js';
import { DuplicateImpliedRole, DuplicateRole, ImpliedRoleNotFound, RoleNotFound } from '../errors.js';
import { assignmentMigrations } from '../migrations.js';
import type { Grant, Role } from '../model.js';
import { SqlAssignmentBackend } from './sql.js';
import type { AssignmentTables } from './sql.js';
import { SqlRoleBackend } from './sql-roles.js';

function role(id: string, name: string, domainId: string | null = null): Role {
  return { id, name, domainId, description: null, options: {}, extra: {} };
}

function grant(fields: Partial<Grant>): Grant {
  return { roleId: 'r1', actorType: 'user', actorId: 'u1', targetType: 'project', targetId: 'p1', inherited: false, ...fields };
}

for (const target of await testDatabaseTargets()) {
  describe(`assignment SQL backends on ${target.dialect}`, { skip: target.skipReason }, () => {
    let database: Database<AssignmentTables>;
    let drop: () => Promise<void>;
    let roles: SqlRoleBackend;
    let grants: SqlAssignmentBackend;

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      database = openDatabase<AssignmentTables>(created.url);
      assert.deepEqual(await migrateDatabase(database, 'identity', assignmentMigrations), ['003_assignment_initial']);
      roles = new SqlRoleBackend(database.db);
      grants = new SqlAssignmentBackend(database.db);
    });

    after(async () => {
      await database?.close();
      await drop?.();
    });

    it('round-trips roles with options, description and extra attributes', async () => {
      const created = await roles.createRole({ ...role('a1', 'alpha'), description: 'first', options: { immutable: true }, extra: { color: 'blue', n: 2 } });
      assert.deepEqual(created, { id: 'a1', name: 'alpha', domainId: null, description: 'first', options: { immutable: true }, extra: { color: 'blue', n: 2 } });
      assert.deepEqual(await roles.getRole('a1'), created);
      await assert.rejects(roles.getRole('nope'), RoleNotFound);
    });

    it('keeps role names unique per domain, global roles included', async () => {
      await roles.createRole(role('b1', 'beta'));
      await assert.rejects(roles.createRole(role('b2', 'beta')), (e: Error) => e instanceof DuplicateRole && e.message === 'Conflict occurred attempting to store role - Duplicate entry found with name beta.');
      await roles.createRole(role('b3', 'beta', 'd1'));
      await assert.rejects(roles.createRole(role('b4', 'beta', 'd1')), /with name beta at domain ID d1\./);
      await roles.createRole(role('b5', 'beta', 'd2'));
      await assert.rejects(roles.updateRole({ ...role('a1', 'beta') }), DuplicateRole);
    });

    it('filters roles by name and domain', async () => {
      assert.deepEqual((await roles.listRoles({ name: 'beta' })).map((r) => r.id).sort(), ['b1', 'b3', 'b5']);
      assert.deepEqual((await roles.listRoles({ name: 'beta', domainId: null })).map((r) => r.id), ['b1']);
      assert.deepEqual((await roles.listRoles({ domainId: 'd1' })).map((r) => r.id), ['b3']);
      assert.deepEqual((await roles.listRolesByIds(['b1', 'b5', 'missing'])).map((r) => r.id).sort(), ['b1', 'b5']);
      assert.deepEqual(await roles.listRolesByIds([]), []);
    });

    it('updates every field and keeps the id', async () => {
      const updated = await roles.updateRole({ ...role('b1', 'beta2'), description: 'changed', extra: { x: 1 } });
      assert.equal(updated.name, 'beta2');
      assert.equal(updated.description, 'changed');
      assert.deepEqual(updated.extra, { x: 1 });
      await assert.rejects(roles.updateRole(role('ghost', 'g')), RoleNotFound);
    });

    it('stores inference rules once and deletes them with either role', async () => {
      await roles.createRole(role('c1', 'gamma'));
      await roles.createRole(role('c2', 'delta'));
      await roles.createRole(role('c3', 'epsilon'));
      await roles.createImpliedRole({ priorRoleId: 'c1', impliedRoleId: 'c2' });
      await roles.createImpliedRole({ priorRoleId: 'c2', impliedRoleId: 'c3' });
      await assert.rejects(roles.createImpliedRole({ priorRoleId: 'c1', impliedRoleId: 'c2' }), DuplicateImpliedRole);
      assert.deepEqual(await roles.getImpliedRole('c1', 'c2'), { priorRoleId: 'c1', impliedRoleId: 'c2' });
      await assert.rejects(roles.getImpliedRole('c2', 'c1'), (e: Error) => e instanceof ImpliedRoleNotFound && e.message === 'c2 does not imply c1.');
      assert.deepEqual(await roles.listImpliedRoles('c1'), [{ priorRoleId: 'c1', impliedRoleId: 'c2' }]);
      assert.equal((await roles.listImpliedRoles()).length, 2);
      await roles.deleteRole('c2');
      assert.deepEqual(await roles.listImpliedRoles(), []);
      await assert.rejects(roles.deleteRole('c2'), RoleNotFound);
      await roles.createImpliedRole({ priorRoleId: 'c1', impliedRoleId: 'c3' });
      await roles.deleteImpliedRole('c1', 'c3');
      await assert.rejects(roles.deleteImpliedRole('c1', 'c3'), ImpliedRoleNotFound);
    });

    it('stores grants idempotently, inherited ones apart', async () => {
      await grants.createGrant(grant({}));
      await grants.createGrant(grant({}));
      await grants.createGrant(grant({ inherited: true }));
      assert.equal(await grants.hasGrant(grant({})), true);
      assert.equal(await grants.hasGrant(grant({ actorType: 'group' })), false);
      assert.equal((await grants.listGrants({ actorIds: ['u1'] })).length, 2);
      assert.equal(await grants.deleteGrant(grant({ inherited: true })), true);
      assert.equal(await grants.deleteGrant(grant({ inherited: true })), false);
      assert.deepEqual(await grants.listGrants({ actorIds: ['u1'] }), [grant({})]);
    });

    it('lists grants by role, actor, target and inherited flag', async () => {
      await grants.createGrant(grant({ actorType: 'group', actorId: 'g1', targetType: 'domain', targetId: 'd1', inherited: true }));
      await grants.createGrant(grant({ roleId: 'r2', targetType: 'system', targetId: 'system' }));
      await grants.createGrant(grant({ roleId: 'r2', actorId: 'u2', targetId: 'p2' }));
      assert.equal((await grants.listGrants({})).length, 4);
      assert.deepEqual((await grants.listGrants({ roleId: 'r2' })).map((g) => g.targetType).sort(), ['project', 'system']);
      assert.deepEqual((await grants.listGrants({ actorType: 'group' })).map((g) => g.actorId), ['g1']);
      assert.deepEqual((await grants.listGrants({ targetTypes: ['project'], targetIds: ['p1', 'p2'] })).map((g) => g.actorId).sort(), ['u1', 'u2']);
      assert.deepEqual((await grants.listGrants({ inherited: true })).map((g) => g.actorId), ['g1']);
      assert.deepEqual(await grants.listGrants({ actorIds: [] }), []);
    });

    it('deletes the grants of an actor, a target or a role', async () => {
      await grants.deleteActorGrants('group', 'g1');
      assert.deepEqual(await grants.listGrants({ actorType: 'group' }), []);
      await grants.deleteTargetGrants('project', 'p2');
      assert.deepEqual(await grants.listGrants({ targetIds: ['p2'] }), []);
      await grants.deleteRoleGrants('r2');
      assert.deepEqual(await grants.listGrants({}), [grant({})]);
    });
  });
}
