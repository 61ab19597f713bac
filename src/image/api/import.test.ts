// Interoperable import routes against a fake image manager, a real FileStore, StagingArea and task records.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { installAuthHook } from '../../common/auth/index.js';
import type { RequestContext, ValidatedToken } from '../../common/auth/index.js';
import { Conflict, NotFound, Unauthorized } from '../../common/errors/index.js';
import { createHttpServer } from '../../common/http/index.js';
import { createLogger } from '../../common/log/index.js';
import { FileStore, StagingArea } from '../stores/index.js';
import type { TaskManager } from '../tasks/index.js';
import { inMemoryTaskManager } from '../tasks/testing.js';
import type { ImageDataImage, UploadResult } from './image-data.js';
import { registerImportRoutes } from './import.js';
import type { ImageUsage, ImportRecords } from './import.js';

const TOKEN: ValidatedToken = { userId: 'u1', userName: 'u1', userDomainId: 'default', userDomainName: 'Default', projectId: 'p1', roles: ['member'], isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 3600_000) };
type Image = { -readonly [K in keyof ImageDataImage]: ImageDataImage[K] } & { properties: Record<string, string>; osHashValue?: string };

class FakeRecords implements ImportRecords {
  readonly images = new Map<string, Image>();
  remaining: number | null = null;
  add(id: string): Image {
    const image: Image = { id, status: 'queued', owner: 'p1', visibility: 'private', diskFormat: 'raw', size: null, checksum: null, storeLocation: null, properties: {} };
    this.images.set(id, image);
    return image;
  }
  private image(id: string): Image { const image = this.images.get(id); if (!image) throw new NotFound(`No image found with ID ${id}`); return image; }
  async getImage(_c: RequestContext, id: string) { return { ...this.image(id) }; }
  async beginStage(_c: RequestContext, id: string) { const i = this.image(id); if (i.status !== 'queued') throw new Conflict('not queued'); i.status = 'uploading'; }
  async failStage(id: string) { this.image(id).status = 'queued'; }
  async beginImport(_c: RequestContext, id: string, _m: string, taskId: string | null) {
    const i = this.image(id);
    if (i.status !== 'uploading') throw new Conflict('not uploading');
    i.status = 'importing';
    if (taskId) i.properties.os_glance_import_task = taskId;
  }
  async completeUpload(id: string, r: UploadResult) { Object.assign(this.image(id), { status: 'active', size: r.size, checksum: r.checksum, osHashValue: r.osHashValue, storeLocation: r.location }); }
  async failImport(id: string, message: string) { const i = this.image(id); i.status = 'queued'; i.properties.os_glance_failed_import = message; }
  async remainingStorage() { return this.remaining; }
  async remainingStaging() { return null; }
  async usage(): Promise<ImageUsage> {
    return { imageSizeTotal: { limit: 1000, usage: 10 }, imageStageTotal: { limit: -1, usage: 0 }, imageCountTotal: { limit: 100, usage: 1 }, imageCountUploading: { limit: -1, usage: 0 } };
  }
}

const ID = '5b1e0f5e-3d1c-4b6a-9f0e-2c3d4e5f6a7b';

