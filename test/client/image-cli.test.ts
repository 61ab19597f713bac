// Drives Debian's python-openstackclient 6.0 (Zed) through the image (Glance v2) acceptance list
// against a real `tstack up` cloud, then checks status codes with plain fetch. The expected
// statuses were taken from Debian's Glance 25 (Zed) answering the same requests.
// Run: cd /work/main && npm run build && node --import tsx --test test/client/image-cli.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openstack, openstackJson, openstackOk, run, serviceEndpoint, skipReason, startCloud } from '../support/cloud.js';
import type { Cloud } from '../support/cloud.js';
import { issueToken } from '../support/identity-http.js';
import { asRow, asRows, rowsWhere, text } from '../support/rows.js';
import type { Row } from '../support/rows.js';

type Env = Readonly<Record<string, string | undefined>>;

const RUN = randomBytes(3).toString('hex');
const unique = (what: string): string => `${what}-${RUN}`;
const TEST_TIMEOUT = 180_000;
const QEMU_IMG = '/usr/bin/qemu-img';
const MiB = 1024 * 1024;
const VIRTUAL_SIZE = 64 * MiB;
const PATCH_TYPE = 'application/openstack-images-v2.1-json-patch';
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const md5 = (data: Buffer): string => createHash('md5').update(data).digest('hex');
const sha512 = (data: Buffer): string => createHash('sha512').update(data).digest('hex');

/**
 * A valid qcow2 v3 image laid out as `qemu-img create -f qcow2` does (64 KiB clusters: header,
 * refcount table, refcount block, L1 table), plus an L2 table mapping the first guest cluster
 * to one cluster of `payload`, so that a byte-for-byte comparison means something.
 */
function qcow2(virtualSize: number, payload: Buffer): Buffer {
  const cluster = 65536;
  const copied = 1n << 63n; // refcount is exactly one
  const image = Buffer.alloc(6 * cluster);
  image.write('QFI\xfb', 0, 'latin1');
  image.writeUInt32BE(3, 4); // version
  image.writeUInt32BE(16, 20); // cluster_bits
  image.writeBigUInt64BE(BigInt(virtualSize), 24);
  image.writeUInt32BE(1, 36); // l1_size: one L1 entry maps 512 MiB
  image.writeBigUInt64BE(BigInt(3 * cluster), 40); // l1_table_offset
  image.writeBigUInt64BE(BigInt(cluster), 48); // refcount_table_offset
  image.writeUInt32BE(1, 56); // refcount_table_clusters
  image.writeUInt32BE(4, 96); // refcount_order: 16-bit refcounts
  image.writeUInt32BE(104, 100); // header_length
  image.writeBigUInt64BE(BigInt(2 * cluster), cluster); // refcount table -> refcount block
  for (let i = 0; i < 6; i++) image.writeUInt16BE(1, 2 * cluster + 2 * i);
  image.writeBigUInt64BE(BigInt(4 * cluster) | copied, 3 * cluster); // L1[0] -> L2 table
  image.writeBigUInt64BE(BigInt(5 * cluster) | copied, 4 * cluster); // L2[0] -> data
  payload.copy(image, 5 * cluster, 0, cluster);
  return image;
}

interface Exchange {
  readonly method: string;
  readonly url: string;
  readonly sent: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
  readonly text: string;
  readonly json: unknown;
}

