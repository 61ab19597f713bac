// Interoperable import routes against the real image manager and upload flows, FileStore,
// StagingArea and task records.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { installAuthHook } from '../../common/auth/index.js';
import type { ValidatedToken } from '../../common/auth/index.js';
import { Unauthorized } from '../../common/errors/index.js';
import { createHttpServer } from '../../common/http/index.js';
import { createLogger } from '../../common/log/index.js';
import { uploadFixture } from '../images/testing.js';
import type { UploadFixture, UploadFixtureOptions } from '../images/testing.js';
import type { TaskManager } from '../tasks/index.js';
import { inMemoryTaskManager } from '../tasks/testing.js';
import { registerImportRoutes } from './import.js';
import type { ImageUsage } from './import.js';

const TOKEN: ValidatedToken = { userId: 'u1', userName: 'u1', userDomainId: 'default', userDomainName: 'Default', projectId: 'p1', roles: ['member'], isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 3600_000) };
const ID = '5b1e0f5e-3d1c-4b6a-9f0e-2c3d4e5f6a7b';
const USAGE: ImageUsage = { imageSizeTotal: { limit: 1000, usage: 10 }, imageStageTotal: { limit: -1, usage: 0 }, imageCountTotal: { limit: 100, usage: 1 }, imageCountUploading: { limit: -1, usage: 0 } };

describe('import routes', () => {
  const jobs: Promise<void>[] = [];
  let f: UploadFixture | undefined;
  let tasks: TaskManager;
  let closeTasks: (() => Promise<void>) | undefined;
  let app: FastifyInstance | undefined;

  async function setup(options: UploadFixtureOptions = {}): Promise<{ f: UploadFixture; app: FastifyInstance }> {
    await app?.close();
    await f?.close();
    await closeTasks?.();
    ({ tasks, close: closeTasks } = await inMemoryTaskManager());
    f = await uploadFixture({ imageSizeCap: 4096, tasks, ...options });
    const fixture = f;
    app = createHttpServer({ logger: createLogger({ service: 'image-test', level: 'silent' }), renderError: (e) => ({ body: e.message, contentType: 'text/plain' }) });
    installAuthHook(app, { cacheTtlMs: 0, isPublic: () => false, validator: { validate: async (t) => { if (t !== 'member') throw new Unauthorized(); return TOKEN; } } });
    registerImportRoutes(app, {
      policy: { authorize: () => undefined, isAdmin: (context) => fixture.images.isAdmin(context) }, images: fixture.images, uploads: fixture.uploads, records: { usage: async () => USAGE },
      store: fixture.store, imageSizeCap: 4096, tasks, log: app.log,
      runInBackground: (job) => { jobs.push(job().catch(() => undefined)); },
    });
    await app.ready();
    await fixture.images.createImage({ projectId: 'p1', roles: ['member'] }, { id: ID, diskFormat: 'raw', containerFormat: 'bare' });
    return { f: fixture, app };
  }
  beforeEach(() => { jobs.length = 0; });
  after(async () => { await app?.close(); await f?.close(); await closeTasks?.(); });

  const headers = { 'x-auth-token': 'member' };
  const stage = (a: FastifyInstance, body: Buffer) => a.inject({ method: 'PUT', url: `/v2/images/${ID}/stage`, headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: body });
  const importImage = (a: FastifyInstance, payload: unknown = { method: { name: 'glance-direct' } }) => a.inject({ method: 'POST', url: `/v2/images/${ID}/import`, headers, payload: payload as object });
  const taskContext = { ...TOKEN, requestId: 'r', authToken: 't' };

  it('describes import methods, stores and usage', async () => {
    const { app: a } = await setup();
    assert.deepEqual((await a.inject({ url: '/v2/info/import', headers })).json(),
      { 'import-methods': { description: 'Import methods available.', type: 'array', value: ['glance-direct'] } });
    assert.deepEqual((await a.inject({ url: '/v2/info/stores', headers })).json(), { stores: [{ id: 'file', description: 'Local filesystem store.', default: true }] });
    assert.deepEqual((await a.inject({ url: '/v2/info/usage', headers })).json(), { usage: {
      image_size_total: { limit: 1000, usage: 10 }, image_stage_total: { limit: -1, usage: 0 },
      image_count_total: { limit: 100, usage: 1 }, image_count_uploading: { limit: -1, usage: 0 } } });
    assert.equal((await a.inject({ url: '/v2/info/usage' })).statusCode, 401);
  });

  it('stages (204, uploading), imports (202) and ends active with hashes, staging emptied, task succeeded', async () => {
    const { f: x, app: a } = await setup();
    const data = Buffer.from('staged image data');
    assert.equal((await stage(a, data)).statusCode, 204);
    assert.equal((await x.backend.getImage(ID))?.status, 'uploading');
    assert.equal((await importImage(a)).statusCode, 202);
    await Promise.all(jobs);
    const image = await x.backend.getImage(ID);
    assert.equal(image?.status, 'active');
    assert.equal(image?.size, data.length);
    assert.equal(image?.checksum, createHash('md5').update(data).digest('hex'));
    assert.equal(image?.osHashValue, createHash('sha512').update(data).digest('hex'));
    assert.deepEqual(await x.stagingFiles(), []);
    const task = await tasks.get(taskContext, image?.properties.os_glance_import_task ?? '');
    assert.equal(task.status, 'success');
    assert.equal(task.type, 'api_image_import');
  });

  it('refuses to import an image that was not staged (409) and an unknown method (400)', async () => {
    const { app: a } = await setup();
    assert.equal((await importImage(a)).statusCode, 409);
    assert.equal((await importImage(a, { method: { name: 'web-download' } })).statusCode, 400);
    assert.equal((await importImage(a, {})).statusCode, 400);
  });

  it('refuses to stage twice (409) and data past the cap (413, back to queued, nothing staged)', async () => {
    const { f: x, app: a } = await setup();
    assert.equal((await stage(a, Buffer.alloc(4097))).statusCode, 413);
    assert.equal((await x.backend.getImage(ID))?.status, 'queued');
    assert.deepEqual(await x.stagingFiles(), []);
    assert.equal((await stage(a, Buffer.alloc(10))).statusCode, 204);
    assert.equal((await stage(a, Buffer.alloc(10))).statusCode, 409);
  });

  it('puts the image back to queued and fails the task when the import exceeds the quota', async () => {
    const { f: x, app: a } = await setup({ quotas: { imageSizeTotal: 50 } });
    await stage(a, Buffer.alloc(100));
    assert.equal((await importImage(a)).statusCode, 202);
    await Promise.all(jobs);
    const image = await x.backend.getImage(ID);
    assert.equal(image?.status, 'queued');
    assert.equal(image?.properties.os_glance_failed_import, 'file');
    assert.deepEqual(await x.storeFiles(), []);
    assert.deepEqual(await x.stagingFiles(), []);
    const task = await tasks.get(taskContext, image?.properties.os_glance_import_task ?? '');
    assert.equal(task.status, 'failure');
    assert.match(task.message, /too large/);
  });

  it('answers 404 for an unknown image', async () => {
    const { app: a } = await setup();
    const other = '00000000-0000-4000-8000-000000000abc';
    assert.equal((await a.inject({ method: 'PUT', url: `/v2/images/${other}/stage`, headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: Buffer.alloc(1) })).statusCode, 404);
    assert.equal((await a.inject({ method: 'POST', url: `/v2/images/${other}/import`, headers, payload: { method: { name: 'glance-direct' } } })).statusCode, 404);
  });
});
