// AssignmentManager: grant checks, direct and effective listings (groups, OS-INHERIT
// inheritance, implied roles, domain-specific roles), token roles and cleanup on events.
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EntityNotFound } from '../errors.js';
import { DomainSpecificRoleMismatch, RoleAssignmentNotFound, RoleNotFound, ValidationError } from './errors.js';
import type { Grant, RoleAssignment } from './model.js';
import { createAssignmentTestStack } from './testing.js';
import type { AssignmentTestStack } from './testing.js';

/**
 * default: top ─ mid ─ leaf, and other; d2: x.
 * alice and bob are in group devs; carol is alone.
 * admin ⇒ member ⇒ reader; the domain-specific role dr (default) ⇒ member.
 */
async function seed(stack: AssignmentTestStack): Promise<Record<string, string>> {
  stack.resources.addDomain('default', 'Default').addDomain('d2', 'Second')
    .addProject('top', 'default').addProject('mid', 'default', 'top').addProject('leaf', 'default', 'mid')
    .addProject('other', 'default').addProject('x', 'd2');
  stack.identity.addUser('alice').addUser('bob').addUser('carol', 'd2')
    .addGroup('devs').addMember('devs', 'alice').addMember('devs', 'bob');
  const ids: Record<string, string> = {};
  for (const name of ['admin', 'member', 'reader', 'observer']) ids[name] = (await stack.roles.createRole({ name })).id;
  ids.dr = (await stack.roles.createRole({ name: 'dr', domainId: 'default' })).id;
  await stack.roles.createImpliedRole(ids.admin as string, ids.member as string);
  await stack.roles.createImpliedRole(ids.member as string, ids.reader as string);
  await stack.roles.createImpliedRole(ids.dr as string, ids.member as string);
  return ids;
}

function userGrant(roleId: string, userId: string, targetType: Grant['targetType'], targetId: string, inherited = false): Grant {
  return { roleId, actorType: 'user', actorId: userId, targetType, targetId, inherited };
}

function groupGrant(roleId: string, groupId: string, targetType: Grant['targetType'], targetId: string, inherited = false): Grant {
  return { roleId, actorType: 'group', actorId: groupId, targetType, targetId, inherited };
}

/** `user@target:role` strings, sorted, for compact comparisons. */
function brief(entries: readonly RoleAssignment[], names: Record<string, string>): string[] {
  const byId = Object.fromEntries(Object.entries(names).map(([name, id]) => [id, name]));
  return entries.map((e) => `${e.actorId}@${e.targetId}:${byId[e.roleId] ?? e.roleId}${e.inherited ? '+inherited' : ''}`).sort();
}