interface CallOptions {
  readonly method?: string;
  readonly token?: string;
  readonly body?: Buffer | string;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The request and response in a form fit for a failure message (bodies cut at 600 chars). */
function show(exchange: Exchange): string {
  const headers = [...exchange.headers].map(([k, v]) => `${k}: ${v}`).join('\n');
  return `${exchange.method} ${exchange.url}\n${exchange.sent.slice(0, 600)}\n--> ${exchange.status}\n${headers}\n\n${exchange.text.slice(0, 600)}`;
}

/** One request; fails the test on any 5xx, whatever the caller expects. */
async function call(url: string, options: CallOptions = {}): Promise<Exchange> {
  const method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers['X-Auth-Token'] = options.token;
  if (options.contentType !== undefined) headers['Content-Type'] = options.contentType;
  const response = await fetch(url, { method, headers, body: options.body, signal: AbortSignal.timeout(60_000) });
  const body = Buffer.from(await response.arrayBuffer());
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  const sent = typeof options.body === 'string' ? options.body : options.body ? `<${options.body.length} bytes>` : '';
  const exchange = { method, url, sent, status: response.status, headers: response.headers, body, text, json };
  assert.ok(exchange.status < 500, `server error\n${show(exchange)}`);
  return exchange;
}

function expectStatus(exchange: Exchange, status: number): void {
  assert.equal(exchange.status, status, `expected ${status}\n${show(exchange)}`);
}

/** Extra properties as python-openstackclient 6.0 prints them (a "properties" object). */
function properties(row: Row): Record<string, unknown> {
  const value = row.properties;
  assert.ok(value && typeof value === 'object', `no properties object in ${JSON.stringify(row)}`);
  return value as Record<string, unknown>;
}

interface Member {
  readonly projectId: string;
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly env: Env;
}

describe('openstack image CLI against a tstack cloud', { skip: skipReason() }, () => {
  let cloud: Cloud | undefined;
  let admin: Env = {};
  let member: Member | undefined;
  let workDir = '';
  let qcowFile = '';
  let qcowData: Buffer = Buffer.alloc(0);
  let glance = '';
  let adminToken = '';
  let memberToken = '';

  const os = (args: readonly string[], env: Env = admin): Promise<unknown> => openstackJson(env, args);
  const ok = (args: readonly string[], env: Env = admin): Promise<unknown> => openstackOk(env, args);
  const member_ = (): Member => {
    assert.ok(member, 'the member project was not created');
    return member;
  };
  const image = (id: string, token = adminToken): Promise<Exchange> => call(`${glance}/v2/images/${id}`, { token });
  const wire = async (id: string): Promise<Row> => {
    const result = await image(id);
    expectStatus(result, 200);
    return asRow(result.json);
  };

  /** `image create --file F --disk-format qcow2 --container-format bare VISIBILITY NAME`, then its wire view. */
  async function createQcow2(name: string, extra: readonly string[] = []): Promise<Row> {
    const created = asRow(await os(['image', 'create', '--file', qcowFile, '--disk-format', 'qcow2',
      '--container-format', 'bare', ...extra, name]));
    return wire(text(created, 'id'));
  }

  async function createMember(): Promise<Member> {
    const projectName = unique('img-member-project');
    const username = unique('img-member');
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const project = asRow(await os(['project', 'create', '--domain', 'default', projectName]));
    await ok(['user', 'create', '--domain', 'default', '--password', password, username]);
    await ok(['role', 'add', '--user', username, '--project', projectName, 'member']);
    return {
      projectId: text(project, 'id'), username, password, projectName,
      env: { ...admin, OS_USERNAME: username, OS_PASSWORD: password, OS_PROJECT_NAME: projectName },
    };
  }

  before(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'tstack-image-cli-'));
    qcowData = qcow2(VIRTUAL_SIZE, randomBytes(65536));
    qcowFile = join(workDir, 'small.qcow2');
    await writeFile(qcowFile, qcowData);
    cloud = await startCloud();
    admin = cloud.env;
    adminToken = await issueToken(cloud.authUrl, {
      username: admin.OS_USERNAME ?? '', password: admin.OS_PASSWORD ?? '', projectName: 'admin',
    });
    member = await createMember();
    memberToken = await issueToken(cloud.authUrl, member);
    glance = (await serviceEndpoint(cloud.authUrl, adminToken, 'image')).replace(/\/v2$/, '');
  }, { timeout: 150_000 });

  after(async () => {
    await cloud?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('the test qcow2 is valid (qemu-img check and info, when installed)', { skip: !existsSync(QEMU_IMG) && `${QEMU_IMG} is not installed` }, async () => {
    const check = await run(QEMU_IMG, ['check', qcowFile], { PATH: '/usr/bin:/bin' }, 30_000);
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const info = await run(QEMU_IMG, ['info', '--output', 'json', qcowFile], { PATH: '/usr/bin:/bin' }, 30_000);
    assert.equal(info.code, 0, info.stderr);
    const parsed = JSON.parse(info.stdout) as { format?: string; 'virtual-size'?: number };
    assert.equal(parsed.format, 'qcow2');
    assert.equal(parsed['virtual-size'], VIRTUAL_SIZE);
  });

  it('catalog: image service "glance" with public/internal/admin endpoints on the image port', { timeout: TEST_TIMEOUT }, async () => {
    assert.ok(cloud);
    const services = asRows(await os(['service', 'list', '--long']));
    const service = rowsWhere(services, 'Type', 'image');
    assert.equal(service.length, 1, `image services: ${JSON.stringify(services)}`);
    assert.equal(service[0]?.Name, 'glance');
    const endpoints = asRows(await os(['endpoint', 'list', '--service', 'image']));
    const expected = `http://127.0.0.1:${cloud.imagePort}`;
    for (const iface of ['public', 'internal', 'admin']) {
      const found = rowsWhere(endpoints, 'Interface', iface);
      assert.equal(found.length, 1, `${iface} image endpoints: ${JSON.stringify(endpoints)}`);
      assert.equal(String(found[0]?.URL).replace(/\/+$/, ''), expected);
    }
  });

  it('version discovery at the image endpoint root: 300 with a CURRENT v2', { timeout: TEST_TIMEOUT }, async () => {
    const root = await call(`${glance}/`);
    expectStatus(root, 300);
    const versions = (root.json as { versions?: { id: string; status: string }[] }).versions ?? [];
    assert.ok(versions.some((v) => v.status === 'CURRENT' && v.id.startsWith('v2.')), root.text);
  });

  it('a default image is there at first start: public, active, its data matches its checksum', { timeout: TEST_TIMEOUT }, async () => {
    const listed = asRows(await os(['image', 'list', '--public', '--long']));
    const active = listed.filter((row) => row.Status === 'active');
    assert.ok(active.length >= 1, `no active public image: ${JSON.stringify(listed)}`);
    const id = text(active[0] as Row, 'ID');
    const out = join(workDir, 'default.img');
    await ok(['image', 'save', '--file', out, id]);
    const data = await readFile(out);
    const shown = await wire(id);
    assert.equal(shown.size, data.length);
    assert.equal(shown.checksum, md5(data));
    assert.equal(shown.os_hash_value, sha512(data));
  });

  for (const visibility of ['public', 'private', 'shared'] as const) {
    it(`image create --file (qcow2) --${visibility}: active, size, md5, sha512, virtual_size`, { timeout: TEST_TIMEOUT }, async () => {
      const name = unique(`img-${visibility}`);
      const shown = await createQcow2(name, [`--${visibility}`, '--property', 'os_distro=cirros', '--min-disk', '1']);
      assert.match(text(shown, 'id'), UUID);
      assert.equal(shown.name, name);
      assert.equal(shown.status, 'active');
      assert.equal(shown.visibility, visibility);
      assert.equal(shown.disk_format, 'qcow2');
      assert.equal(shown.container_format, 'bare');
      assert.equal(shown.size, qcowData.length);
      assert.equal(shown.virtual_size, VIRTUAL_SIZE, 'virtual_size comes from the qcow2 header');
      assert.equal(shown.checksum, md5(qcowData));
      assert.equal(shown.os_hash_algo, 'sha512');
      assert.equal(shown.os_hash_value, sha512(qcowData));
      assert.equal(shown.os_distro, 'cirros', 'extra properties are top-level on the wire');
      assert.equal(shown.min_disk, 1);
      assert.equal(shown.min_ram, 0);
      assert.equal(shown.protected, false);
      assert.equal(shown.os_hidden, false);
      assert.equal(shown.self, `/v2/images/${text(shown, 'id')}`);
      assert.equal(shown.file, `/v2/images/${text(shown, 'id')}/file`);
      assert.equal(shown.schema, '/v2/schemas/image');
      assert.match(text(shown, 'created_at'), TIMESTAMP);
      assert.match(text(shown, 'updated_at'), TIMESTAMP);
      assert.ok(!('locations' in shown), 'locations are not shown by default policy');

      const cli = asRow(await os(['image', 'show', name]));
      assert.equal(cli.id, shown.id);
      assert.equal(cli.checksum, md5(qcowData));
      assert.equal(cli.virtual_size, VIRTUAL_SIZE);
      assert.equal(properties(cli).os_hash_value, sha512(qcowData));
      const flag = asRows(await os(['image', 'list', `--${visibility}`]));
      assert.equal(rowsWhere(flag, 'Name', name).length, 1, `image list --${visibility}: ${JSON.stringify(flag)}`);
    });
  }

  it('image list / show / set --property / unset --property / set --tag / unset --tag / delete', { timeout: TEST_TIMEOUT }, async () => {
    const name = unique('img-props');
    const renamed = unique('img-renamed');
    const id = text(await createQcow2(name), 'id');
    const listed = asRows(await os(['image', 'list']));
    assert.deepEqual(rowsWhere(listed, 'ID', id).map((row) => [row.Name, row.Status]), [[name, 'active']]);

    await ok(['image', 'set', '--property', 'flavour=vanilla', '--property', 'colour=blue', '--tag', 'alpha',
      '--tag', 'beta', '--name', renamed, '--min-ram', '128', name]);
    let shown = await wire(id);
    assert.equal(shown.name, renamed);
    assert.equal(shown.flavour, 'vanilla');
    assert.equal(shown.colour, 'blue');
    assert.equal(shown.min_ram, 128);
    assert.deepEqual([...(shown.tags as string[])].sort(), ['alpha', 'beta']);
    const cli = asRow(await os(['image', 'show', renamed]));
    assert.equal(properties(cli).flavour, 'vanilla');
    const byTag = asRows(await os(['image', 'list', '--tag', 'alpha']));
    assert.deepEqual(byTag.map((row) => row.ID), [id], 'image list --tag filters on the server');

    await ok(['image', 'unset', '--property', 'flavour', '--tag', 'alpha', renamed]);
    shown = await wire(id);
    assert.ok(!('flavour' in shown), `flavour still set: ${JSON.stringify(shown)}`);
    assert.equal(shown.colour, 'blue');
    assert.deepEqual(shown.tags, ['beta']);

    await ok(['image', 'delete', renamed]);
    const gone = await openstack(admin, ['image', 'show', id]);
    assert.notEqual(gone.code, 0, 'show after delete');
    expectStatus(await image(id), 404);
    assert.equal(rowsWhere(asRows(await os(['image', 'list'])), 'ID', id).length, 0);
  });

  it('image save --file: byte-identical; Content-MD5 is the checksum', { timeout: TEST_TIMEOUT }, async () => {
    const name = unique('img-save');
    const id = text(await createQcow2(name), 'id');
    const out = join(workDir, 'saved.qcow2');
    await ok(['image', 'save', '--file', out, name]);
    const saved = await readFile(out);
    assert.equal(saved.length, qcowData.length);
    assert.ok(saved.equals(qcowData), 'the saved file differs from the uploaded one');
    const download = await call(`${glance}/v2/images/${id}/file`, { token: adminToken });
    expectStatus(download, 200);
    assert.equal(download.headers.get('content-type'), 'application/octet-stream');
    assert.equal(download.headers.get('content-md5'), md5(qcowData));
    assert.equal(download.headers.get('content-length'), String(qcowData.length));
    assert.ok(download.body.equals(qcowData));
  });

  it('image add project + image set --accept as the member project', { timeout: TEST_TIMEOUT }, async () => {
    const { projectId, env } = member_();
    const name = unique('img-member');
    const id = text(await createQcow2(name, ['--shared']), 'id');
    expectStatus(await image(id, memberToken), 404);

    const added = asRow(await os(['image', 'add', 'project', name, projectId]));
    assert.equal(added.image_id, id);
    assert.equal(added.member_id, projectId);
    assert.equal(added.status, 'pending');
    expectStatus(await image(id, memberToken), 200);
    assert.equal(rowsWhere(asRows(await os(['image', 'list'], env)), 'ID', id).length, 0,
      'a pending shared image is not in the member\'s list');

    await ok(['image', 'set', '--accept', id], env);
    const members = asRows(await os(['image', 'member', 'list', name]));
    assert.deepEqual(members.map((row) => [row['Member ID'], row.Status]), [[projectId, 'accepted']]);
    assert.equal(rowsWhere(asRows(await os(['image', 'list'], env)), 'ID', id).length, 1,
      'an accepted shared image is in the member\'s list');
    const out = join(workDir, 'member.qcow2');
    await ok(['image', 'save', '--file', out, id], env);
    assert.ok((await readFile(out)).equals(qcowData));

    const refused = await openstack(env, ['image', 'set', '--property', 'mine=no', id]);
    assert.notEqual(refused.code, 0, 'a member cannot change the image');
    assert.match(refused.stderr, /403|forbidden/i);
  });

  it('image set --deactivate / --activate: deactivated data is 403 to the member, 200 to admin', { timeout: TEST_TIMEOUT }, async () => {
    const { projectId, env } = member_();
    const name = unique('img-deact');
    const id = text(await createQcow2(name, ['--shared']), 'id');
    await ok(['image', 'add', 'project', name, projectId]);
    await ok(['image', 'set', '--accept', id], env);

    await ok(['image', 'set', '--deactivate', name]);
    assert.equal((await wire(id)).status, 'deactivated');
    expectStatus(await call(`${glance}/v2/images/${id}/file`, { token: memberToken }), 403);
    const refused = await openstack(env, ['image', 'save', '--file', join(workDir, 'deact-member.img'), id]);
    assert.notEqual(refused.code, 0, 'the member cannot save a deactivated image');
    const adminOut = join(workDir, 'deact-admin.img');
    await ok(['image', 'save', '--file', adminOut, name]);
    assert.ok((await readFile(adminOut)).equals(qcowData), 'admin downloads a deactivated image');

    await ok(['image', 'set', '--activate', name]);
    assert.equal((await wire(id)).status, 'active');
    const download = await call(`${glance}/v2/images/${id}/file`, { token: memberToken });
    expectStatus(download, 200);
    assert.ok(download.body.equals(qcowData));
  });

  it('--protected refuses delete; --unprotected allows it', { timeout: TEST_TIMEOUT }, async () => {
    const name = unique('img-protected');
    const id = text(await createQcow2(name, ['--protected']), 'id');
    assert.equal((await wire(id)).protected, true);
    const refused = await openstack(admin, ['image', 'delete', name]);
    assert.notEqual(refused.code, 0, 'a protected image cannot be deleted');
    assert.match(refused.stderr, /403/);
    expectStatus(await call(`${glance}/v2/images/${id}`, { method: 'DELETE', token: adminToken }), 403);
    assert.equal((await wire(id)).status, 'active');
    await ok(['image', 'set', '--unprotected', name]);
    await ok(['image', 'delete', name]);
    expectStatus(await image(id), 404);
  });

  describe('statuses over plain HTTP (as Debian\'s Glance 25 answers them)', () => {
    const json = 'application/json';
    const patch = (id: string, ops: unknown, contentType = PATCH_TYPE): Promise<Exchange> =>
      call(`${glance}/v2/images/${id}`, { method: 'PATCH', token: adminToken, contentType, body: typeof ops === 'string' ? ops : JSON.stringify(ops) });
    const createRecord = async (body: Record<string, unknown>): Promise<string> => {
      const created = await call(`${glance}/v2/images`, { token: adminToken, contentType: json, body: JSON.stringify(body) });
      expectStatus(created, 201);
      const id = text(asRow(created.json), 'id');
      assert.ok(created.headers.get('location')?.endsWith(`/v2/images/${id}`), `Location header\n${show(created)}`);
      return id;
    };
    const upload = (id: string, data: Buffer, contentType = 'application/octet-stream'): Promise<Exchange> =>
      call(`${glance}/v2/images/${id}/file`, { method: 'PUT', token: adminToken, contentType, body: data });

    it('POST /v2/images: 201 queued with defaults; unknown disk_format 400; read-only status 403; malformed JSON 400', { timeout: TEST_TIMEOUT }, async () => {
      const id = await createRecord({ name: unique('rec'), disk_format: 'qcow2', container_format: 'bare' });
      const record = await wire(id);
      assert.equal(record.status, 'queued');
      assert.equal(record.visibility, 'shared', 'Glance\'s default visibility');
      assert.equal(record.size, null);
      assert.equal(record.checksum, null);
      assert.deepEqual(record.tags, []);
      const post = (body: string): Promise<Exchange> => call(`${glance}/v2/images`, { token: adminToken, contentType: json, body });
      expectStatus(await post(JSON.stringify({ name: 'x', disk_format: 'floppy', container_format: 'bare' })), 400);
      expectStatus(await post(JSON.stringify({ name: 'x', container_format: 'crate' })), 400);
      expectStatus(await post(JSON.stringify({ name: 'x', status: 'active' })), 403);
      expectStatus(await post('{"name":'), 400);
    });

    it('PATCH: bad JSON-patch paths and ops 400, read-only attribute 403, wrong media type 415, missing property 409', { timeout: TEST_TIMEOUT }, async () => {
      const id = await createRecord({ name: unique('patch'), disk_format: 'raw', container_format: 'bare' });
      expectStatus(await patch(id, [{ op: 'replace', path: 'name', value: 'x' }]), 400);
      expectStatus(await patch(id, [{ op: 'replace', path: '/name/x', value: 'x' }]), 400);
      expectStatus(await patch(id, [{ op: 'frob', path: '/name', value: 'x' }]), 400);
      expectStatus(await patch(id, [{ op: 'replace', path: '/disk_format', value: 'floppy' }]), 400);
      expectStatus(await patch(id, [{ op: 'replace', path: '/protected', value: 'yes' }]), 400);
      expectStatus(await patch(id, '[{'), 400);
      expectStatus(await patch(id, [{ op: 'replace', path: '/id', value: 'x' }]), 403);
      expectStatus(await patch(id, [{ op: 'remove', path: '/no_such_property' }]), 409);
      expectStatus(await patch(id, [{ op: 'replace', path: '/name', value: 'x' }], json), 415);
      const renamed = await patch(id, [{ op: 'replace', path: '/name', value: 'renamed' }, { op: 'add', path: '/k', value: 'v' }]);
      expectStatus(renamed, 200);
      assert.equal(asRow(renamed.json).name, 'renamed');
      assert.equal(asRow(renamed.json).k, 'v');
    });

    it('image data: queued download 204, upload 204 then 409 on an active image, Range 206', { timeout: TEST_TIMEOUT }, async () => {
      const id = await createRecord({ name: unique('data'), disk_format: 'raw', container_format: 'bare' });
      const queued = await call(`${glance}/v2/images/${id}/file`, { token: adminToken });
      expectStatus(queued, 204);
      assert.equal(queued.body.length, 0);
      const data = randomBytes(100_003);
      expectStatus(await upload(id, data), 204);
      const record = await wire(id);
      assert.equal(record.status, 'active');
      assert.equal(record.size, data.length);
      assert.equal(record.checksum, md5(data));
      assert.equal(record.os_hash_value, sha512(data));
      expectStatus(await upload(id, data), 409);
      const range = await call(`${glance}/v2/images/${id}/file`, { token: adminToken, headers: { Range: 'bytes=0-99' } });
      expectStatus(range, 206);
      assert.equal(range.headers.get('content-range'), `bytes 0-99/${data.length}`);
      assert.ok(range.body.equals(data.subarray(0, 100)));
    });

    it('upload as application/json (binary or JSON) or text/plain: 415, the image stays queued', { timeout: TEST_TIMEOUT }, async () => {
      const id = await createRecord({ name: unique('media'), disk_format: 'raw', container_format: 'bare' });
      expectStatus(await upload(id, Buffer.from('{"not": "image data"}'), json), 415);
      expectStatus(await upload(id, Buffer.from('plain'), 'text/plain'), 415);
      expectStatus(await upload(id, randomBytes(1000), json), 415);
      assert.equal((await wire(id)).status, 'queued');
    });

    it('unknown or deleted image 404 (message names the id); no token 401', { timeout: TEST_TIMEOUT }, async () => {
      const missing = '00000000-0000-4000-8000-000000000000';
      const shown = await image(missing);
      expectStatus(shown, 404);
      assert.ok(shown.text.includes(missing), `the 404 body should name the image\n${show(shown)}`);
      expectStatus(await image('not-a-uuid'), 404);
      expectStatus(await call(`${glance}/v2/images/${missing}/file`, { token: adminToken }), 404);
      const id = await createRecord({ name: unique('gone') });
      expectStatus(await call(`${glance}/v2/images/${id}`, { method: 'DELETE', token: adminToken }), 204);
      expectStatus(await call(`${glance}/v2/images/${id}`, { method: 'DELETE', token: adminToken }), 404);
      expectStatus(await image(id), 404);
      expectStatus(await call(`${glance}/v2/images`), 401);
      expectStatus(await call(`${glance}/v2/images`, { token: 'not-a-token' }), 401);
    });

    it('members: private image 403, duplicate 409; deactivate queued 403, by a non-owner 403; missing tag 404', { timeout: TEST_TIMEOUT }, async () => {
      const { projectId } = member_();
      const members = (id: string): Promise<Exchange> =>
        call(`${glance}/v2/images/${id}/members`, { token: adminToken, contentType: json, body: JSON.stringify({ member: projectId }) });
      const priv = await createRecord({ name: unique('priv'), visibility: 'private' });
      expectStatus(await members(priv), 403);
      expectStatus(await call(`${glance}/v2/images/${priv}/actions/deactivate`, { method: 'POST', token: adminToken }), 403);
      expectStatus(await call(`${glance}/v2/images/${priv}/tags/t1`, { method: 'PUT', token: adminToken }), 204);
      expectStatus(await call(`${glance}/v2/images/${priv}/tags/nope`, { method: 'DELETE', token: adminToken }), 404);

      const shared = await createRecord({ name: unique('shared'), visibility: 'shared', disk_format: 'raw', container_format: 'bare' });
      const added = await members(shared);
      expectStatus(added, 200);
      assert.equal(asRow(added.json).status, 'pending');
      expectStatus(await members(shared), 409);
      expectStatus(await upload(shared, randomBytes(1000)), 204);
      const byMember = await call(`${glance}/v2/images/${shared}/actions/deactivate`, { method: 'POST', token: memberToken });
      expectStatus(byMember, 403);
      const deactivate = (): Promise<Exchange> =>
        call(`${glance}/v2/images/${shared}/actions/deactivate`, { method: 'POST', token: adminToken });
      expectStatus(await deactivate(), 204);
      expectStatus(await deactivate(), 204);
      expectStatus(await call(`${glance}/v2/images/${shared}/actions/reactivate`, { method: 'POST', token: adminToken }), 204);
    });

    it('a sweep of invalid and edge-case requests: each status as Glance answers it (all mismatches listed)', { timeout: TEST_TIMEOUT }, async () => {
      const { projectId } = member_();
      const mismatches: string[] = [];
      const expect = async (status: number, url: string, options: CallOptions = {}): Promise<void> => {
        const exchange = await call(`${glance}${url}`, { token: adminToken, ...options });
        if (exchange.status !== status) mismatches.push(`expected ${status}\n${show(exchange)}`);
      };
      const asJson = (body: unknown): CallOptions => ({ contentType: json, body: typeof body === 'string' ? body : JSON.stringify(body) });
      const asPatch = (ops: unknown, token = adminToken): CallOptions => ({ method: 'PATCH', token, contentType: PATCH_TYPE, body: JSON.stringify(ops) });
      const none = '00000000-0000-4000-8000-000000000000';
      const id = await createRecord({ name: unique('sweep'), visibility: 'shared', disk_format: 'raw', container_format: 'bare' });
      expectStatus(await upload(id, Buffer.from('abcdefghij')), 204);
      const image = `/v2/images/${id}`;
      const memberUrl = `${image}/members/${projectId}`;

      for (const query of ['limit=abc', 'limit=-1', 'sort_key=foo', 'sort_dir=up', `marker=${none}`, 'visibility=bogus',
        'size_min=x', 'created_at=gt:notadate', 'member_status=bogus']) {
        await expect(400, `/v2/images?${query}`);
      }
      await expect(200, '/v2/images?status=in:active,queued');
      for (const body of [{ id: 'abc' }, { name: 'a'.repeat(256) }, { tags: 'x' }, { min_ram: -1 }, { protected: 'yes' },
        { visibility: 'bogus' }, { foo: 1 }, [1]]) {
        await expect(400, '/v2/images', asJson(body)); // Glance itself answers 500 to the array body
      }
      await expect(409, '/v2/images', asJson({ id }));
      await expect(403, '/v2/images', asJson({ self: 'x' }));
      await expect(400, `${image}/tags/${'a'.repeat(256)}`, { method: 'PUT' });
      await expect(416, `${image}/file`, { headers: { Range: 'bytes=100-200' } });
      await expect(416, `${image}/file`, { headers: { Range: 'bytes=z' } });
      for (const schema of ['image', 'images', 'member', 'members']) await expect(200, `/v2/schemas/${schema}`);
      await expect(200, `${image}/members`);
      await expect(404, memberUrl);
      await expect(404, memberUrl, { method: 'DELETE' });
      await expect(400, `${image}/members`, asJson({}));
      await expect(200, `${image}/members`, asJson({ member: projectId }));
      await expect(400, memberUrl, { method: 'PUT', token: memberToken, ...asJson({ status: 'bogus' }) });
      await expect(200, `${image}/members`, { token: memberToken });
      await expect(403, `${image}/members`, { token: memberToken, ...asJson({ member: projectId }) });
      await expect(403, image, { method: 'DELETE', token: memberToken });
      await expect(200, `${image}/file`, { token: memberToken });
      await expect(200, memberUrl, { method: 'PUT', token: memberToken, ...asJson({ status: 'rejected' }) });
      await expect(200, image, { token: memberToken });
      await expect(200, memberUrl, { method: 'PUT', ...asJson({ status: 'accepted' }) }); // admin may set any member's status
      await expect(200, image, asPatch([{ op: 'add', path: '/name', value: 'n' }]));
      await expect(409, image, asPatch([{ op: 'replace', path: '/nope', value: 'n' }]));
      await expect(400, image, asPatch({ op: 'replace' }));
      await expect(400, image, asPatch([{ op: 'replace', path: '/name' }]));
      await expect(200, image, asPatch([{ op: 'replace', path: '/tags', value: ['a', 'b'] }]));
      await expect(403, image, asPatch([{ op: 'replace', path: '/size', value: 1 }]));
      await expect(403, image, asPatch([{ op: 'replace', path: '/disk_format', value: 'qcow2' }]));
      await expect(403, image, asPatch([{ op: 'replace', path: '/name', value: 'z' }], memberToken));
      await expect(200, image, { method: 'PATCH', contentType: 'application/openstack-images-v2.0-json-patch',
        body: JSON.stringify([{ replace: '/name', value: 'v20' }]) });
      await expect(204, `${image}/actions/reactivate`, { method: 'POST' });
      await expect(404, `/v2/images/${none}/actions/deactivate`, { method: 'POST' });
      await expect(404, `/v2/images/${none}/file`, { method: 'PUT', contentType: 'application/octet-stream', body: Buffer.from('x') });
      await expect(405, image, { method: 'POST', ...asJson({}) });
      await expect(404, '/v2/nothing');
      await expect(200, '/v2/info/import');
      await expect(200, '/v2/tasks');
      await expect(204, image, { method: 'DELETE' });
      await expect(404, `${image}/file`, { method: 'PUT', contentType: 'application/octet-stream', body: Buffer.from('x') });
      assert.equal(mismatches.length, 0, `${mismatches.length} statuses differ from Glance's:\n\n${mismatches.join('\n\n')}`);
    });
  });
});
