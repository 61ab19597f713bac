// /v2/images through the whole HTTP stack with Glance's default policies.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { acceptOctetStreams } from './image-data.js';
import { registerImageRoutes } from './images.js';
import { TEST_TOKENS, buildTestApp, testAuthorizer, testImageManager } from './testing.js';

const ADMIN: Record<string, string> = { 'x-auth-token': TEST_TOKENS.admin.token };
const ALICE: Record<string, string> = { 'x-auth-token': TEST_TOKENS.alice.token };
const BOB: Record<string, string> = { 'x-auth-token': TEST_TOKENS.bob.token };
const PATCH = 'application/openstack-images-v2.1-json-patch';

async function setup(countQuota = 100): Promise<FastifyInstance> {
  let tick = Date.UTC(2026, 10, 22, 16, 0, 0);
  const images = await testImageManager({ imageCountTotal: countQuota }, () => new Date((tick += 1000)));
  return buildTestApp((app) => registerImageRoutes(app, { policy: testAuthorizer(), images }));
}

describe('/v2/images', () => {
  let app: FastifyInstance;
  before(async () => { app = await setup(); });

  const create = (body: unknown, headers = ALICE) => app.inject({ method: 'POST', url: '/v2/images', headers, payload: body as object });
  const patch = (id: string, ops: unknown, headers: Record<string, string> = ALICE, type = PATCH) =>
    app.inject({ method: 'PATCH', url: `/v2/images/${id}`, headers: { ...headers, 'content-type': type }, payload: JSON.stringify(ops) });

  it('creates an image (201) with Glance defaults and extra properties', async () => {
    const res = await create({ name: 'cirros', disk_format: 'qcow2', container_format: 'bare', os_distro: 'cirros', tags: ['t1'], min_ram: 64 });
    assert.equal(res.statusCode, 201);
    const image = res.json();
    assert.equal(res.headers.location, `/v2/images/${image.id}`);
    assert.deepEqual({ ...image, id: 'x', created_at: 'c', updated_at: 'u', self: 's', file: 'f' }, {
      id: 'x', name: 'cirros', status: 'queued', visibility: 'shared', protected: false, os_hidden: false, owner: 'project-a',
      disk_format: 'qcow2', container_format: 'bare', min_disk: 0, min_ram: 64, size: null, virtual_size: null, checksum: null,
      os_hash_algo: null, os_hash_value: null, tags: ['t1'], os_distro: 'cirros', created_at: 'c', updated_at: 'u',
      self: 's', file: 'f', schema: '/v2/schemas/image',
    });
    assert.match(image.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(image.self, `/v2/images/${image.id}`);
  });

  it('answers 400 for bad values and 403 for read-only or reserved attributes', async () => {
    for (const body of [{ disk_format: 'floppy' }, { container_format: 'zip' }, { visibility: 'everyone' }, { protected: 'yes' },
      { min_ram: -1 }, { extra: 5 }, { id: 'nope' }, { name: 7 }]) {
      const res = await create(body);
      assert.equal(res.statusCode, 400, JSON.stringify(body));
      assert.match(res.headers['content-type'] as string, /^text\/plain/);
      assert.match(res.body, /^400 Bad Request\n\n/);
    }
    const status = await create({ status: 'active' });
    assert.equal(status.statusCode, 403);
    assert.match(status.body, /Attribute 'status' is read-only\./);
    assert.equal((await create({ size: 5 })).statusCode, 403);
    assert.match((await create({ deleted: true })).body, /Attribute 'deleted' is reserved\./);
  });

  it('refuses min_ram and min_disk that are not integers a database keeps, in Glance\'s words', async () => {
    const message = async (body: Record<string, unknown>) => {
      const res = await create(body);
      assert.equal(res.statusCode, 400, res.body);
      return res.body;
    };
    assert.equal(await message({ min_ram: 1.5 }),
      "400 Bad Request\n\nProvided object does not match schema 'image': 1.5 is not of type 'integer'\n\nFailed validating 'type' in schema['properties']['min_ram']\n\n   ");
    assert.match(await message({ min_disk: '1' }), /'1' is not of type 'integer'\n\nFailed validating 'type' in schema\['properties'\]\['min_disk'\]/);
    // JSON's 1e308 is a whole number to JavaScript; Glance refuses it as out of its INT range.
    const huge = await app.inject({ method: 'POST', url: '/v2/images', headers: { ...ALICE, 'content-type': 'application/json' }, payload: '{"min_ram": 1e308}' });
    assert.equal(huge.statusCode, 400);
    assert.equal(huge.body, "400 Bad Request\n\n'min_ram' value out of range, must not exceed 2147483647.\n\n   ");
    const big = await app.inject({ method: 'POST', url: '/v2/images', headers: { ...ALICE, 'content-type': 'application/json' }, payload: '{"min_disk": 2147483648}' });
    assert.match(big.body, /'min_disk' value out of range/);
    assert.equal((await create({ min_ram: 2147483647, min_disk: 0 })).statusCode, 201);
    const { id } = (await create({ name: 'm' })).json();
    const patched = await patch(id, [{ op: 'replace', path: '/min_ram', value: 1e308 }]);
    assert.equal(patched.statusCode, 400);
    assert.match(patched.body, /'min_ram' value out of range/);
    assert.match((await patch(id, [{ op: 'replace', path: '/min_ram', value: 0.5 }])).body, /0\.5 is not of type 'integer'/);
  });

  it('takes image attributes as JSON only: 415 for other media types, 400 without a body', async () => {
    // With the data routes' octet-stream parser in place, as in the service.
    const images = await testImageManager();
    const app = await buildTestApp((a) => { acceptOctetStreams(a); registerImageRoutes(a, { policy: testAuthorizer(), images }); });
    const create = (body: unknown) => app.inject({ method: 'POST', url: '/v2/images', headers: ALICE, payload: body as object });
    const octets = await app.inject({ method: 'POST', url: '/v2/images', headers: { ...ALICE, 'content-type': 'application/octet-stream' }, payload: Buffer.from('{"name": "x"}') });
    assert.equal(octets.statusCode, 415);
    assert.equal(octets.body, '415 Unsupported Media Type\n\nThe request media type application/octet-stream is not supported by this server.\n\n   ');
    assert.equal((await app.inject({ method: 'POST', url: '/v2/images', headers: { ...ALICE, 'content-type': 'text/plain' }, payload: 'name=x' })).statusCode, 415);
    const none = await app.inject({ method: 'POST', url: '/v2/images', headers: ALICE });
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Body expected in request\./);
    assert.match((await create([{ name: 'x' }])).body, /Body expected in request\./);
    assert.equal((await app.inject({ method: 'POST', url: '/v2/images', headers: { 'content-type': 'application/octet-stream' }, payload: 'x' })).statusCode, 401);
    assert.deepEqual((await app.inject({ method: 'GET', url: '/v2/images', headers: ALICE })).json().images, []);
  });

  it('lets only admins publicize (403 publicize_image) and only admins set another owner', async () => {
    const res = await create({ visibility: 'public' });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /publicize_image/);
    assert.equal((await create({ visibility: 'public' }, ADMIN)).statusCode, 201);
    assert.equal((await create({ owner: 'project-b' })).statusCode, 403);
    assert.equal((await create({ visibility: 'community' })).json().visibility, 'community');
  });

  it('shows, hides and deletes', async () => {
    const { id } = (await create({ name: 'private one', visibility: 'private' })).json();
    assert.equal((await app.inject({ url: `/v2/images/${id}`, headers: ALICE })).json().name, 'private one');
    const hidden = await app.inject({ url: `/v2/images/${id}`, headers: BOB });
    assert.equal(hidden.statusCode, 404);
    assert.equal(hidden.body, `404 Not Found\n\nNo image found with ID ${id}\n\n   `);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v2/images/${id}`, headers: BOB })).statusCode, 404);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v2/images/${id}`, headers: ALICE })).statusCode, 204);
    assert.equal((await app.inject({ url: `/v2/images/${id}`, headers: ALICE })).statusCode, 404);
    assert.equal((await app.inject({ url: '/v2/images/x' })).statusCode, 401);
  });

  it('refuses deleting a protected image (403)', async () => {
    const { id } = (await create({ protected: true })).json();
    assert.equal((await app.inject({ method: 'DELETE', url: `/v2/images/${id}`, headers: ALICE })).statusCode, 403);
    assert.equal((await patch(id, [{ op: 'replace', path: '/protected', value: false }])).statusCode, 200);
    assert.equal((await app.inject({ method: 'DELETE', url: `/v2/images/${id}`, headers: ALICE })).statusCode, 204);
  });

  it('patches core and extra properties with JSON patch', async () => {
    const { id } = (await create({ name: 'old', color: 'red' })).json();
    const res = await patch(id, [
      { op: 'replace', path: '/name', value: 'new' }, { op: 'add', path: '/size~1x', value: 'big' },
      { op: 'remove', path: '/color' }, { op: 'add', path: '/tags', value: ['a', 'b'] },
      { op: 'replace', path: '/visibility', value: 'private' },
    ]);
    assert.equal(res.statusCode, 200, res.body);
    const image = res.json();
    assert.deepEqual([image.name, image['size/x'], image.color, image.tags, image.visibility], ['new', 'big', undefined, ['a', 'b'], 'private']);
    const v20 = await patch(id, [{ add: '/color', value: 'blue' }], ALICE, 'application/openstack-images-v2.0-json-patch');
    assert.equal(v20.json().color, 'blue');
    assert.equal((await patch(id, [{ add: '/color', value: 'x' }], ALICE, 'application/openstack-images-v2.0-json-patch')).statusCode, 409);
  });

  it('answers patch errors as Glance: 400, 403, 409, 415', async () => {
    const { id } = (await create({ name: 'p' })).json();
    const cases: [unknown, number, RegExp][] = [
      [[{ op: 'replace', path: 'name', value: 'x' }], 400, /does not start with/],
      [[{ op: 'replace', path: '/name/x', value: 'x' }], 400, /Invalid JSON pointer/],
      [[{ op: 'move', path: '/name', value: 'x' }], 400, /Invalid operation: `move`/],
      [[{ op: 'add', path: '/name' }], 400, /requires a member named "value"/],
      [{ op: 'add' }, 400, /JSON array/],
      [[{ op: 'replace', path: '/disk_format', value: 'floppy' }], 400, /is not one of/],
      [[{ op: 'replace', path: '/status', value: 'active' }], 403, /Attribute 'status' is read-only\./],
      [[{ op: 'replace', path: '/id', value: 'x' }], 403, /Attribute 'id' is read-only\./],
      [[{ op: 'remove', path: '/name' }], 403, /Property name may not be removed\./],
      [[{ op: 'remove', path: '/nothing' }], 409, /Property nothing does not exist\./],
      [[{ op: 'replace', path: '/nothing', value: 'x' }], 409, /Property nothing does not exist\./],
      [[{ op: 'replace', path: '/visibility', value: 'public' }], 403, /publicize_image/],
      [[{ op: 'replace', path: '/owner', value: 'project-b' }], 403, /Attribute 'owner' is read-only\./],
    ];
    for (const [ops, status, message] of cases) {
      const res = await patch(id, ops);
      assert.equal(res.statusCode, status, `${JSON.stringify(ops)}: ${res.body}`);
      assert.match(res.body, message);
    }
    assert.equal((await patch(id, [], ALICE, 'application/json')).statusCode, 415);
    assert.equal((await patch(id, [], ALICE, 'application/json-patch+json')).statusCode, 415);
    const malformed = await app.inject({ method: 'PATCH', url: `/v2/images/${id}`, headers: { ...ALICE, 'content-type': PATCH }, payload: '[{' });
    assert.equal(malformed.statusCode, 400);
    assert.equal((await patch(id, [{ op: 'replace', path: '/name', value: 'x' }], BOB)).statusCode, 404);
    const shared = (await create({ visibility: 'public' }, ADMIN)).json();
    const foreign = await patch(shared.id, [{ op: 'replace', path: '/name', value: 'x' }]);
    assert.equal(foreign.statusCode, 403);
    assert.match(foreign.body, /modify_image/);
  });

  it('deactivates and reactivates (admin only)', async () => {
    const { id } = (await create({ name: 'd' })).json();
    assert.equal((await app.inject({ method: 'POST', url: `/v2/images/${id}/actions/deactivate`, headers: ALICE })).statusCode, 403);
    const queued = await app.inject({ method: 'POST', url: `/v2/images/${id}/actions/deactivate`, headers: ADMIN });
    assert.equal(queued.statusCode, 403);
    assert.match(queued.body, /Not allowed to deactivate image in status 'queued'/);
  });
});

