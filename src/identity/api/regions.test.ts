// /v3/regions through the whole HTTP stack, with Keystone's default policies.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { TEST_TOKENS } from './testing.js';
import { buildCatalogTestApp } from './catalog-testing.js';

const admin = { 'x-auth-token': TEST_TOKENS.admin.token };
const member = { 'x-auth-token': TEST_TOKENS.member.token };

describe('/v3/regions', () => {
  let app: FastifyInstance;
  before(async () => {
    ({ app } = await buildCatalogTestApp());
  });
  after(async () => app.close());

  it('creates a region with a generated id, an empty description and its links', async () => {
    const res = await app.inject({ method: 'POST', url: '/v3/regions', headers: admin, payload: { region: { id: '' } } });
    assert.equal(res.statusCode, 201);
    const region = res.json().region;
    assert.match(region.id, /^[0-9a-f]{32}$/);
    assert.deepEqual(region, { id: region.id, description: '', parent_region_id: null, links: { self: `http://localhost:80/v3/regions/${region.id}` } });
  });

  it('creates with the id in the path (PUT) and refuses it twice', async () => {
    const put = await app.inject({ method: 'PUT', url: '/v3/regions/RegionOne', headers: admin, payload: { region: { description: 'One', owner: 'ops' } } });
    assert.equal(put.statusCode, 201);
    assert.deepEqual({ ...put.json().region, links: undefined }, { id: 'RegionOne', description: 'One', parent_region_id: null, owner: 'ops', links: undefined });
    const again = await app.inject({ method: 'PUT', url: '/v3/regions/RegionOne', headers: admin, payload: { region: {} } });
    assert.equal(again.statusCode, 409);
    assert.deepEqual(again.json(), { error: { code: 409, title: 'Conflict', message: 'Conflict occurred attempting to store region - Duplicate ID, RegionOne..' } });
    const post = await app.inject({ method: 'POST', url: '/v3/regions', headers: admin, payload: { region: { id: 'RegionOne' } } });
    assert.equal(post.statusCode, 409);
    const tooLong = await app.inject({ method: 'PUT', url: `/v3/regions/${'r'.repeat(256)}`, headers: admin, payload: { region: {} } });
    // 414 while the shared server keeps Fastify's 100-character limit on path parameters.
    assert.ok([400, 414].includes(tooLong.statusCode), String(tooLong.statusCode));
    const mismatch = await app.inject({ method: 'PUT', url: '/v3/regions/Other', headers: admin, payload: { region: { id: 'Else' } } });
    assert.equal(mismatch.statusCode, 400);
    assert.equal(mismatch.json().error.message, 'Conflicting region IDs specified: "Other" != "Else"');
  });

  it('needs an existing parent, and filters the list by parent', async () => {
    const orphan = await app.inject({ method: 'POST', url: '/v3/regions', headers: admin, payload: { region: { parent_region_id: 'ghost' } } });
    assert.equal(orphan.statusCode, 404);
    assert.equal(orphan.json().error.message, 'Could not find region: ghost.');
    const child = await app.inject({ method: 'POST', url: '/v3/regions', headers: admin, payload: { region: { id: 'Sub', parent_region_id: 'RegionOne' } } });
    assert.equal(child.statusCode, 201);
    const list = await app.inject({ method: 'GET', url: '/v3/regions?parent_region_id=RegionOne', headers: member });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(list.json().regions.map((r: { id: string }) => r.id), ['Sub']);
    assert.deepEqual(list.json().links, { self: 'http://localhost:80/v3/regions?parent_region_id=RegionOne', previous: null, next: null });
    assert.equal((await app.inject({ method: 'GET', url: '/v3/regions?color=red', headers: admin })).statusCode, 400);
    assert.equal((await app.inject({ method: 'HEAD', url: '/v3/regions', headers: member })).statusCode, 200);
  });

  it('shows, updates and refuses bad updates', async () => {
    const show = await app.inject({ method: 'GET', url: '/v3/regions/Sub', headers: member });
    assert.equal(show.statusCode, 200);
    assert.equal(show.json().region.parent_region_id, 'RegionOne');
    assert.equal((await app.inject({ method: 'HEAD', url: '/v3/regions/Sub', headers: member })).statusCode, 200);
    assert.equal((await app.inject({ method: 'GET', url: '/v3/regions/ghost', headers: member })).statusCode, 404);
    const patch = await app.inject({ method: 'PATCH', url: '/v3/regions/Sub', headers: admin, payload: { region: { description: null, parent_region_id: null } } });
    assert.equal(patch.statusCode, 200);
    assert.equal(patch.json().region.description, '');
    assert.equal(patch.json().region.parent_region_id, null);
    const loop = await app.inject({ method: 'PATCH', url: '/v3/regions/RegionOne', headers: admin, payload: { region: { parent_region_id: 'RegionOne' } } });
    assert.equal(loop.statusCode, 400);
    for (const payload of [{ region: {} }, { region: { description: 5 } }, { region: { id: 'other' } }, {}, { region: 'x' }]) {
      const res = await app.inject({ method: 'PATCH', url: '/v3/regions/Sub', headers: admin, payload });
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      assert.equal(res.json().error.code, 400);
    }
    const malformed = await app.inject({ method: 'POST', url: '/v3/regions', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"region":' });
    assert.equal(malformed.statusCode, 400);
  });

  it('leaves writes to admins and needs a token', async () => {
    for (const [method, url] of [['POST', '/v3/regions'], ['PUT', '/v3/regions/M'], ['PATCH', '/v3/regions/Sub']] as const) {
      const res = await app.inject({ method, url, headers: member, payload: { region: { description: 'x' } } });
      assert.equal(res.statusCode, 403, `${method} ${url}`);
    }
    assert.equal((await app.inject({ method: 'DELETE', url: '/v3/regions/Sub', headers: member })).statusCode, 403);
    assert.equal((await app.inject({ method: 'GET', url: '/v3/regions' })).statusCode, 401);
  });

  it('deletes a region unless endpoints still use it', async () => {
    const svc = await app.inject({ method: 'POST', url: '/v3/services', headers: admin, payload: { service: { type: 'compute' } } });
    await app.inject({ method: 'POST', url: '/v3/regions', headers: admin, payload: { region: { id: 'Leaf', parent_region_id: 'RegionOne' } } });
    const ep = await app.inject({ method: 'POST', url: '/v3/endpoints', headers: admin, payload: { endpoint: { service_id: svc.json().service.id, interface: 'public', url: 'http://h', region_id: 'Leaf' } } });
    assert.equal(ep.statusCode, 201);
    const refused = await app.inject({ method: 'DELETE', url: '/v3/regions/RegionOne', headers: admin });
    assert.equal(refused.statusCode, 403);
    assert.equal(refused.json().error.message, 'Unable to delete region RegionOne because it or its child regions have associated endpoints.');
    assert.equal((await app.inject({ method: 'DELETE', url: `/v3/endpoints/${ep.json().endpoint.id}`, headers: admin })).statusCode, 204);
    const deleted = await app.inject({ method: 'DELETE', url: '/v3/regions/RegionOne', headers: admin });
    assert.equal(deleted.statusCode, 204);
    assert.equal((await app.inject({ method: 'GET', url: '/v3/regions/Leaf', headers: admin })).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url: '/v3/regions/RegionOne', headers: admin })).statusCode, 404);
  });
});
