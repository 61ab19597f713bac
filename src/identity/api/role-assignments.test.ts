// GET /v3/role_assignments and GET /v3/users/{user_id}/projects through the HTTP layer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { ValidatedToken } from '../../common/auth/index.js';
import { createAssignmentTestStack, testAuthorizer } from '../assignment/testing.js';
import type { AssignmentTestStack } from '../assignment/testing.js';
import { registerRoleAssignmentRoutes } from './role-assignments.js';
import { buildTestApp, TEST_TOKENS } from './testing.js';

const ADMIN = { 'x-auth-token': TEST_TOKENS.admin.token };
const MEMBER = { 'x-auth-token': TEST_TOKENS.member.token };
const DOMAIN_READER = { 'x-auth-token': 'domain-reader-token' };
const BASE = 'http://localhost:80/v3';

const domainReader: ValidatedToken = {
  userId: 'dr-user', userName: 'dr-user', userDomainId: 'd2', userDomainName: 'Second', domainId: 'd2', domainName: 'Second',
  roles: ['reader'], isAdminProject: false, auditIds: ['a'], expiresAt: new Date(Date.now() + 3600_000),
};

interface Entry {
  role: { id: string; name?: string };
  user?: { id: string; name?: string; domain?: { id: string; name: string } };
  group?: { id: string };
  scope: Record<string, unknown>;
  links: Record<string, string>;
}