describe('GET /v2/images', () => {
  let app: FastifyInstance;
  const ids: Record<string, string> = {};
  before(async () => {
    app = await setup();
    const make = async (body: Record<string, unknown>, headers = ALICE) => {
      const res = await app.inject({ method: 'POST', url: '/v2/images', headers, payload: body });
      ids[String(body.name)] = res.json().id;
    };
    await make({ name: 'alpha', disk_format: 'raw', container_format: 'bare', tags: ['x', 'y'], os_distro: 'ubuntu' });
    await make({ name: 'beta', disk_format: 'qcow2', container_format: 'bare', tags: ['x'] });
    await make({ name: 'gamma', visibility: 'private', os_hidden: true });
    await make({ name: 'delta', visibility: 'public' }, ADMIN);
    await make({ name: 'epsilon', visibility: 'community' }, BOB);
    await make({ name: 'zeta', visibility: 'private' }, BOB);
  });

  const names = async (query: string, headers = ALICE) => {
    const res = await app.inject({ url: `/v2/images${query}`, headers });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().images.map((i: { name: string }) => i.name);
  };

  it('lists the visible, non-hidden images newest first', async () => {
    const res = await app.inject({ url: '/v2/images', headers: ALICE });
    assert.deepEqual(res.json().images.map((i: { name: string }) => i.name), ['delta', 'beta', 'alpha']);
    assert.equal(res.json().first, '/v2/images');
    assert.equal(res.json().schema, '/v2/schemas/images');
    assert.equal(res.json().next, undefined);
    assert.deepEqual(await names('', ADMIN), ['zeta', 'delta', 'beta', 'alpha']);
  });

  it('filters', async () => {
    assert.deepEqual(await names('?os_hidden=true'), ['gamma']);
    assert.deepEqual(await names('?visibility=community'), ['epsilon']);
    assert.deepEqual(await names('?visibility=all'), ['epsilon', 'delta', 'beta', 'alpha']);
    assert.deepEqual(await names('?tag=x&tag=y'), ['alpha']);
    assert.deepEqual(await names('?tag=x'), ['beta', 'alpha']);
    assert.deepEqual(await names('?name=beta'), ['beta']);
    assert.deepEqual(await names('?name=in:alpha,"beta"'), ['beta', 'alpha']);
    assert.deepEqual(await names('?disk_format=raw'), ['alpha']);
    assert.deepEqual(await names('?owner=project-a&sort=name:asc'), ['alpha', 'beta']);
    assert.deepEqual(await names('?os_distro=ubuntu'), ['alpha']);
    assert.deepEqual(await names('?status=queued&visibility=public'), ['delta']);
    assert.deepEqual(await names('?created_at=gte:2026-11-22T16:00:02Z&created_at=lt:2026-11-22T16:00:05Z'), ['delta', 'beta']);
    assert.deepEqual(await names('?size_min=1'), []);
    for (const bad of ['?visibility=x', '?member_status=x', '?status=x', '?size_min=a', '?created_at=gte:notadate', '?os_hidden=maybe']) {
      assert.equal((await app.inject({ url: `/v2/images${bad}`, headers: ALICE })).statusCode, 400, bad);
    }
  });

  it('sorts', async () => {
    assert.deepEqual(await names('?sort_key=name&sort_dir=asc'), ['alpha', 'beta', 'delta']);
    assert.deepEqual(await names('?sort=disk_format:desc,name:asc'), ['alpha', 'beta', 'delta']);
    assert.deepEqual(await names('?sort_key=name'), ['delta', 'beta', 'alpha']);
    for (const bad of ['?sort_key=owner', '?sort_dir=up', '?sort=name:up', '?sort=name&sort_key=name']) {
      assert.equal((await app.inject({ url: `/v2/images${bad}`, headers: ALICE })).statusCode, 400, bad);
    }
  });

  it('pages with limit, marker and next links', async () => {
    const first = (await app.inject({ url: '/v2/images?limit=2&sort=name:asc', headers: ALICE })).json();
    assert.deepEqual(first.images.map((i: { name: string }) => i.name), ['alpha', 'beta']);
    assert.equal(first.first, '/v2/images?limit=2&sort=name%3Aasc');
    assert.equal(first.next, `/v2/images?limit=2&sort=name%3Aasc&marker=${ids.beta}`);
    const second = (await app.inject({ url: first.next, headers: ALICE })).json();
    assert.deepEqual(second.images.map((i: { name: string }) => i.name), ['delta']);
    assert.equal(second.next, undefined);
    assert.equal((await app.inject({ url: '/v2/images?marker=00000000-0000-4000-8000-000000000000', headers: ALICE })).statusCode, 400);
    assert.equal((await app.inject({ url: '/v2/images?limit=-1', headers: ALICE })).statusCode, 400);
    assert.equal((await app.inject({ url: '/v2/images?limit=x', headers: ALICE })).statusCode, 400);
  });
});

