// /v3/projects and project tags through the whole HTTP stack, with Keystone's default policies.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { ValidatedToken } from '../../common/auth/index.js';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { IdentityEvents } from '../events.js';
import { ResourceManager, SqlResourceBackend, resourceMigrations, resourcePolicies } from '../resource/index.js';
import type { ResourceTables } from '../resource/index.js';
import { registerProjectRoutes } from './projects.js';
import { TEST_TOKENS, buildTestApp, testAuthorizer } from './testing.js';

const ADMIN = { 'x-auth-token': TEST_TOKENS.admin.token };
const MEMBER = { 'x-auth-token': TEST_TOKENS.member.token };
const DOMAIN_MANAGER = { 'x-auth-token': 'eng-manager-token' };

const engManager: ValidatedToken = {
  userId: 'eng-manager', userName: 'eng-manager', userDomainId: 'eng', userDomainName: 'Eng', domainId: 'eng', domainName: 'Eng',
  roles: ['manager', 'member', 'reader'], isAdminProject: false, auditIds: ['a'], expiresAt: new Date(Date.now() + 3600_000),
};

async function setup(): Promise<{ app: FastifyInstance; resource: ResourceManager }> {
  const database = openDatabase<ResourceTables>('sqlite:///:memory:');
  await migrateDatabase(database, 'identity', resourceMigrations);
  const resource = new ResourceManager({ backend: new SqlResourceBackend(database.db), events: new IdentityEvents(), maxProjectTreeDepth: 3 });
  await resource.ensureDomain({ id: 'default', name: 'Default' });
  await resource.createDomain({ id: 'eng', name: 'Eng' });
  await resource.createProject({ id: 'member-project', name: 'demo' });
    const policy = testAuthorizer(resourcePolicies);
  const app = await buildTestApp((a) => registerProjectRoutes(a, { policy, resource, listUserProjectIds: async () => ['member-project'] }), { 'eng-manager-token': engManager });
  return { app, resource };
}

