// /v3/domains through the whole HTTP stack, with Keystone's default policies.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { ValidatedToken } from '../../common/auth/index.js';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { IdentityEvents } from '../events.js';
import { ResourceManager, SqlResourceBackend, resourceMigrations, resourcePolicies } from '../resource/index.js';
import type { ResourceTables } from '../resource/index.js';
import { registerDomainRoutes } from './domains.js';
import { registerProjectRoutes } from './projects.js';
import { TEST_TOKENS, buildTestApp, testAuthorizer } from './testing.js';

const ADMIN = { 'x-auth-token': TEST_TOKENS.admin.token };
const MEMBER = { 'x-auth-token': TEST_TOKENS.member.token };
const SYSTEM = { 'x-auth-token': TEST_TOKENS.systemAdmin.token };
const DOMAIN_READER = { 'x-auth-token': 'eng-reader-token' };

const engReader: ValidatedToken = {
  userId: 'eng-reader', userName: 'eng-reader', userDomainId: 'eng', userDomainName: 'Eng', domainId: 'eng', domainName: 'Eng',
  roles: ['reader'], isAdminProject: false, auditIds: ['a'], expiresAt: new Date(Date.now() + 3600_000),
};

describe('/v3/domains', () => {
  let app: FastifyInstance;
  let resource: ResourceManager;
  const deleted: string[] = [];

  before(async () => {
    const database = openDatabase<ResourceTables>('sqlite:///:memory:');
    await migrateDatabase(database, 'identity', resourceMigrations);
    const events = new IdentityEvents();
    events.on('project.deleted', async ({ projectId }) => { deleted.push(`project:${projectId}`); });
    events.on('domain.deleted', async ({ domainId }) => { deleted.push(`domain:${domainId}`); });
    resource = new ResourceManager({ backend: new SqlResourceBackend(database.db), events });
    await resource.ensureDomain({ id: 'default', name: 'Default' });
    await resource.createDomain({ id: 'eng', name: 'Eng' });
        const policy = testAuthorizer(resourcePolicies);
    app = await buildTestApp((a) => {
      registerDomainRoutes(a, { policy, resource });
      registerProjectRoutes(a, { policy, resource });
    }, { 'eng-reader-token': engReader });
  });

  const create = (domain: unknown, headers = ADMIN) => app.inject({ method: 'POST', url: '/v3/domains', headers, payload: { domain } });

  it('creates a domain, with an explicit id and extra attributes if asked', async () => {
    const res = await create({ name: 'Sales', description: 'Sales dept', explicit_domain_id: 'a'.repeat(32), region: 'eu' });
    assert.equal(res.statusCode, 201);
    assert.deepEqual(res.json().domain, {
      id: 'a'.repeat(32), name: 'Sales', description: 'Sales dept', enabled: true, tags: [], options: {}, region: 'eu',
      links: { self: `http://localhost:80/v3/domains/${'a'.repeat(32)}` },
    });
    const generated = await create({ name: 'Ops', enabled: false });
    assert.match(generated.json().domain.id, /^[0-9a-f]{32}$/);
    assert.equal(generated.json().domain.enabled, false);
  });

  it('answers 409 for a taken name, 400 for bad bodies, 403 for members', async () => {
    assert.equal((await create({ name: 'Eng' })).statusCode, 409);
    for (const domain of [{}, { name: 7 }, { name: 'x', enabled: 'sometimes' }, { name: 'x', explicit_domain_id: 'not-a-uuid' }, { name: 'x', tags: 'a' }]) {
      const res = await create(domain);
      assert.equal(res.statusCode, 400, JSON.stringify(domain));
    }
    assert.equal((await create({ name: 'Nope' }, MEMBER)).statusCode, 403);
  });

  it('lists with filters; a domain-scoped reader sees only their domain; a project member is refused', async () => {
    const names = async (query: string, headers = ADMIN) =>
      (await app.inject({ url: `/v3/domains${query}`, headers })).json().domains.map((d: { name: string }) => d.name).sort();
    assert.deepEqual(await names('?name=Eng'), ['Eng']);
    assert.ok((await names('')).includes('Default'));
    assert.ok(!(await names('?enabled=true')).includes('Ops'));
    assert.deepEqual(await names('', SYSTEM), await names(''));
    assert.deepEqual(await names('', DOMAIN_READER), ['Eng']);
    assert.equal((await app.inject({ url: '/v3/domains', headers: MEMBER })).statusCode, 403);
  });

  it('shows a domain, 404 for unknown ids', async () => {
    const res = await app.inject({ url: '/v3/domains/eng', headers: ADMIN });
    assert.equal(res.json().domain.name, 'Eng');
    assert.equal((await app.inject({ method: 'HEAD', url: '/v3/domains/eng', headers: ADMIN })).statusCode, 200);
    const missing = await app.inject({ url: '/v3/domains/nope', headers: ADMIN });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.message, 'Could not find domain: nope.');
  });

  it('updates a domain', async () => {
    const d = (await create({ name: 'Upd' })).json().domain;
    const res = await app.inject({ method: 'PATCH', url: `/v3/domains/${d.id}`, headers: ADMIN, payload: { domain: { name: 'Upd2', tags: ['t'] } } });
    assert.equal(res.statusCode, 200);
    assert.deepEqual([res.json().domain.name, res.json().domain.tags], ['Upd2', ['t']]);
    assert.equal((await app.inject({ method: 'PATCH', url: `/v3/domains/${d.id}`, headers: ADMIN, payload: { domain: {} } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PATCH', url: '/v3/domains/nope', headers: ADMIN, payload: { domain: { name: 'x' } } })).statusCode, 404);
    assert.equal((await app.inject({ method: 'PATCH', url: `/v3/domains/${d.id}`, headers: MEMBER, payload: { domain: { name: 'x' } } })).statusCode, 403);
    assert.equal((await app.inject({ method: 'PATCH', url: `/v3/domains/${d.id}`, headers: ADMIN, payload: { domain: { name: 'Eng' } } })).statusCode, 409);
  });

  it('deletes a domain only once disabled, with its projects', async () => {
    const d = (await create({ name: 'Doomed' })).json().domain;
    const project = (await app.inject({ method: 'POST', url: '/v3/projects', headers: ADMIN, payload: { project: { name: 'p', domain_id: d.id } } })).json().project;
    const url = `/v3/domains/${d.id}`;
    const refused = await app.inject({ method: 'DELETE', url, headers: ADMIN });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.message, 'Cannot delete a domain that is enabled, please disable it first.');
    await app.inject({ method: 'PATCH', url, headers: ADMIN, payload: { domain: { enabled: false } } });
    assert.equal((await app.inject({ method: 'DELETE', url, headers: MEMBER })).statusCode, 403);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: ADMIN })).statusCode, 204);
    assert.deepEqual(deleted, [`project:${project.id}`, `domain:${d.id}`]);
    assert.equal((await app.inject({ url: `/v3/projects/${project.id}`, headers: ADMIN })).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url, headers: ADMIN })).statusCode, 404);
  });
});