describe('image count quota', () => {
  it('answers 413 past image_count_total', async () => {
    const app = await setup(1);
    assert.equal((await app.inject({ method: 'POST', url: '/v2/images', headers: ALICE, payload: {} })).statusCode, 201);
    const res = await app.inject({ method: 'POST', url: '/v2/images', headers: ALICE, payload: {} });
    assert.equal(res.statusCode, 413);
    assert.match(res.body, /image_count_total/);
  });
});

describe('PATCH keeps Glance-owned properties', () => {
  it('leaves os_glance_* properties alone and refuses to touch them', async () => {
    let tick = Date.UTC(2026, 10, 22);
    const images = await testImageManager({}, () => new Date((tick += 1000)));
    const app = await buildTestApp((a) => registerImageRoutes(a, { policy: testAuthorizer(), images }));
    const created = await images.createImage({ projectId: 'project-a', roles: ['member'] }, { diskFormat: 'raw', containerFormat: 'bare' });
    await images.beginImport({ projectId: 'project-a', roles: ['member'] }, created.id, { taskId: 't1' });
    const patch = (ops: unknown) => app.inject({ method: 'PATCH', url: `/v2/images/${created.id}`, headers: { ...ALICE, 'content-type': PATCH }, payload: JSON.stringify(ops) });
    const res = await patch([{ op: 'add', path: '/color', value: 'red' }]);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().os_glance_import_task, 't1');
    assert.equal((await patch([{ op: 'remove', path: '/os_glance_import_task' }])).statusCode, 403);
  });
});