describe('/v3/projects', () => {
  let app: FastifyInstance;
  let resource: ResourceManager;
  before(async () => ({ app, resource } = await setup()));

  const create = (project: unknown, headers = ADMIN) => app.inject({ method: 'POST', url: '/v3/projects', headers, payload: { project } });

  it('creates a top-level project in the default domain, extra attributes included', async () => {
    const res = await create({ name: 'web', description: 'Web tier', tags: ['prod'], email: 'ops@example.com', enabled: 'true' });
    assert.equal(res.statusCode, 201);
    const { project } = res.json();
    assert.match(project.id, /^[0-9a-f]{32}$/);
    assert.deepEqual({ ...project, id: 'x', links: undefined }, {
      id: 'x', name: 'web', description: 'Web tier', domain_id: 'default', parent_id: 'default', enabled: true,
      is_domain: false, tags: ['prod'], options: {}, email: 'ops@example.com', links: undefined,
    });
    assert.equal(project.links.self, `http://localhost:80/v3/projects/${project.id}`);
  });

  it('answers 409 for a name taken in the domain', async () => {
    await create({ name: 'dup' });
    const res = await create({ name: 'dup' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.title, 'Conflict');
    assert.match(res.json().error.message, /same name or same id in the same domain: name is dup/);
  });

  it('answers 400 for bad bodies', async () => {
    for (const project of [{}, { name: 123 }, { name: '' }, { name: 'x', enabled: 'some string' }, { name: 'x', enabled: 1 },
      { name: 'x', tags: ['a,b'] }, { name: 'x', description: 5 }, { name: 'x', domain_id: 'bad id!' }, { name: 'x', options: { other: true } }]) {
      const res = await create(project);
      assert.equal(res.statusCode, 400, JSON.stringify(project));
      assert.equal(res.json().error.code, 400);
    }
    const malformed = await app.inject({ method: 'POST', url: '/v3/projects', headers: { ...ADMIN, 'content-type': 'application/json' }, payload: '{"project": ' });
    assert.equal(malformed.statusCode, 400);
    const noProject = await app.inject({ method: 'POST', url: '/v3/projects', headers: ADMIN, payload: { name: 'x' } });
    assert.equal(noProject.statusCode, 400);
  });

  it('refuses a member token (403) and a missing token (401)', async () => {
    assert.equal((await create({ name: 'nope' }, MEMBER)).statusCode, 403);
    assert.equal((await app.inject({ method: 'POST', url: '/v3/projects', payload: { project: { name: 'x' } } })).statusCode, 401);
  });

  it('lets a domain manager create projects in their own domain only', async () => {
    const own = await create({ name: 'eng-app', domain_id: 'eng' }, DOMAIN_MANAGER);
    assert.equal(own.statusCode, 201);
    assert.equal(own.json().project.domain_id, 'eng');
    assert.equal((await create({ name: 'other', domain_id: 'default' }, DOMAIN_MANAGER)).statusCode, 403);
  });

  it('applies the hierarchy rules', async () => {
    const parent = (await create({ name: 'h-parent' })).json().project;
    const child = await create({ name: 'h-child', parent_id: parent.id });
    assert.equal(child.statusCode, 201);
    assert.equal(child.json().project.parent_id, parent.id);
    const grandchild = (await create({ name: 'h-grandchild', parent_id: child.json().project.id })).json().project;
    const tooDeep = await create({ name: 'h-too-deep', parent_id: grandchild.id });
    assert.equal(tooDeep.statusCode, 403);
    assert.match(tooDeep.json().error.message, /Max hierarchy depth reached/);
    const unknownParent = await create({ name: 'h-orphan', parent_id: 'nope' });
    assert.equal(unknownParent.statusCode, 400);
    assert.equal(unknownParent.json().error.message, 'Could not find project: nope.');
    const otherDomain = await create({ name: 'h-mixed', parent_id: parent.id, domain_id: 'eng' });
    assert.equal(otherDomain.statusCode, 400);
    const del = await app.inject({ method: 'DELETE', url: `/v3/projects/${parent.id}`, headers: ADMIN });
    assert.equal(del.statusCode, 403);
    const disable = await app.inject({ method: 'PATCH', url: `/v3/projects/${parent.id}`, headers: ADMIN, payload: { project: { enabled: false } } });
    assert.equal(disable.statusCode, 403);
    const move = await app.inject({ method: 'PATCH', url: `/v3/projects/${grandchild.id}`, headers: ADMIN, payload: { project: { parent_id: parent.id } } });
    assert.equal(move.statusCode, 403);

    const shown = await app.inject({ url: `/v3/projects/${parent.id}?parents_as_ids&subtree_as_ids`, headers: ADMIN });
    assert.deepEqual(shown.json().project.parents, { default: null });
    assert.deepEqual(shown.json().project.subtree, { [child.json().project.id]: { [grandchild.id]: null } });
    const both = await app.inject({ url: `/v3/projects/${parent.id}?subtree_as_list&subtree_as_ids`, headers: ADMIN });
    assert.equal(both.statusCode, 400);
  });

  it('creates a domain when is_domain is true, and only as a root', async () => {
    const res = await create({ name: 'ProjectDomain', is_domain: true });
    assert.equal(res.statusCode, 201);
    assert.deepEqual([res.json().project.is_domain, res.json().project.domain_id, res.json().project.parent_id], [true, null, null]);
    assert.equal((await resource.getDomain(res.json().project.id)).name, 'ProjectDomain');
    assert.equal((await create({ name: 'ChildDomain', is_domain: true, parent_id: 'default' })).statusCode, 400);
  });

  it('shows a project to its members and admins, 404 for unknown ids', async () => {
    const own = await app.inject({ url: '/v3/projects/member-project', headers: MEMBER });
    assert.equal(own.statusCode, 200);
    assert.equal(own.json().project.name, 'demo');
    const other = (await create({ name: 'private' })).json().project;
    assert.equal((await app.inject({ url: `/v3/projects/${other.id}`, headers: MEMBER })).statusCode, 403);
    const missing = await app.inject({ url: '/v3/projects/nope', headers: ADMIN });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.message, 'Could not find project: nope.');
    const head = await app.inject({ method: 'HEAD', url: '/v3/projects/member-project', headers: MEMBER });
    assert.equal(head.statusCode, 200);
    assert.equal(head.body, '');
    const parents = await app.inject({ url: '/v3/projects/member-project?parents_as_list', headers: MEMBER });
    assert.deepEqual(parents.json().project.parents, []);
  });

  it('lists with filters for admins, 403 for project members', async () => {
    const d = (await create({ name: 'list-a', tags: ['red', 'big'], domain_id: 'eng' })).json().project;
    await create({ name: 'list-b', tags: ['red'], domain_id: 'eng', enabled: false });
    const names = async (query: string) => (await app.inject({ url: `/v3/projects?${query}`, headers: ADMIN })).json().projects.map((p: { name: string }) => p.name).sort();
    assert.deepEqual(await names('domain_id=eng&tags=red'), ['list-a', 'list-b']);
    assert.deepEqual(await names('domain_id=eng&tags=red,big'), ['list-a']);
    assert.deepEqual(await names('domain_id=eng&tags-any=big'), ['list-a']);
    assert.deepEqual(await names('domain_id=eng&not-tags-any=big&tags=red'), ['list-b']);
    assert.deepEqual(await names('domain_id=eng&enabled=false'), ['list-b']);
    assert.deepEqual(await names('name=list-a'), ['list-a']);
    assert.deepEqual(await names(`parent_id=eng&name=${d.name}`), ['list-a']);
    const domains = await names('is_domain=true');
    assert.ok(['Default', 'Eng'].every((name) => domains.includes(name)));
    const res = await app.inject({ url: '/v3/projects', headers: ADMIN });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().links.self, 'http://localhost:80/v3/projects');
    assert.ok(res.json().projects.every((p: { is_domain: boolean }) => !p.is_domain));
    assert.equal((await app.inject({ url: '/v3/projects', headers: MEMBER })).statusCode, 403);
    const scoped = await app.inject({ url: '/v3/projects', headers: DOMAIN_MANAGER });
    assert.equal(scoped.statusCode, 200);
    assert.ok(scoped.json().projects.every((p: { domain_id: string }) => p.domain_id === 'eng'));
  });

  it('updates, then deletes, a project', async () => {
    const p = (await create({ name: 'upd', extra_field: 1 })).json().project;
    const url = `/v3/projects/${p.id}`;
    const res = await app.inject({ method: 'PATCH', url, headers: ADMIN, payload: { project: { name: 'upd2', description: 'new', other: 'x' } } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual([res.json().project.name, res.json().project.description, res.json().project.extra_field, res.json().project.other], ['upd2', 'new', 1, 'x']);
    assert.equal((await app.inject({ method: 'PATCH', url, headers: ADMIN, payload: { project: { enabled: 'yes please' } } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PATCH', url, headers: ADMIN, payload: { project: { id: 'other' } } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PATCH', url, headers: MEMBER, payload: { project: { name: 'x' } } })).statusCode, 403);
    assert.equal((await app.inject({ method: 'PATCH', url: '/v3/projects/nope', headers: ADMIN, payload: { project: { name: 'x' } } })).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: ADMIN })).statusCode, 204);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: ADMIN })).statusCode, 404);
    await assert.rejects(resource.getProject(p.id));
  });
});

