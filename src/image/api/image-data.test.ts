// PUT/GET /v2/images/{id}/file against the real image manager, upload flow and FileStore.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { installAuthHook } from '../../common/auth/index.js';
import type { ValidatedToken } from '../../common/auth/index.js';
import { Unauthorized } from '../../common/errors/index.js';
import { createHttpServer } from '../../common/http/index.js';
import { createLogger } from '../../common/log/index.js';
import { uploadFixture } from '../images/testing.js';
import type { UploadFixture, UploadFixtureOptions } from '../images/testing.js';
import type { ImageStatus } from '../model.js';
import { parseRange, registerImageDataRoutes } from './image-data.js';

const HOUR = 3600_000;
const TOKENS: Record<string, ValidatedToken> = {
  member: { userId: 'u1', userName: 'u1', userDomainId: 'default', userDomainName: 'Default', projectId: 'p1', roles: ['member', 'reader'], isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + HOUR) },
  admin: { userId: 'a1', userName: 'a1', userDomainId: 'default', userDomainName: 'Default', projectId: 'p0', roles: ['admin', 'member'], isAdminProject: true, auditIds: [], expiresAt: new Date(Date.now() + HOUR) },
};

async function buildApp(f: UploadFixture, imageSizeCap: number): Promise<FastifyInstance> {
  const app = createHttpServer({
    logger: createLogger({ service: 'image-test', level: 'silent' }),
    renderError: (error) => ({ body: `${error.status} ${error.title}\n\n${error.message}\n\n`, contentType: 'text/plain' }),
  });
  installAuthHook(app, { cacheTtlMs: 0, isPublic: () => false, validator: { validate: async (t) => { const v = TOKENS[t]; if (!v) throw new Unauthorized(); return v; } } });
  registerImageDataRoutes(app, { policy: { authorize: () => undefined, isAdmin: (context) => f.images.isAdmin(context) }, images: f.images, uploads: f.uploads, store: f.store, imageSizeCap });
  await app.ready();
  return app;
}

