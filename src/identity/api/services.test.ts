// /v3/services through the whole HTTP stack, with Keystone's default policies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { ValidatedToken } from '../../common/auth/index.js';
import { TEST_TOKENS } from './testing.js';
import { buildCatalogTestApp } from './catalog-testing.js';

const systemReader: ValidatedToken = {
  userId: 'auditor', userName: 'auditor', userDomainId: 'default', userDomainName: 'Default', systemScope: 'all',
  roles: ['reader'], isAdminProject: false, auditIds: ['a'], expiresAt: new Date(Date.now() + 3600_000),
};
const admin = { 'x-auth-token': TEST_TOKENS.admin.token };
const member = { 'x-auth-token': TEST_TOKENS.member.token };

describe('/v3/services', () => {
  let app: FastifyInstance;
  before(async () => {
    ({ app } = await buildCatalogTestApp({ 'system-reader-token': systemReader }));
  });
  after(async () => app.close());

  const create = async (service: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/v3/services', headers: admin, payload: { service } });

  it('creates services with defaults and extra attributes', async () => {
    const res = await create({ type: 'compute', name: 'nova', description: 'Compute', 'x-team': 'a' });
    assert.equal(res.statusCode, 201);
    const svc = res.json().service;
    assert.deepEqual(svc, {
      id: svc.id, type: 'compute', name: 'nova', enabled: true, description: 'Compute', x_team: 'a',
      links: { self: `http://localhost:80/v3/services/${svc.id}` },
    });
    const bare = await create({ type: 'image', enabled: false });
    assert.equal(bare.statusCode, 201);
    assert.equal(bare.json().service.name, '');
    assert.equal(bare.json().service.enabled, false);
  });

  it('refuses bodies Keystone refuses', async () => {
    for (const service of [{}, { type: '' }, { type: 5 }, { type: 'x', enabled: 'puppies' }, { type: 'x', name: '' }]) {
      const res = await create(service);
      assert.equal(res.statusCode, 400, JSON.stringify(service));
    }
    assert.equal((await app.inject({ method: 'POST', url: '/v3/services', headers: admin, payload: {} })).statusCode, 400);
  });

  it('lists with type and name filters, for admins and system readers only', async () => {
    const byType = await app.inject({ method: 'GET', url: '/v3/services?type=compute', headers: admin });
    assert.deepEqual(byType.json().services.map((s: { name: string }) => s.name), ['nova']);
    const byName = await app.inject({ method: 'GET', url: '/v3/services?name=nova&type=image', headers: admin });
    assert.deepEqual(byName.json().services, []);
    assert.equal((await app.inject({ method: 'GET', url: '/v3/services', headers: { 'x-auth-token': 'system-reader-token' } })).statusCode, 200);
    assert.equal((await app.inject({ method: 'HEAD', url: '/v3/services', headers: admin })).statusCode, 200);
    const denied = await app.inject({ method: 'GET', url: '/v3/services', headers: member });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.title, 'Forbidden');
  });

  it('shows, updates, and deletes with its endpoints', async () => {
    const svc = (await create({ type: 'volumev3', name: 'cinder' })).json().service;
    assert.equal((await app.inject({ method: 'GET', url: `/v3/services/${svc.id}`, headers: admin })).json().service.name, 'cinder');
    const missing = await app.inject({ method: 'GET', url: '/v3/services/ghost', headers: admin });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.message, 'Could not find service: ghost.');
    const patched = await app.inject({ method: 'PATCH', url: `/v3/services/${svc.id}`, headers: admin, payload: { service: { enabled: false, description: 'Block' } } });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().service.enabled, false);
    assert.equal(patched.json().service.description, 'Block');
    assert.equal(patched.json().service.type, 'volumev3');
    assert.equal((await app.inject({ method: 'PATCH', url: `/v3/services/${svc.id}`, headers: admin, payload: { service: {} } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PATCH', url: `/v3/services/${svc.id}`, headers: admin, payload: { service: { id: 'x' } } })).statusCode, 400);
    assert.equal((await app.inject({ method: 'PATCH', url: `/v3/services/${svc.id}`, headers: member, payload: { service: { name: 'x' } } })).statusCode, 403);
    assert.equal((await app.inject({ method: 'PATCH', url: '/v3/services/ghost', headers: admin, payload: { service: { name: 'x' } } })).statusCode, 404);

    const ep = await app.inject({ method: 'POST', url: '/v3/endpoints', headers: admin, payload: { endpoint: { service_id: svc.id, interface: 'public', url: 'http://c' } } });
    assert.equal((await app.inject({ method: 'DELETE', url: `/v3/services/${svc.id}`, headers: member })).statusCode, 403);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v3/services/${svc.id}`, headers: admin })).statusCode, 204);
    assert.equal((await app.inject({ method: 'GET', url: `/v3/endpoints/${ep.json().endpoint.id}`, headers: admin })).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v3/services/${svc.id}`, headers: admin })).statusCode, 404);
  });
});
