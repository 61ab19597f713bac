// /v3/endpoints through the whole HTTP stack, with Keystone's default policies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { TEST_TOKENS } from './testing.js';
import { buildCatalogTestApp } from './catalog-testing.js';

const admin = { 'x-auth-token': TEST_TOKENS.admin.token };
const reader = { 'x-auth-token': TEST_TOKENS.reader.token };

describe('/v3/endpoints', () => {
  let app: FastifyInstance;
  let serviceId: string;
  let otherServiceId: string;
  before(async () => {
    const { app: built, catalog } = await buildCatalogTestApp();
    app = built;
    serviceId = (await catalog.createService({ type: 'compute', name: 'nova' })).id;
    otherServiceId = (await catalog.createService({ type: 'image', name: 'glance' })).id;
    await catalog.createRegion({ id: 'RegionOne' });
  });
  after(async () => app.close());

  const create = async (endpoint: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/v3/endpoints', headers: admin, payload: { endpoint } });

  it('creates an endpoint and shows region both ways', async () => {
    const res = await create({ service_id: serviceId, interface: 'public', url: 'http://nova:8774/v2.1/$(project_id)s', region_id: 'RegionOne', name: 'n', id: 'ignored' });
    assert.equal(res.statusCode, 201);
    const ep = res.json().endpoint;
    assert.notEqual(ep.id, 'ignored');
    assert.deepEqual(ep, {
      id: ep.id, interface: 'public', region_id: 'RegionOne', region: 'RegionOne', service_id: serviceId,
      url: 'http://nova:8774/v2.1/$(project_id)s', enabled: true, name: 'n', links: { self: `http://localhost:80/v3/endpoints/${ep.id}` },
    });
  });

  it('creates the region named by the legacy `region` attribute', async () => {
    const res = await create({ service_id: otherServiceId, interface: 'internal', url: 'http://glance:9292', region: 'RegionTwo' });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().endpoint.region_id, 'RegionTwo');
    assert.equal((await app.inject({ method: 'GET', url: '/v3/regions/RegionTwo', headers: reader })).statusCode, 200);
  });

  it('refuses what Keystone refuses, with 400', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ service_id: serviceId, interface: 'bogus', url: 'http://x' }, /interface/],
      [{ service_id: serviceId, interface: 'public' }, /url/],
      [{ service_id: serviceId, interface: 'public', url: '' }, /url/],
      [{ service_id: serviceId, interface: 'public', url: 'http://x', enabled: 'True' }, /enabled/],
      [{ service_id: serviceId, interface: 'public', url: 'http://x', region_id: 'ghost' }, /^Expecting to find endpoint region_id in region table/],
      [{ service_id: 'ghost', interface: 'public', url: 'http://x' }, /^Expecting to find endpoint service_id in service table/],
      [{ service_id: serviceId, interface: 'public', url: 'http://x/$(nonexistent)s' }, /^Cannot create an endpoint with an invalid URL/],
    ];
    for (const [endpoint, message] of cases) {
      const res = await create(endpoint);
      assert.equal(res.statusCode, 400, JSON.stringify(endpoint));
      assert.match(res.json().error.message, message);
    }
  });

  it('lists with interface, service and region filters, for admins only', async () => {
    const ids = async (query: string) => (await app.inject({ method: 'GET', url: `/v3/endpoints${query}`, headers: admin })).json().endpoints.map((e: { service_id: string; interface: string }) => `${e.service_id === serviceId ? 'nova' : 'glance'}/${e.interface}`);
    assert.deepEqual((await ids('')).sort(), ['glance/internal', 'nova/public']);
    assert.deepEqual(await ids('?interface=internal'), ['glance/internal']);
    assert.deepEqual(await ids(`?service_id=${serviceId}`), ['nova/public']);
    assert.deepEqual(await ids('?region_id=RegionTwo'), ['glance/internal']);
    assert.deepEqual(await ids('?region_id=RegionTwo&interface=public'), []);
    assert.equal((await app.inject({ method: 'GET', url: '/v3/endpoints?interface=bogus', headers: admin })).statusCode, 400);
    assert.equal((await app.inject({ method: 'GET', url: '/v3/endpoints', headers: reader })).statusCode, 403);
    assert.equal((await app.inject({ method: 'HEAD', url: '/v3/endpoints', headers: admin })).statusCode, 200);
  });

  it('shows, updates and deletes', async () => {
    const ep = (await create({ service_id: serviceId, interface: 'admin', url: 'http://a' })).json().endpoint;
    assert.equal((await app.inject({ method: 'GET', url: `/v3/endpoints/${ep.id}`, headers: admin })).json().endpoint.url, 'http://a');
    assert.equal((await app.inject({ method: 'HEAD', url: `/v3/endpoints/${ep.id}`, headers: admin })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: `/v3/endpoints/${ep.id}`, headers: reader })).statusCode, 403);
    const patch = async (endpoint: Record<string, unknown>, headers = admin) =>
      app.inject({ method: 'PATCH', url: `/v3/endpoints/${ep.id}`, headers, payload: { endpoint } });
    const moved = await patch({ enabled: false, region_id: 'RegionOne', url: 'http://b', service_id: otherServiceId });
    assert.equal(moved.statusCode, 200);
    assert.deepEqual([moved.json().endpoint.enabled, moved.json().endpoint.region, moved.json().endpoint.url, moved.json().endpoint.service_id], [false, 'RegionOne', 'http://b', otherServiceId]);
    assert.equal((await patch({ enabled: 'kitties' })).statusCode, 400);
    assert.equal((await patch({})).statusCode, 400);
    assert.equal((await patch({ service_id: 'ghost' })).statusCode, 400);
    assert.equal((await patch({ url: 'http://x' }, reader)).statusCode, 403);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v3/endpoints/${ep.id}`, headers: reader })).statusCode, 403);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v3/endpoints/${ep.id}`, headers: admin })).statusCode, 204);
    const gone = await app.inject({ method: 'GET', url: `/v3/endpoints/${ep.id}`, headers: admin });
    assert.equal(gone.statusCode, 404);
    assert.equal(gone.json().error.message, `Could not find endpoint: ${ep.id}.`);
  });
});