const ID = '0c5a1e5e-6d2f-4c1b-9b7e-3f7b2c1d0a01';
const put = (app: FastifyInstance, body: Buffer, token = 'member', id = ID, headers: Record<string, string> = {}) =>
  app.inject({ method: 'PUT', url: `/v2/images/${id}/file`, headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream', ...headers }, payload: body });
const get = (app: FastifyInstance, token = 'member', headers: Record<string, string> = {}, id = ID) =>
  app.inject({ method: 'GET', url: `/v2/images/${id}/file`, headers: { 'x-auth-token': token, ...headers } });

describe('image data routes', () => {
  let f: UploadFixture;
  let app: FastifyInstance;
  const add = async (fields: { owner?: string; visibility?: 'private' | 'public' } = {}) => {
    const owner = fields.owner ?? 'p1';
    await f.images.createImage({ projectId: owner, roles: ['member'] }, { id: ID, owner, diskFormat: 'raw', containerFormat: 'bare', visibility: fields.visibility ?? 'private' });
  };
  const status = async (): Promise<ImageStatus | undefined> => (await f.backend.getImage(ID))?.status;
  const setup = async (options: UploadFixtureOptions = {}, imageSizeCap = 1024 * 1024) => {
    await app?.close();
    await f?.close();
    f = await uploadFixture({ imageSizeCap, ...options });
    app = await buildApp(f, imageSizeCap);
  };
  before(() => setup());
  beforeEach(async () => {
    // A fresh database per test: each test reuses the one image id, and deleted ids are never reused.
    await setup();
  });
  after(async () => { await app.close(); await f.close(); });

  it('uploads (204), activates the image and downloads the same bytes with Content-MD5', async () => {
    await add();
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => i % 256));
    assert.equal((await put(app, data)).statusCode, 204);
    const image = await f.backend.getImage(ID);
    const md5 = createHash('md5').update(data).digest('hex');
    assert.equal(image?.status, 'active');
    assert.equal(image?.size, data.length);
    assert.equal(image?.virtualSize, data.length);
    assert.equal(image?.checksum, md5);
    assert.equal(image?.osHashValue, createHash('sha512').update(data).digest('hex'));
    const response = await get(app);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/octet-stream');
    assert.equal(response.headers['content-md5'], md5);
    assert.equal(response.headers['content-length'], String(data.length));
    assert.deepEqual(response.rawPayload, data);
  });

  it('answers ranges with 206 and Content-Range, and 416 when unsatisfiable', async () => {
    await add();
    await put(app, Buffer.from('0123456789'));
    const partial = await get(app, 'member', { range: 'bytes=2-5' });
    assert.equal(partial.statusCode, 206);
    assert.equal(partial.body, '2345');
    assert.equal(partial.headers['content-range'], 'bytes 2-5/10');
    assert.equal(partial.headers['content-length'], '4');
    assert.equal((await get(app, 'member', { range: 'bytes=-3' })).body, '789');
    assert.equal((await get(app, 'member', { range: 'bytes=7-' })).body, '789');
    const unsatisfiable = await get(app, 'member', { range: 'bytes=10-12' });
    assert.equal(unsatisfiable.statusCode, 416);
    assert.equal(unsatisfiable.headers['content-range'], 'bytes */10');
  });

  it('refuses an upload to an image that is not queued with 409', async () => {
    await add();
    assert.equal((await put(app, Buffer.from('x'))).statusCode, 204);
    assert.equal((await put(app, Buffer.from('x'))).statusCode, 409);
  });

  it('answers 204 for an image without data', async () => {
    await add();
    const response = await get(app);
    assert.equal(response.statusCode, 204);
    assert.equal(response.body, '');
  });

  it('answers 404 for an image the caller cannot see', async () => {
    await add({ owner: 'someone-else' });
    assert.equal((await get(app)).statusCode, 404);
    assert.equal((await put(app, Buffer.from('x'))).statusCode, 404);
  });

  it('forbids downloading a deactivated image except to admins', async () => {
    await add();
    await put(app, Buffer.from('data'));
    await f.images.deactivate({ projectId: 'p0', roles: ['admin'] }, ID);
    assert.equal((await get(app)).statusCode, 403);
    assert.equal((await get(app, 'admin')).statusCode, 200);
  });

  it('answers 413 past the size cap, restores queued and keeps no file', async () => {
    await add();
    const response = await put(app, Buffer.alloc(1024 * 1024 + 1));
    assert.equal(response.statusCode, 413);
    assert.equal(await status(), 'queued');
    assert.deepEqual(await f.storeFiles(), []);
  });

  it('answers 413 past the remaining quota', async () => {
    await setup({ quotas: { imageSizeTotal: 10 } });
    await add();
    assert.equal((await put(app, Buffer.alloc(11))).statusCode, 413);
    assert.equal(await status(), 'queued');
  });

  it('answers 400 when x-openstack-image-size does not match, keeping nothing', async () => {
    await add();
    assert.equal((await put(app, Buffer.alloc(5), 'member', ID, { 'x-openstack-image-size': '6' })).statusCode, 400);
    assert.equal(await status(), 'queued');
    assert.deepEqual(await f.storeFiles(), []);
  });

  it('restores queued when the store cannot delete what it stored, and logs that', async () => {
    const deleteFailed = new Error('store delete failed');
    await setup({
      wrapStore: (store) => ({
        id: store.id, get: (l, r) => store.get(l, r), add: (i, d, o) => store.add(i, d, o), discard: (i) => store.discard(i), sweep: (d) => store.sweep(d),
        delete: async () => { throw deleteFailed; },
      }),
    });
    await add();
    const response = await put(app, Buffer.alloc(5), 'member', ID, { 'x-openstack-image-size': '6' });
    assert.equal(response.statusCode, 400);
    assert.equal(await status(), 'queued');
    assert.equal(f.logged.find((line) => line.level === 'error')?.details.err, deleteFailed);
  });

  it('answers 415 for a body that is not application/octet-stream', async () => {
    await add();
    const response = await put(app, Buffer.from('{}'), 'member', ID, { 'content-type': 'application/json' });
    assert.equal(response.statusCode, 415);
  });

  it('restores queued and keeps no partial file when the client disconnects mid-upload', async () => {
    await add();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    await new Promise<void>((resolve) => {
      const request = httpRequest({ host: '127.0.0.1', port, method: 'PUT', path: `/v2/images/${ID}/file`,
        headers: { 'x-auth-token': 'member', 'content-type': 'application/octet-stream', 'content-length': String(512 * 1024) } });
      request.on('error', () => resolve());
      request.write(Buffer.alloc(64 * 1024));
      setTimeout(() => { request.destroy(); resolve(); }, 100);
    });
    for (let i = 0; i < 50 && (await status()) !== 'queued'; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(await status(), 'queued');
    assert.deepEqual(await f.storeFiles(), []);
  });
});

describe('parseRange', () => {
  it('reads webob-style ranges', () => {
    assert.equal(parseRange(undefined, 10), undefined);
    assert.deepEqual(parseRange('bytes=0-4', 10), { start: 0, end: 4 });
    assert.deepEqual(parseRange('bytes=5-100', 10), { start: 5, end: 9 });
    assert.deepEqual(parseRange('bytes=-20', 10), { start: 0, end: 9 });
    assert.throws(() => parseRange('bytes=4-2', 10), (e: Error & { status?: number }) => e.status === 416);
    assert.throws(() => parseRange('bytes=0-1,3-4', 10), (e: Error & { status?: number }) => e.status === 416);
    assert.throws(() => parseRange('items=0-1', 10), (e: Error & { status?: number }) => e.status === 416);
  });
});
