// Grant routes on projects, domains, the system and OS-INHERIT, through the HTTP layer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { ValidatedToken } from '../../common/auth/index.js';
import { createAssignmentTestStack, testAuthorizer } from '../assignment/testing.js';
import type { AssignmentTestStack } from '../assignment/testing.js';
import { registerGrantRoutes } from './grants.js';
import { buildTestApp, TEST_TOKENS } from './testing.js';

const ADMIN = { 'x-auth-token': TEST_TOKENS.admin.token };
const MEMBER = { 'x-auth-token': TEST_TOKENS.member.token };
const SYSTEM = { 'x-auth-token': TEST_TOKENS.systemAdmin.token };
const DOMAIN_READER = { 'x-auth-token': 'domain-reader-token' };
const DOMAIN_MANAGER = { 'x-auth-token': 'domain-manager-token' };

const domainReader: ValidatedToken = {
  userId: 'dr-user', userName: 'dr-user', userDomainId: 'default', userDomainName: 'Default', domainId: 'default', domainName: 'Default',
  roles: ['reader'], isAdminProject: false, auditIds: ['a'], expiresAt: new Date(Date.now() + 3600_000),
};

describe('grant routes', () => {
  let stack: AssignmentTestStack;
  let app: FastifyInstance;
  let member: string;
  let reader: string;
  let domainRole: string;

  before(async () => {
    stack = await createAssignmentTestStack();
    stack.resources.addDomain('default', 'Default').addDomain('d2').addProject('p1', 'default').addProject('p2', 'default', 'p1').addProject('x', 'd2');
    stack.identity.addUser('alice').addGroup('devs').addMember('devs', 'alice');
    member = (await stack.roles.createRole({ name: 'member' })).id;
    reader = (await stack.roles.createRole({ name: 'reader' })).id;
    domainRole = (await stack.roles.createRole({ name: 'local', domainId: 'default' })).id;
    const domainManager: ValidatedToken = { ...domainReader, userId: 'dm-user', roles: ['manager', 'member', 'reader'] };
    app = await buildTestApp((server) => registerGrantRoutes(server, { policy: testAuthorizer(), assignment: stack.assignment }),
      { 'domain-reader-token': domainReader, 'domain-manager-token': domainManager });
  });

  after(async () => {
    await app.close();
    await stack.database.close();
  });

  const call = (method: 'PUT' | 'GET' | 'HEAD' | 'DELETE', url: string, headers: Record<string, string> = ADMIN) => app.inject({ method, url, headers });

  for (const [label, base] of [
    ['user on project', '/v3/projects/p1/users/alice/roles'],
    ['group on project', '/v3/projects/p1/groups/devs/roles'],
    ['user on domain', '/v3/domains/default/users/alice/roles'],
    ['group on domain', '/v3/domains/default/groups/devs/roles'],
    ['user on system', '/v3/system/users/alice/roles'],
    ['group on system', '/v3/system/groups/devs/roles'],
  ] as const) {
    it(`grants, checks, lists and revokes a role for a ${label}`, async () => {
      assert.equal((await call('PUT', `${base}/${member}`)).statusCode, 204);
      assert.equal((await call('PUT', `${base}/${member}`)).statusCode, 204);
      assert.equal((await call('GET', `${base}/${member}`)).statusCode, 204);
      assert.equal((await call('HEAD', `${base}/${member}`)).statusCode, 204);
      const list = await call('GET', base, SYSTEM);
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().roles.map((r: { name: string }) => r.name), ['member']);
      assert.equal(list.json().roles[0].links.self, `http://localhost:80/v3/roles/${member}`);
      assert.equal((await call('DELETE', `${base}/${member}`)).statusCode, 204);
      const gone = await call('HEAD', `${base}/${reader}`);
      assert.equal(gone.statusCode, 404);
      assert.equal((await call('GET', base)).json().roles.length, 0);
    });
  }

  it('says which grant is missing', async () => {
    const response = await call('GET', `/v3/projects/p1/users/alice/roles/${reader}`);
    assert.equal(response.json().error.message, `Could not find role assignment with role: ${reader}, user or group: alice, project, domain, or system: p1.`);
    const system = await call('DELETE', `/v3/system/groups/devs/roles/${reader}`);
    assert.equal(system.json().error.message, `Could not find role assignment with role: ${reader}, user or group: devs, project, domain, or system: system.`);
  });

  it('answers 404 for an unknown role, actor or target', async () => {
    for (const [url, message] of [
      ['/v3/projects/p1/users/alice/roles/nope', 'Could not find role: nope.'],
      [`/v3/projects/p1/users/nobody/roles/${member}`, 'Could not find user: nobody.'],
      [`/v3/projects/nope/groups/devs/roles/${member}`, 'Could not find project: nope.'],
      [`/v3/domains/nope/users/alice/roles/${member}`, 'Could not find domain: nope.'],
      [`/v3/system/groups/nogroup/roles/${member}`, 'Could not find group: nogroup.'],
    ] as const) {
      const response = await call('PUT', url);
      assert.equal(response.statusCode, 404, url);
      assert.equal(response.json().error.message, message);
    }
  });

  it('answers 403 to a project member', async () => {
    assert.equal((await call('PUT', `/v3/projects/p1/users/alice/roles/${member}`, MEMBER)).statusCode, 403);
    assert.equal((await call('GET', '/v3/projects/p1/users/alice/roles', MEMBER)).statusCode, 403);
    assert.equal((await call('PUT', `/v3/system/users/alice/roles/${member}`, MEMBER)).statusCode, 403);
  });

  it('lets a domain reader check and list grants inside its domain only', async () => {
    assert.equal((await call('PUT', `/v3/projects/p1/users/alice/roles/${reader}`)).statusCode, 204);
    assert.equal((await call('HEAD', `/v3/projects/p1/users/alice/roles/${reader}`, DOMAIN_READER)).statusCode, 204);
    assert.equal((await call('GET', '/v3/projects/p1/users/alice/roles', DOMAIN_READER)).statusCode, 200);
    assert.equal((await call('HEAD', `/v3/projects/x/users/alice/roles/${reader}`, DOMAIN_READER)).statusCode, 403);
    assert.equal((await call('PUT', `/v3/projects/p1/users/alice/roles/${member}`, DOMAIN_READER)).statusCode, 403);
    assert.equal((await call('DELETE', `/v3/projects/p1/users/alice/roles/${reader}`)).statusCode, 204);
  });

  it('lets a domain manager grant roles up to manager inside its domain', async () => {
    const admin = (await stack.roles.createRole({ name: 'admin' })).id;
    assert.equal((await call('PUT', `/v3/projects/p1/users/alice/roles/${member}`, DOMAIN_MANAGER)).statusCode, 204);
    assert.equal((await call('DELETE', `/v3/projects/p1/users/alice/roles/${member}`, DOMAIN_MANAGER)).statusCode, 204);
    assert.equal((await call('PUT', `/v3/projects/p1/users/alice/roles/${admin}`, DOMAIN_MANAGER)).statusCode, 403);
    assert.equal((await call('PUT', `/v3/projects/x/users/alice/roles/${member}`, DOMAIN_MANAGER)).statusCode, 403);
  });

  it('grants inherited roles on domains and projects (OS-INHERIT)', async () => {
    const onDomain = `/v3/OS-INHERIT/domains/default/groups/devs/roles/${reader}/inherited_to_projects`;
    assert.equal((await call('PUT', onDomain)).statusCode, 204);
    assert.equal((await call('HEAD', onDomain)).statusCode, 204);
    assert.equal((await call('HEAD', `/v3/domains/default/groups/devs/roles/${reader}`)).statusCode, 404);
    const list = await call('GET', '/v3/OS-INHERIT/domains/default/groups/devs/roles/inherited_to_projects');
    assert.deepEqual(list.json().roles.map((r: { name: string }) => r.name), ['reader']);
    const onProject = `/v3/OS-INHERIT/projects/p1/users/alice/roles/${member}/inherited_to_projects`;
    assert.equal((await call('PUT', onProject)).statusCode, 204);
    assert.equal((await call('GET', onProject)).statusCode, 204);
    assert.equal((await call('DELETE', onProject)).statusCode, 204);
    assert.equal((await call('GET', onProject)).statusCode, 404);
  });

  it('checks OS-INHERIT policy before telling what exists', async () => {
    assert.equal((await call('PUT', '/v3/OS-INHERIT/domains/nope/users/nobody/roles/nope/inherited_to_projects', MEMBER)).statusCode, 403);
    assert.equal((await call('PUT', '/v3/OS-INHERIT/domains/nope/users/nobody/roles/nope/inherited_to_projects')).statusCode, 404);
  });

  it('keeps domain-specific roles in their domain and off the system', async () => {
    assert.equal((await call('PUT', `/v3/projects/p2/users/alice/roles/${domainRole}`)).statusCode, 204);
    const mismatch = await call('PUT', `/v3/projects/x/users/alice/roles/${domainRole}`);
    assert.equal(mismatch.statusCode, 403);
    assert.equal(mismatch.json().error.message, `Project x must be in the same domain as the role ${domainRole} being assigned.`);
    assert.equal((await call('PUT', `/v3/system/users/alice/roles/${domainRole}`)).statusCode, 400);
  });

  it('revokes what a deleted user still holds', async () => {
    stack.identity.addUser('temp');
    assert.equal((await call('PUT', `/v3/domains/default/users/temp/roles/${member}`)).statusCode, 204);
    stack.identity.users.delete('temp');
    assert.equal((await call('DELETE', `/v3/domains/default/users/temp/roles/${member}`)).statusCode, 204);
  });
});
