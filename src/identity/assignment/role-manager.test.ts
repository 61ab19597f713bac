// RoleManager: immutable roles, domain-specific roles, inference rules and bootstrap helpers.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EntityNotFound } from '../errors.js';
import {
  DuplicateRole, InvalidImpliedRole, ResourceDeleteForbidden, ResourceUpdateForbidden, RoleNotFound, ValidationError,
} from './errors.js';
import { createAssignmentTestStack } from './testing.js';
import type { AssignmentTestStack } from './testing.js';

describe('RoleManager', () => {
  let stack: AssignmentTestStack;

  beforeEach(async () => {
    stack = await createAssignmentTestStack();
    stack.resources.addDomain('default', 'Default').addDomain('d2');
  });

  afterEach(() => stack.database.close());

  it('creates global and domain-specific roles, checking the domain exists', async () => {
    const role = await stack.roles.createRole({ name: 'viewer', description: 'sees', extra: { tier: 1 } });
    assert.match(role.id, /^[0-9a-f]{32}$/);
    assert.deepEqual({ ...role, id: '' }, { id: '', name: 'viewer', domainId: null, description: 'sees', options: {}, extra: { tier: 1 } });
    assert.equal((await stack.roles.createRole({ name: 'viewer', domainId: 'd2' })).domainId, 'd2');
    await assert.rejects(stack.roles.createRole({ name: 'viewer' }), DuplicateRole);
    await assert.rejects(stack.roles.createRole({ name: 'x', domainId: 'nowhere' }), EntityNotFound);
  });

  it('refuses to change an immutable role except to make it mutable', async () => {
    const role = await stack.roles.createRole({ name: 'locked', options: { immutable: true } });
    await assert.rejects(stack.roles.updateRole(role.id, { name: 'renamed' }), ResourceUpdateForbidden);
    await assert.rejects(stack.roles.updateRole(role.id, { name: 'renamed', options: { immutable: false } }), ResourceUpdateForbidden);
    await assert.rejects(stack.roles.deleteRole(role.id), (e: Error) => e instanceof ResourceDeleteForbidden
      && e.message === `Unable to delete immutable role resource: \`${role.id}. Set resource option "immutable" to false first.`);
    assert.deepEqual((await stack.roles.updateRole(role.id, { options: { immutable: false } })).options, { immutable: false });
    assert.equal((await stack.roles.updateRole(role.id, { name: 'renamed', options: { immutable: null } })).name, 'renamed');
    assert.deepEqual((await stack.roles.getRole(role.id)).options, {});
    await stack.roles.deleteRole(role.id);
    await assert.rejects(stack.roles.getRole(role.id), RoleNotFound);
  });

  it('merges extra attributes and refuses to move a role between domains', async () => {
    const role = await stack.roles.createRole({ name: 'r', domainId: 'd2', extra: { a: 1 } });
    const updated = await stack.roles.updateRole(role.id, { description: 'd', extra: { b: 2 } });
    assert.deepEqual(updated.extra, { a: 1, b: 2 });
    assert.equal((await stack.roles.updateRole(role.id, { domainId: 'd2' })).domainId, 'd2');
    await assert.rejects(stack.roles.updateRole(role.id, { domainId: null }), (e: Error) => e instanceof ValidationError && e.message === 'Update of `domain_id` is not allowed.');
  });

  it('enforces Keystone rules on which roles may be implied', async () => {
    const admin = await stack.roles.createRole({ name: 'admin' });
    const member = await stack.roles.createRole({ name: 'member' });
    const domainRole = await stack.roles.createRole({ name: 'dr', domainId: 'd2' });
    await assert.rejects(stack.roles.createImpliedRole(member.id, admin.id), (e: Error) => e instanceof InvalidImpliedRole && e.message === `${admin.id} cannot be an implied roles.`);
    await assert.rejects(stack.roles.createImpliedRole(member.id, domainRole.id), /Global role cannot imply a domain-specific role/);
    await stack.roles.createImpliedRole(domainRole.id, member.id);
    await stack.roles.createImpliedRole(admin.id, member.id);
    await assert.rejects(stack.roles.createImpliedRole('missing', member.id), RoleNotFound);
    assert.deepEqual((await stack.roles.listImpliedRoles(admin.id)).map((r) => r.name), ['member']);
    const inferences = await stack.roles.listRoleInferences();
    assert.deepEqual(inferences.map((i) => [i.priorRole.name, i.implies.map((r) => r.name)]).sort(), [['admin', ['member']], ['dr', ['member']]]);
    await stack.roles.deleteImpliedRole(admin.id, member.id);
    assert.deepEqual(await stack.roles.listImpliedRoles(admin.id), []);
  });

  it('ensures roles and inference rules idempotently', async () => {
    const reader = await stack.roles.ensureRole('reader', { immutable: true });
    assert.equal((await stack.roles.ensureRole('reader')).id, reader.id);
    assert.deepEqual(reader.options, { immutable: true });
    const member = await stack.roles.ensureRole('member');
    await stack.roles.ensureImpliedRole(member.id, reader.id);
    await stack.roles.ensureImpliedRole(member.id, reader.id);
    assert.equal((await stack.roles.listImpliedRoles(member.id)).length, 1);
  });

  it('announces deleted roles and deletes the roles of a deleted domain', async () => {
    const deleted: string[] = [];
    stack.events.on('role.deleted', async ({ roleId }) => { deleted.push(roleId); });
    const global = await stack.roles.createRole({ name: 'g' });
    const owned = await stack.roles.createRole({ name: 'o', domainId: 'd2', options: { immutable: true } });
    await stack.roles.deleteRole(global.id);
    await stack.events.emit('domain.deleted', { domainId: 'd2' });
    assert.deepEqual(deleted, [global.id, owned.id]);
    assert.deepEqual(await stack.roles.listRoles({ domainId: 'd2' }), []);
  });
});