describe('AssignmentManager', () => {
  let stack: AssignmentTestStack;
  let ids: Record<string, string>;
  const id = (name: string): string => ids[name] as string;

  beforeEach(async () => {
    stack = await createAssignmentTestStack();
    ids = await seed(stack);
  });

  afterEach(() => stack.database.close());

  describe('grants', () => {
    it('checks that the role, actor and target exist', async () => {
      await assert.rejects(stack.assignment.createGrant(userGrant('nope', 'alice', 'project', 'top')), RoleNotFound);
      await assert.rejects(stack.assignment.createGrant(userGrant(id('member'), 'nobody', 'project', 'top')), /Could not find user: nobody\./);
      await assert.rejects(stack.assignment.createGrant(groupGrant(id('member'), 'nogroup', 'domain', 'default')), /Could not find group: nogroup\./);
      await assert.rejects(stack.assignment.createGrant(userGrant(id('member'), 'alice', 'project', 'gone')), /Could not find project: gone\./);
      await assert.rejects(stack.assignment.createGrant(userGrant(id('member'), 'alice', 'domain', 'gone')), EntityNotFound);
    });

    it('keeps domain-specific roles inside their domain and off the system', async () => {
      await stack.assignment.createGrant(userGrant(id('dr'), 'alice', 'project', 'top'));
      await assert.rejects(stack.assignment.createGrant(userGrant(id('dr'), 'alice', 'project', 'x')), DomainSpecificRoleMismatch);
      await assert.rejects(stack.assignment.createGrant(userGrant(id('dr'), 'alice', 'system', 'system')), ValidationError);
    });

    it('grants idempotently, checks, lists and revokes', async () => {
      const grant = userGrant(id('member'), 'alice', 'project', 'top');
      await stack.assignment.createGrant(grant);
      await stack.assignment.ensureGrant(grant);
      assert.equal((await stack.assignment.checkGrant(grant)).name, 'member');
      await assert.rejects(stack.assignment.checkGrant({ ...grant, inherited: true }), (e: Error) => e instanceof RoleAssignmentNotFound
        && e.message === `Could not find role assignment with role: ${id('member')}, user or group: alice, project, domain, or system: top.`);
      assert.deepEqual((await stack.assignment.listGrants({ actorType: 'user', actorId: 'alice', targetType: 'project', targetId: 'top', inherited: false })).map((r) => r.name), ['member']);
      await stack.assignment.deleteGrant(grant);
      await assert.rejects(stack.assignment.deleteGrant(grant), RoleAssignmentNotFound);
    });

    it('revokes what a deleted user still holds', async () => {
      const grant = userGrant(id('member'), 'carol', 'domain', 'd2');
      await stack.assignment.createGrant(grant);
      stack.identity.users.delete('carol');
      await stack.assignment.deleteGrant(grant);
    });

    it('describes the parties of a grant, leniently when asked', async () => {
      const parties = await stack.assignment.describeGrant(userGrant(id('member'), 'alice', 'project', 'mid'));
      assert.equal(parties.role?.name, 'member');
      assert.equal(parties.user?.domainId, 'default');
      assert.equal(parties.project?.parentId, 'top');
      const lenient = await stack.assignment.describeGrant(groupGrant('nope', 'nogroup', 'domain', 'gone'), { lenient: true });
      assert.deepEqual(lenient, {});
      await assert.rejects(stack.assignment.describeGrant(userGrant(id('member'), 'ghost', 'domain', 'default')), EntityNotFound);
      assert.equal((await stack.assignment.describeGrant(userGrant(id('member'), 'ghost', 'domain', 'default'), { allowMissingActor: true })).domain?.name, 'Default');
    });
  });

  describe('direct listings', () => {
    beforeEach(async () => {
      await stack.assignment.createGrant(userGrant(id('member'), 'alice', 'project', 'top'));
      await stack.assignment.createGrant(userGrant(id('reader'), 'alice', 'project', 'leaf'));
      await stack.assignment.createGrant(groupGrant(id('observer'), 'devs', 'domain', 'default', true));
      await stack.assignment.createGrant(userGrant(id('admin'), 'carol', 'system', 'system'));
      await stack.assignment.createGrant(userGrant(id('member'), 'carol', 'domain', 'd2'));
    });

    it('lists every grant, system ones included, without expanding', async () => {
      assert.deepEqual(brief(await stack.assignment.listRoleAssignments({}), ids), [
        'alice@leaf:reader', 'alice@top:member', 'carol@d2:member', 'carol@system:admin', 'devs@default:observer+inherited',
      ]);
    });

    it('filters by actor, target, role, system and inheritance', async () => {
      const list = async (query: object) => brief(await stack.assignment.listRoleAssignments(query), ids);
      assert.deepEqual(await list({ userId: 'carol' }), ['carol@d2:member', 'carol@system:admin']);
      assert.deepEqual(await list({ system: true }), ['carol@system:admin']);
      assert.deepEqual(await list({ domainId: 'default' }), ['devs@default:observer+inherited']);
      assert.deepEqual(await list({ domainId: 'default', inherited: false }), []);
      assert.deepEqual(await list({ projectId: 'top' }), ['alice@top:member']);
      assert.deepEqual(await list({ projectId: 'top', includeSubtree: true }), ['alice@leaf:reader', 'alice@top:member']);
      assert.deepEqual(await list({ roleId: id('member') }), ['alice@top:member', 'carol@d2:member']);
      assert.deepEqual(await list({ groupId: 'devs' }), ['devs@default:observer+inherited']);
      assert.deepEqual(await list({ withinDomainId: 'd2' }), ['carol@d2:member']);
    });

    it('adds names, leaving unknown actors nameless', async () => {
      stack.identity.users.delete('carol');
      const named = await stack.assignment.listRoleAssignments({ includeNames: true, domainId: 'd2' });
      assert.deepEqual(named[0]?.names, { role: { name: 'member', domainId: null, domainName: null }, actor: { name: '', domainId: '', domainName: '' }, target: { name: 'Second' } });
      const onProject = await stack.assignment.listRoleAssignments({ includeNames: true, projectId: 'top' });
      assert.deepEqual(onProject[0]?.names?.target, { name: 'top', domainId: 'default', domainName: 'Default' });
      assert.deepEqual(onProject[0]?.names?.actor, { name: 'alice', domainId: 'default', domainName: 'Default' });
    });
  });

  describe('effective listings and token roles', () => {
    it('expands group grants into their members, naming the group', async () => {
      await stack.assignment.createGrant(groupGrant(id('reader'), 'devs', 'project', 'other'));
      const entries = await stack.assignment.listRoleAssignments({ effective: true });
      assert.deepEqual(brief(entries, ids), ['alice@other:reader', 'bob@other:reader']);
      assert.deepEqual(entries.map((e) => e.indirect), [{ groupId: 'devs' }, { groupId: 'devs' }]);
      assert.deepEqual(brief(await stack.assignment.listRoleAssignments({ effective: true, userId: 'bob' }), ids), ['bob@other:reader']);
    });

    it('applies domain grants inherited to projects to every project of the domain, not the domain', async () => {
      await stack.assignment.createGrant(userGrant(id('observer'), 'alice', 'domain', 'default', true));
      const entries = await stack.assignment.listRoleAssignments({ effective: true, userId: 'alice' });
      assert.deepEqual(brief(entries, ids), ['alice@leaf:observer', 'alice@mid:observer', 'alice@other:observer', 'alice@top:observer']);
      assert.deepEqual(entries[0]?.indirect, { domainId: 'default' });
      assert.deepEqual(await stack.assignment.getRoleNamesAndIdsForUserOnDomain('alice', 'default'), []);
      assert.deepEqual((await stack.assignment.getRoleNamesAndIdsForUserOnProject('alice', 'leaf')).map((r) => r.name), ['observer']);
    });

    it('applies project grants inherited to projects to the subtree below the anchor only', async () => {
      await stack.assignment.createGrant(groupGrant(id('observer'), 'devs', 'project', 'top', true));
      assert.deepEqual((await stack.assignment.getRoleNamesAndIdsForUserOnProject('bob', 'top')).map((r) => r.name), []);
      assert.deepEqual((await stack.assignment.getRoleNamesAndIdsForUserOnProject('bob', 'leaf')).map((r) => r.name), ['observer']);
      const onLeaf = await stack.assignment.listRoleAssignments({ effective: true, projectId: 'leaf' });
      assert.deepEqual(brief(onLeaf, ids), ['alice@leaf:observer', 'bob@leaf:observer']);
      assert.deepEqual(onLeaf[0]?.indirect, { groupId: 'devs', projectId: 'top' });
    });

    it('limits an anchor inside a listed subtree to its own part of it', async () => {
      await stack.assignment.createGrant(userGrant(id('observer'), 'alice', 'project', 'mid', true));
      await stack.assignment.createGrant(userGrant(id('reader'), 'alice', 'project', 'top'));
      const tree = await stack.assignment.listRoleAssignments({ effective: true, projectId: 'top', includeSubtree: true, roleId: id('observer') });
      assert.deepEqual(brief(tree, ids), ['alice@leaf:observer']);
      assert.deepEqual(brief(await stack.assignment.listRoleAssignments({ effective: true, projectId: 'top', inherited: false }), ids), ['alice@top:reader']);
    });

    it('expands implied roles transitively, naming the prior role', async () => {
      await stack.assignment.createGrant(userGrant(id('admin'), 'alice', 'project', 'top'));
      const entries = await stack.assignment.listRoleAssignments({ effective: true, userId: 'alice' });
      assert.deepEqual(brief(entries, ids), ['alice@top:admin', 'alice@top:member', 'alice@top:reader']);
      assert.deepEqual(entries.find((e) => e.roleId === id('reader'))?.indirect, { roleId: id('member') });
      assert.deepEqual((await stack.assignment.getRoleNamesAndIdsForUserOnProject('alice', 'top')).map((r) => r.name), ['admin', 'member', 'reader']);
      assert.deepEqual(brief(await stack.assignment.listRoleAssignments({ effective: true, roleId: id('reader') }), ids), ['alice@top:reader']);
    });

    it('survives loops among inference rules', async () => {
      await stack.roles.createImpliedRole(id('reader'), id('observer'));
      await stack.roles.createImpliedRole(id('observer'), id('member'));
      await stack.assignment.createGrant(userGrant(id('member'), 'alice', 'project', 'top'));
      assert.deepEqual((await stack.assignment.getRoleNamesAndIdsForUserOnProject('alice', 'top')).map((r) => r.name), ['member', 'observer', 'reader']);
    });

    it('keeps domain-specific roles out of effective roles but keeps what they imply', async () => {
      await stack.assignment.createGrant(userGrant(id('dr'), 'alice', 'project', 'top'));
      const roles = await stack.assignment.getRoleNamesAndIdsForUserOnProject('alice', 'top');
      assert.deepEqual(roles, [
        { id: id('member'), name: 'member', domainId: null },
        { id: id('reader'), name: 'reader', domainId: null },
      ]);
    });

    it('gives system roles from user and group grants with their implied roles', async () => {
      await stack.assignment.createGrant(groupGrant(id('member'), 'devs', 'system', 'system'));
      await stack.assignment.createGrant(userGrant(id('observer'), 'alice', 'system', 'system'));
      assert.deepEqual((await stack.assignment.getRoleNamesAndIdsForUserOnSystem('alice')).map((r) => r.name), ['member', 'observer', 'reader']);
      assert.deepEqual(await stack.assignment.getRoleNamesAndIdsForUserOnSystem('carol'), []);
      assert.deepEqual(await stack.assignment.listRoleAssignments({ effective: true, userId: 'alice' }), []);
    });

    it('lists the projects and domains where a user has any effective role', async () => {
      await stack.assignment.createGrant(groupGrant(id('reader'), 'devs', 'project', 'mid', true));
      await stack.assignment.createGrant(userGrant(id('reader'), 'alice', 'project', 'other'));
      await stack.assignment.createGrant(groupGrant(id('reader'), 'devs', 'domain', 'd2'));
      assert.deepEqual((await stack.assignment.listProjectIdsForUser('alice')).sort(), ['leaf', 'other']);
      assert.deepEqual(await stack.assignment.listDomainIdsForUser('bob'), ['d2']);
      await assert.rejects(stack.assignment.listProjectIdsForUser('nobody'), EntityNotFound);
    });

    it('gives nothing for group or inherited domain filters, and 404s for unknown scopes', async () => {
      await stack.assignment.createGrant(groupGrant(id('reader'), 'devs', 'project', 'other'));
      assert.deepEqual(await stack.assignment.listRoleAssignments({ effective: true, groupId: 'devs' }), []);
      assert.deepEqual(await stack.assignment.listRoleAssignments({ effective: true, domainId: 'default', inherited: true }), []);
      await assert.rejects(stack.assignment.getRoleNamesAndIdsForUserOnProject('alice', 'gone'), EntityNotFound);
      await assert.rejects(stack.assignment.getRoleNamesAndIdsForUserOnDomain('alice', 'gone'), EntityNotFound);
    });
  });

  describe('cleanup on events', () => {
    beforeEach(async () => {
      await stack.assignment.createGrant(userGrant(id('member'), 'alice', 'project', 'top'));
      await stack.assignment.createGrant(userGrant(id('member'), 'alice', 'domain', 'default'));
      await stack.assignment.createGrant(userGrant(id('reader'), 'bob', 'system', 'system'));
      await stack.assignment.createGrant(groupGrant(id('reader'), 'devs', 'project', 'other'));
    });

    const remaining = async (): Promise<string[]> => brief(await stack.assignment.listRoleAssignments({}), ids);

    it('drops the grants of deleted projects, domains, users and groups', async () => {
      await stack.events.emit('project.deleted', { projectId: 'top' });
      assert.deepEqual(await remaining(), ['alice@default:member', 'bob@system:reader', 'devs@other:reader']);
      await stack.events.emit('domain.deleted', { domainId: 'default' });
      assert.deepEqual(await remaining(), ['bob@system:reader', 'devs@other:reader']);
      await stack.events.emit('user.deleted', { userId: 'bob' });
      await stack.events.emit('group.deleted', { groupId: 'devs' });
      assert.deepEqual(await remaining(), []);
    });

    it('drops the grants of a deleted role', async () => {
      await stack.roles.deleteRole(id('member'));
      assert.deepEqual(await remaining(), ['bob@system:reader', 'devs@other:reader']);
    });
  });
});