describe('who is admin is the context_is_admin rule', () => {
  it('follows a policy.yaml override of context_is_admin for image visibility', async () => {
    // The operator makes project-b the image admins, and the admin role an ordinary one.
    const policy = testAuthorizer({ context_is_admin: 'project_id:project-b' });
    const images = await testImageManager({}, undefined, policy);
    const app = await buildTestApp((a) => registerImageRoutes(a, { policy, images }));
    const created = await app.inject({ method: 'POST', url: '/v2/images', headers: ALICE, payload: { name: 'secret', visibility: 'private' } });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    const show = (headers: Record<string, string>) => app.inject({ method: 'GET', url: `/v2/images/${id}`, headers });
    const listed = async (headers: Record<string, string>) =>
      (await app.inject({ method: 'GET', url: '/v2/images', headers })).json().images.map((image: { id: string }) => image.id);
    assert.equal((await show(BOB)).statusCode, 200);
    assert.deepEqual(await listed(BOB), [id]);
    assert.equal((await show(ADMIN)).statusCode, 404);
    assert.deepEqual(await listed(ADMIN), []);

    // Under the default rule (role:admin) it is the other way round.
    const defaults = await setup();
    const own = (await defaults.inject({ method: 'POST', url: '/v2/images', headers: ALICE, payload: { name: 'secret', visibility: 'private' } })).json().id as string;
    assert.equal((await defaults.inject({ method: 'GET', url: `/v2/images/${own}`, headers: BOB })).statusCode, 404);
    assert.equal((await defaults.inject({ method: 'GET', url: `/v2/images/${own}`, headers: ADMIN })).statusCode, 200);
  });
});