describe('import routes', async () => {
  const root = await mkdtemp(join(tmpdir(), 'tstack-import-'));
  const records = new FakeRecords();
  const store = new FileStore({ directory: join(root, 'images') });
  const staging = new StagingArea({ directory: join(root, 'staging') });
  const jobs: Promise<void>[] = [];
  let tasks: TaskManager;
  let closeTasks: () => Promise<void>;
  let app: FastifyInstance;

  before(async () => {
    ({ tasks, close: closeTasks } = await inMemoryTaskManager());
    app = createHttpServer({ logger: createLogger({ service: 'image-test', level: 'silent' }), renderError: (e) => ({ body: e.message, contentType: 'text/plain' }) });
    installAuthHook(app, { cacheTtlMs: 0, isPublic: () => false, validator: { validate: async (t) => { if (t !== 'member') throw new Unauthorized(); return TOKEN; } } });
    registerImportRoutes(app, { policy: { authorize: () => undefined }, records, store, staging, imageSizeCap: 4096, tasks, log: app.log,
      runInBackground: (job) => { jobs.push(job().catch(() => undefined)); } });
    await app.ready();
  });
  beforeEach(async () => {
    records.images.clear();
    records.remaining = null;
    jobs.length = 0;
    await rm(join(root, 'images'), { recursive: true, force: true });
    await rm(join(root, 'staging'), { recursive: true, force: true });
  });
  after(async () => { await app.close(); await closeTasks(); await rm(root, { recursive: true, force: true }); });

  const headers = { 'x-auth-token': 'member' };
  const stage = (body: Buffer) => app.inject({ method: 'PUT', url: `/v2/images/${ID}/stage`, headers: { ...headers, 'content-type': 'application/octet-stream' }, payload: body });
  const importImage = (payload: unknown = { method: { name: 'glance-direct' } }) => app.inject({ method: 'POST', url: `/v2/images/${ID}/import`, headers, payload: payload as object });

  it('describes import methods, stores and usage', async () => {
    assert.deepEqual((await app.inject({ url: '/v2/info/import', headers })).json(),
      { 'import-methods': { description: 'Import methods available.', type: 'array', value: ['glance-direct'] } });
    assert.deepEqual((await app.inject({ url: '/v2/info/stores', headers })).json(), { stores: [{ id: 'file', description: 'Local filesystem store.', default: true }] });
    assert.deepEqual((await app.inject({ url: '/v2/info/usage', headers })).json(), { usage: {
      image_size_total: { limit: 1000, usage: 10 }, image_stage_total: { limit: -1, usage: 0 },
      image_count_total: { limit: 100, usage: 1 }, image_count_uploading: { limit: -1, usage: 0 } } });
    assert.equal((await app.inject({ url: '/v2/info/usage' })).statusCode, 401);
  });

  it('stages (204, uploading), imports (202) and ends active with hashes, staging emptied, task succeeded', async () => {
    records.add(ID);
    const data = Buffer.from('staged image data');
    assert.equal((await stage(data)).statusCode, 204);
    assert.equal(records.images.get(ID)!.status, 'uploading');
    assert.equal((await importImage()).statusCode, 202);
    await Promise.all(jobs);
    const image = records.images.get(ID)!;
    assert.equal(image.status, 'active');
    assert.equal(image.size, data.length);
    assert.equal(image.checksum, createHash('md5').update(data).digest('hex'));
    assert.equal(image.osHashValue, createHash('sha512').update(data).digest('hex'));
    assert.deepEqual(await readdir(join(root, 'staging')), []);
    const task = await tasks.get({ ...TOKEN, requestId: 'r', authToken: 't' }, image.properties.os_glance_import_task!);
    assert.equal(task.status, 'success');
    assert.equal(task.type, 'api_image_import');
  });

  it('refuses to import an image that was not staged (409) and an unknown method (400)', async () => {
    records.add(ID);
    assert.equal((await importImage()).statusCode, 409);
    assert.equal((await importImage({ method: { name: 'web-download' } })).statusCode, 400);
    assert.equal((await importImage({})).statusCode, 400);
  });

  it('refuses to stage twice (409) and data past the cap (413, back to queued, nothing staged)', async () => {
    records.add(ID);
    assert.equal((await stage(Buffer.alloc(4097))).statusCode, 413);
    assert.equal(records.images.get(ID)!.status, 'queued');
    assert.deepEqual(await readdir(join(root, 'staging')).catch(() => []), []);
    assert.equal((await stage(Buffer.alloc(10))).statusCode, 204);
    assert.equal((await stage(Buffer.alloc(10))).statusCode, 409);
  });

  it('puts the image back to queued and fails the task when the import exceeds the quota', async () => {
    records.add(ID);
    await stage(Buffer.alloc(100));
    records.remaining = 50;
    assert.equal((await importImage()).statusCode, 202);
    await Promise.all(jobs);
    const image = records.images.get(ID)!;
    assert.equal(image.status, 'queued');
    assert.match(image.properties.os_glance_failed_import ?? '', /too large/);
    assert.deepEqual(await readdir(join(root, 'images')).catch(() => []), []);
    assert.deepEqual(await readdir(join(root, 'staging')), []);
    const task = await tasks.get({ ...TOKEN, requestId: 'r', authToken: 't' }, image.properties.os_glance_import_task!);
    assert.equal(task.status, 'failure');
  });

  it('answers 404 for an unknown image', async () => {
    assert.equal((await stage(Buffer.alloc(1))).statusCode, 404);
    assert.equal((await importImage()).statusCode, 404);
  });
});
