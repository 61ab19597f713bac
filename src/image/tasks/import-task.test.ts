// The tasks-API `import` task against the real image manager and upload flow (SQLite, FileStore).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, it } from 'node:test';
import type { RequestContext } from '../../common/auth/index.js';
import { uploadFixture } from '../images/testing.js';
import type { UploadFixture, UploadFixtureOptions } from '../images/testing.js';
import { runImportTask } from './import-task.js';
import type { TaskImageRecords } from './import-task.js';
import type { TaskManager } from './manager.js';
import { inMemoryTaskManager } from './testing.js';

const context: RequestContext = { requestId: 'r', authToken: 't', userId: 'u', userName: 'u', userDomainId: 'default', userDomainName: 'Default',
  projectId: 'p1', roles: ['member'], isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 3600_000) };

/** The image side of the task: create a raw/bare image, upload through the flow. */
function records(f: UploadFixture): TaskImageRecords {
  return {
    createImage: async (c, properties) => {
      const image = await f.images.createImage(c, { name: String(properties.name), diskFormat: 'raw', containerFormat: 'bare' });
      return { id: image.id, diskFormat: image.diskFormat };
    },
    upload: (c, id, data) => f.uploads.upload(c, id, data),
  };
}

let tasks: TaskManager;
let close: () => Promise<void>;
const fixtures: UploadFixture[] = [];
before(async () => { ({ tasks, close } = await inMemoryTaskManager()); });
after(async () => { await close(); for (const f of fixtures) await f.close(); });

async function fixture(options: UploadFixtureOptions = {}): Promise<UploadFixture> {
  const f = await uploadFixture(options);
  fixtures.push(f);
  return f;
}

const input = (from: string) => ({ import_from: from, import_from_format: 'raw', image_properties: { name: 'fetched', disk_format: 'raw', container_format: 'bare' } });

async function run(f: UploadFixture, from: string, fakeFetch: typeof fetch) {
  const task = await tasks.create(context, { type: 'import', input: input(from) });
  await runImportTask({ tasks, records: records(f), fetch: fakeFetch, logger: f.logger }, context, task);
  const done = await tasks.get(context, task.id);
  const image = (await f.backend.listImages({ projectId: undefined, isAdmin: true }, { filters: {}, limit: 1000 })).images.find((i) => i.name === 'fetched');
  return { done, image };
}

it('fetches import_from into the store and succeeds with the image id', async () => {
  const f = await fixture();
  const body = Buffer.from('remote image bytes');
  const { done, image } = await run(f, 'http://example.test/image.raw', (async () => new Response(body)) as typeof fetch);
  assert.equal(done.status, 'success');
  assert.equal(done.result?.image_id, image?.id);
  assert.equal(image?.status, 'active');
  assert.equal(image?.checksum, createHash('md5').update(body).digest('hex'));
});

it('fails the task, requeues the image and keeps nothing when the data is too large', async () => {
  const f = await fixture({ imageSizeCap: 1024 });
  const { done, image } = await run(f, 'https://example.test/big', (async () => new Response(Buffer.alloc(2048))) as typeof fetch);
  assert.equal(done.status, 'failure');
  assert.match(done.message, /too large/);
  assert.equal(image?.status, 'queued');
  assert.deepEqual(await f.storeFiles(), []);
});

it('fails the task and requeues the image when image_size_total is passed, even when the store cannot delete the data', async () => {
  const deleteFailed = new Error('store delete failed');
  // Another image of the project becomes active while the data streams, using up the quota:
  // completing the upload fails, which used to leave the image saving and its file stored.
  const f = await fixture({
    quotas: { imageSizeTotal: 150 },
    wrapStore: (store, { backend }) => ({
      id: store.id, get: (l, r) => store.get(l, r), discard: (i) => store.discard(i), sweep: (d) => store.sweep(d),
      delete: async () => { throw deleteFailed; },
      add: async (imageId, data, options) => {
        const stored = await store.add(imageId, data, options);
        const other = (await backend.listImages({ projectId: undefined, isAdmin: true }, { filters: {}, limit: 1000 })).images.find((i) => i.id !== imageId);
        if (other) await backend.updateImage(other.id, { status: 'active', size: 100 });
        return stored;
      },
    }),
  });
  await f.images.createImage(context, { name: 'other', diskFormat: 'raw', containerFormat: 'bare' });
  const { done, image } = await run(f, 'http://example.test/image.raw', (async () => new Response(Buffer.alloc(100))) as typeof fetch);
  assert.equal(done.status, 'failure');
  assert.match(done.message, /image_size_total/);
  assert.equal(image?.status, 'queued');
  assert.equal(f.logged.find((l) => l.level === 'error')?.details.err, deleteFailed);
});

it('refuses sources other than http(s)', async () => {
  const f = await fixture();
  const { done } = await run(f, 'file:///etc/passwd', fetch);
  assert.equal(done.status, 'failure');
  assert.match(done.message, /Unsupported import_from scheme/);
});
