import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { RequestContext } from '../../common/auth/index.js';
import { FileStore } from '../stores/index.js';
import { runImportTask } from './import-task.js';
import type { TaskImageRecords } from './import-task.js';
import type { TaskManager } from './manager.js';
import { inMemoryTaskManager } from './testing.js';

const context: RequestContext = { requestId: 'r', authToken: 't', userId: 'u', userName: 'u', userDomainId: 'default', userDomainName: 'Default',
  projectId: 'p1', roles: ['member'], isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 3600_000) };

class FakeRecords implements TaskImageRecords {
  readonly images = new Map<string, { status: string; properties: Record<string, unknown>; checksum?: string }>();
  async createImage(_c: RequestContext, properties: Readonly<Record<string, unknown>>) {
    const id = `00000000-0000-4000-8000-00000000000${this.images.size + 1}`;
    this.images.set(id, { status: 'queued', properties: { ...properties } });
    return { id, diskFormat: (properties.disk_format as string | undefined) ?? null };
  }
  async beginUpload(_c: RequestContext, id: string) { this.images.get(id)!.status = 'saving'; }
  async completeUpload(id: string, result: { checksum: string }) { Object.assign(this.images.get(id)!, { status: 'active', checksum: result.checksum }); }
  async failUpload(id: string) { this.images.get(id)!.status = 'queued'; }
}

let tasks: TaskManager;
let close: () => Promise<void>;
let root: string;
before(async () => {
  ({ tasks, close } = await inMemoryTaskManager());
  root = await mkdtemp(join(tmpdir(), 'tstack-import-task-'));
});
after(async () => { await close(); await rm(root, { recursive: true, force: true }); });

const input = (from: string) => ({ import_from: from, import_from_format: 'raw', image_properties: { name: 'fetched', disk_format: 'raw', container_format: 'bare' } });

it('fetches import_from into the store and succeeds with the image id', async () => {
  const records = new FakeRecords();
  const body = Buffer.from('remote image bytes');
  const fakeFetch = (async () => new Response(body)) as typeof fetch;
  const task = await tasks.create(context, { type: 'import', input: input('http://example.test/image.raw') });
  await runImportTask({ tasks, records, store: new FileStore({ directory: join(root, 'ok') }), imageSizeCap: 1024, fetch: fakeFetch }, context, task);
  const done = await tasks.get(context, task.id);
  assert.equal(done.status, 'success');
  const imageId = done.result?.image_id as string;
  assert.equal(records.images.get(imageId)?.status, 'active');
  assert.equal(records.images.get(imageId)?.checksum, createHash('md5').update(body).digest('hex'));
});

it('fails the task, requeues the image and keeps nothing when the data is too large', async () => {
  const records = new FakeRecords();
  const fakeFetch = (async () => new Response(Buffer.alloc(2048))) as typeof fetch;
  const task = await tasks.create(context, { type: 'import', input: input('https://example.test/big') });
  await runImportTask({ tasks, records, store: new FileStore({ directory: join(root, 'big') }), imageSizeCap: 1024, fetch: fakeFetch }, context, task);
  const done = await tasks.get(context, task.id);
  assert.equal(done.status, 'failure');
  assert.match(done.message, /too large/);
  assert.equal([...records.images.values()][0]?.status, 'queued');
  assert.deepEqual(await readdir(join(root, 'big')), []);
});

it('refuses sources other than http(s)', async () => {
  const records = new FakeRecords();
  const task = await tasks.create(context, { type: 'import', input: input('file:///etc/passwd') });
  await runImportTask({ tasks, records, store: new FileStore({ directory: join(root, 'file') }), imageSizeCap: 1024, fetch: fetch }, context, task);
  const done = await tasks.get(context, task.id);
  assert.equal(done.status, 'failure');
  assert.match(done.message, /Unsupported import_from scheme/);
});