describe('role assignment routes', () => {
  let stack: AssignmentTestStack;
  let app: FastifyInstance;
  const roles: Record<string, string> = {};

  before(async () => {
    stack = await createAssignmentTestStack();
    stack.resources.addDomain('default', 'Default').addDomain('d2', 'Second')
      .addProject('top', 'default').addProject('leaf', 'default', 'top').addProject('x', 'd2');
    stack.identity.addUser('alice', 'default', 'Alice').addUser('member-user').addUser('carol', 'd2')
      .addGroup('devs', 'default', 'Developers').addMember('devs', 'alice');
    for (const name of ['admin', 'member', 'reader']) roles[name] = (await stack.roles.createRole({ name })).id;
    const id = (name: string): string => roles[name] as string;
    await stack.roles.createImpliedRole(id('member'), id('reader'));
    await stack.assignment.createGrant({ roleId: id('member'), actorType: 'user', actorId: 'alice', targetType: 'project', targetId: 'top', inherited: false });
    await stack.assignment.createGrant({ roleId: id('reader'), actorType: 'group', actorId: 'devs', targetType: 'domain', targetId: 'default', inherited: true });
    await stack.assignment.createGrant({ roleId: id('admin'), actorType: 'user', actorId: 'alice', targetType: 'system', targetId: 'system', inherited: false });
    await stack.assignment.createGrant({ roleId: id('reader'), actorType: 'user', actorId: 'carol', targetType: 'project', targetId: 'x', inherited: false });
    await stack.assignment.createGrant({ roleId: id('member'), actorType: 'user', actorId: 'member-user', targetType: 'project', targetId: 'leaf', inherited: false });
    app = await buildTestApp((server) => registerRoleAssignmentRoutes(server, {
      policy: testAuthorizer(), assignment: stack.assignment, identity: stack.identity, resources: stack.resources,
      renderProjects: async (_request, ids) => ids.flatMap((pid) => {
        const project = stack.resources.projects.get(pid);
        return project ? [{ id: project.id, name: project.name, domain_id: project.domainId, enabled: true }] : [];
      }),
    }), { 'domain-reader-token': domainReader });
  });

  after(async () => {
    await app.close();
    await stack.database.close();
  });

  const list = async (query: string, headers: Record<string, string> = ADMIN): Promise<Entry[]> => {
    const response = await app.inject({ method: 'GET', url: `/v3/role_assignments${query}`, headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().role_assignments;
  };

  it('renders stored grants as Keystone does, links included', async () => {
    const response = await app.inject({ method: 'GET', url: '/v3/role_assignments?user.id=alice', headers: ADMIN });
    assert.equal(response.json().links.self, `${BASE.replace('/v3', '')}/v3/role_assignments?user.id=alice`);
    assert.deepEqual(response.json().role_assignments, [
      { scope: { project: { id: 'top' } }, user: { id: 'alice' }, role: { id: roles.member },
        links: { assignment: `${BASE}/projects/top/users/alice/roles/${roles.member}` } },
      { scope: { system: { all: true } }, user: { id: 'alice' }, role: { id: roles.admin },
        links: { assignment: `${BASE}/system/users/alice/roles/${roles.admin}` } },
    ]);
    const [inherited] = await list('?group.id=devs');
    assert.deepEqual(inherited, {
      scope: { domain: { id: 'default' }, 'OS-INHERIT:inherited_to': 'projects' }, group: { id: 'devs' }, role: { id: roles.reader },
      links: { assignment: `${BASE}/OS-INHERIT/domains/default/groups/devs/roles/${roles.reader}/inherited_to_projects` },
    });
  });

  it('expands effective assignments with names, as `openstack role assignment list --names --effective` asks', async () => {
    const entries = await list('?user.id=alice&scope.project.id=leaf&effective=True&include_names=True');
    assert.deepEqual(entries, [{
      scope: { project: { id: 'leaf', name: 'leaf', domain: { id: 'default', name: 'Default' } }, 'OS-INHERIT:inherited_to': 'projects' },
      user: { id: 'alice', name: 'Alice', domain: { id: 'default', name: 'Default' } },
      role: { id: roles.reader, name: 'reader' },
      links: {
        membership: `${BASE}/groups/devs/users/alice`,
        assignment: `${BASE}/OS-INHERIT/domains/default/groups/devs/roles/${roles.reader}/inherited_to_projects`,
      },
    }]);
  });

  it('links implied roles to their prior role', async () => {
    const entries = await list('?user.id=alice&scope.project.id=top&effective');
    const implied = entries.find((e) => e.role.id === roles.reader && e.links.prior_role !== undefined);
    assert.deepEqual(implied?.links, {
      assignment: `${BASE}/projects/top/users/alice/roles/${roles.member}`,
      prior_role: `${BASE}/prior_role/${roles.reader}/implies/${roles.member}`,
    });
    assert.equal(entries.filter((e) => e.role.id === roles.reader).length, 2);
  });

  it('filters by role, scope and inheritance, and lists a project tree', async () => {
    assert.deepEqual((await list('?scope.system=all')).map((e) => e.role.id), [roles.admin]);
    assert.deepEqual((await list('?scope.OS-INHERIT:inherited_to=projects&scope.domain.id=default')).map((e) => e.group?.id), ['devs']);
    assert.deepEqual((await list(`?role.id=${roles.member}&scope.project.id=top`)).map((e) => e.user?.id), ['alice']);
    assert.deepEqual((await list('?scope.project.id=top&include_subtree=true')).map((e) => e.user?.id).sort(), ['alice', 'member-user']);
    assert.deepEqual((await list('?scope.project.id=top&effective=0')).length, 1);
  });

  it('answers 400 for contradictory or useless filters', async () => {
    for (const query of ['?user.id=a&group.id=b', '?effective&group.id=devs', '?scope.domain.id=d&scope.project.id=p',
      '?scope.system=all&scope.domain.id=d', '?scope.system=all&scope.project.id=p', '?include_subtree=true',
      '?effective&scope.domain.id=default&scope.OS-INHERIT:inherited_to=projects', '?role.id=bad%20id']) {
      const response = await app.inject({ method: 'GET', url: `/v3/role_assignments${query}`, headers: ADMIN });
      assert.equal(response.statusCode, 400, query);
    }
  });

  it('answers 403 to a project member and 404 for an unknown tree', async () => {
    assert.equal((await app.inject({ method: 'GET', url: '/v3/role_assignments', headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/v3/role_assignments?scope.project.id=nope&include_subtree', headers: ADMIN })).statusCode, 404);
  });

  it('shows a domain reader only what concerns its domain', async () => {
    const entries = await list('', DOMAIN_READER);
    assert.deepEqual(entries.map((e) => e.user?.id), ['carol']);
    assert.equal((await app.inject({ method: 'HEAD', url: '/v3/role_assignments', headers: DOMAIN_READER })).statusCode, 200);
  });

  describe('GET /v3/users/{user_id}/projects', () => {
    it('lists the projects where the user has an effective role, with filters', async () => {
      const response = await app.inject({ method: 'GET', url: '/v3/users/alice/projects', headers: ADMIN });
      assert.equal(response.statusCode, 200);
      assert.deepEqual(response.json().projects.map((p: { id: string }) => p.id).sort(), ['leaf', 'top']);
      const filtered = await app.inject({ method: 'GET', url: '/v3/users/alice/projects?name=leaf&enabled=true', headers: ADMIN });
      assert.deepEqual(filtered.json().projects.map((p: { id: string }) => p.id), ['leaf']);
      assert.deepEqual((await app.inject({ method: 'GET', url: '/v3/users/alice/projects?enabled=false', headers: ADMIN })).json().projects, []);
    });

    it('lets users list their own projects only', async () => {
      const own = await app.inject({ method: 'GET', url: '/v3/users/member-user/projects', headers: MEMBER });
      assert.deepEqual(own.json().projects.map((p: { id: string }) => p.id), ['leaf']);
      assert.equal((await app.inject({ method: 'GET', url: '/v3/users/alice/projects', headers: MEMBER })).statusCode, 403);
    });

    it('answers 404 for an unknown user, after the policy check', async () => {
      const missing = await app.inject({ method: 'GET', url: '/v3/users/ghost/projects', headers: ADMIN });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.message, 'Could not find user: ghost.');
      assert.equal((await app.inject({ method: 'GET', url: '/v3/users/ghost/projects', headers: MEMBER })).statusCode, 403);
    });
  });
});