describe('/v3/projects/{id}/tags', () => {
  let app: FastifyInstance;
  let url: string;
  before(async () => {
    ({ app } = await setup());
    const res = await app.inject({ method: 'POST', url: '/v3/projects', headers: ADMIN, payload: { project: { name: 'tagged', tags: ['a'] } } });
    url = `/v3/projects/${res.json().project.id}/tags`;
  });

  it('replaces, lists and clears the tags', async () => {
    const put = await app.inject({ method: 'PUT', url, headers: ADMIN, payload: { tags: ['x', 'y'] } });
    assert.equal(put.statusCode, 200);
    assert.deepEqual(put.json().tags, ['x', 'y']);
    const list = await app.inject({ url, headers: ADMIN });
    assert.deepEqual(list.json(), { tags: ['x', 'y'], links: { self: `http://localhost:80${url}` } });
    assert.equal((await app.inject({ method: 'HEAD', url, headers: ADMIN })).statusCode, 200);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: ADMIN })).statusCode, 204);
    assert.deepEqual((await app.inject({ url, headers: ADMIN })).json().tags, []);
  });

  it('adds, checks and removes one tag', async () => {
    const put = await app.inject({ method: 'PUT', url: `${url}/blue`, headers: ADMIN });
    assert.equal(put.statusCode, 201);
    assert.equal(put.headers.location, `http://localhost:80${url}/blue`);
    assert.equal((await app.inject({ url: `${url}/blue`, headers: ADMIN })).statusCode, 204);
    assert.equal((await app.inject({ method: 'HEAD', url: `${url}/blue`, headers: ADMIN })).statusCode, 204);
    const missing = await app.inject({ url: `${url}/green`, headers: ADMIN });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.message, 'Could not find project tag: green.');
    assert.equal((await app.inject({ method: 'DELETE', url: `${url}/blue`, headers: ADMIN })).statusCode, 204);
    assert.equal((await app.inject({ method: 'DELETE', url: `${url}/blue`, headers: ADMIN })).statusCode, 404);
  });

  it('enforces the tag rules and the policies', async () => {
    const tooMany = Array.from({ length: 81 }, (_, i) => `t${i}`);
    assert.equal((await app.inject({ method: 'PUT', url, headers: ADMIN, payload: { tags: tooMany } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PUT', url, headers: ADMIN, payload: { tags: ['a', 'a'] } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PUT', url, headers: ADMIN, payload: { tags: 'a' } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PUT', url: `${url}/a%2Cb`, headers: ADMIN })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PUT', url: `${url}/x`, headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ url, headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ url: '/v3/projects/nope/tags', headers: ADMIN })).statusCode, 404);
    assert.equal((await app.inject({ method: 'PUT', url: '/v3/projects/nope/tags/x', headers: ADMIN })).statusCode, 404);
  });
});
