// The upload flows (PUT /file, PUT /stage, glance-direct import) and reconcile, on a real
// ImageManager (SQLite), FileStore and StagingArea.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { flowFailureOf } from '../../common/tasks/index.js';
import { inMemoryTaskManager } from '../tasks/testing.js';
import { ImageLimitExceeded, InvalidImageInput, InvalidImageStatusTransition } from './errors.js';
import type { ImageContext } from './manager.js';
import { uploadFixture } from './testing.js';
import type { UploadFixture, UploadFixtureOptions } from './testing.js';
import { UploadLeaseLost } from './upload.js';

const A: ImageContext = { projectId: 'project-a', roles: ['member'] };
const body = (text: string | Buffer) => Readable.from([Buffer.from(text)]);

/** A body that sends `chunks` chunks of `size` bytes, one every `everyMs`. */
function slowBody(chunks: number, size: number, everyMs: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent === chunks) { this.push(null); return; }
      sent += 1;
      setTimeout(() => this.push(Buffer.alloc(size, sent)), everyMs);
    },
  });
}

/**
 * A store whose write succeeds while, meanwhile, another image of the owner becomes active
 * with 100 bytes: the quota is used up between the upload's start and its completion.
 */
const quotaTakenWhileWriting: NonNullable<UploadFixtureOptions['wrapStore']> = (store, { backend }) => ({
  id: store.id, get: (l, r) => store.get(l, r), delete: (l) => store.delete(l), discard: (i) => store.discard(i), sweep: (d) => store.sweep(d),
  add: async (imageId, data, options) => {
    const stored = await store.add(imageId, data, options);
    const other = (await backend.listImages({ projectId: undefined, isAdmin: true }, { filters: {}, limit: 1000 })).images.find((image) => image.id !== imageId);
    if (other) await backend.updateImage(other.id, { status: 'active', size: 100 });
    return stored;
  },
});

async function newImage(fixture: UploadFixture, fields: { owner?: string } = {}): Promise<string> {
  const image = await fixture.images.createImage(fields.owner ? { projectId: fields.owner, roles: ['member'] } : A, { diskFormat: 'raw', containerFormat: 'bare' });
  return image.id;
}

async function statusOf(fixture: UploadFixture, id: string): Promise<string | undefined> {
  return (await fixture.backend.getImage(id))?.status;
}

describe('upload flow (PUT /file, tasks-API import)', () => {
  it('stores the data and activates the image with size, checksum and hashes, lease released', async () => {
    const f = await uploadFixture();
    try {
      const id = await newImage(f);
      const data = Buffer.from('image bytes');
      const image = await f.uploads.upload(A, id, body(data), { expectedSize: data.length, declaredSize: data.length });
      assert.equal(image.status, 'active');
      assert.equal(image.size, data.length);
      assert.equal(image.checksum, createHash('md5').update(data).digest('hex'));
      assert.equal(image.osHashValue, createHash('sha512').update(data).digest('hex'));
      assert.deepEqual(await f.storeFiles(), [id]);
      assert.deepEqual(await f.images.leasedUploads({ expiredBefore: new Date(Date.now() + 3600_000), host: 'test-host:9292' }), []);
    } finally {
      await f.close();
    }
  });

  it('when completing fails (image_size_total passed meanwhile): image back to queued, no file left', async () => {
    // Another upload of the same owner finishes while this one streams, using up the quota.
    const f = await uploadFixture({
      quotas: { imageSizeTotal: 150 },
      wrapStore: quotaTakenWhileWriting,
    });
    try {
      const id = await newImage(f);
      await newImage(f);
      const error = await f.uploads.upload(A, id, body(Buffer.alloc(100))).catch((e: unknown) => e);
      assert.ok(error instanceof ImageLimitExceeded, String(error));
      assert.equal(flowFailureOf(error)?.step, 'active');
      assert.equal(await statusOf(f, id), 'queued');
      assert.deepEqual(await f.storeFiles(), []);
    } finally {
      await f.close();
    }
  });

  it('when the store cannot delete the data: image still back to queued, the failure logged', async () => {
    const deleteFailed = new Error('disk on fire');
    const f = await uploadFixture({
      wrapStore: (store) => ({
        id: store.id, get: (l, r) => store.get(l, r), add: (i, d, o) => store.add(i, d, o), discard: (i) => store.discard(i), sweep: (d) => store.sweep(d),
        delete: async () => { throw deleteFailed; },
      }),
    });
    try {
      const id = await newImage(f);
      const error = await f.uploads.upload(A, id, body('12345'), { expectedSize: 6 }).catch((e: unknown) => e);
      assert.ok(error instanceof InvalidImageInput, String(error));
      assert.match(error.message, /size mismatch/);
      assert.equal(await statusOf(f, id), 'queued');
      assert.equal(flowFailureOf(error)?.state, 'revert-failed');
      const line = f.logged.find((l) => l.level === 'error');
      assert.equal(line?.details.err, deleteFailed);
      assert.equal(line?.details.step, 'stored');
    } finally {
      await f.close();
    }
  });

  it('refuses at once what Content-Length says is too large, and past the cap mid-stream; 409 when not queued', async () => {
    const f = await uploadFixture({ imageSizeCap: 10 });
    try {
      const id = await newImage(f);
      await assert.rejects(f.uploads.upload(A, id, body('x'), { declaredSize: 11 }), (e) => e instanceof ImageLimitExceeded && /11 bytes exceed the limit of 10/.test(e.message));
      await assert.rejects(f.uploads.upload(A, id, body(Buffer.alloc(11))), (e: Error & { status?: number }) => e.status === 413);
      assert.equal(await statusOf(f, id), 'queued');
      assert.deepEqual(await f.storeFiles(), []);
      await f.uploads.upload(A, id, body('ok'));
      await assert.rejects(f.uploads.upload(A, id, body('again')), InvalidImageStatusTransition);
    } finally {
      await f.close();
    }
  });

  it('keeps its lease alive while a slow upload streams, so reconcile leaves it alone', async () => {
    const f = await uploadFixture({ leaseMs: 60 });
    try {
      const id = await newImage(f);
      const upload = f.uploads.upload(A, id, slowBody(8, 1000, 40));
      for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 40));
        assert.deepEqual(await f.uploads.reconcile(), []);
      }
      assert.equal((await upload).status, 'active');
    } finally {
      await f.close();
    }
  });

  it('stops when its lease is taken over, and leaves the new holder alone', async () => {
    const f = await uploadFixture({ leaseMs: 60 });
    try {
      const id = await newImage(f);
      const upload = f.uploads.upload(A, id, slowBody(20, 1000, 20));
      await new Promise((r) => setTimeout(r, 50));
      const other = { host: 'other-host:9292', token: 'other', expiresAt: new Date(Date.now() + 60_000) };
      await f.backend.updateImage(id, { uploadLease: other });
      await assert.rejects(upload, UploadLeaseLost);
      assert.equal(await statusOf(f, id), 'saving', 'the new holder still owns the upload');
      assert.deepEqual(await f.storeFiles(), []);
    } finally {
      await f.close();
    }
  });
});

describe('stage flow (PUT /stage)', () => {
  it('stages: uploading with the data staged and no lease left', async () => {
    const f = await uploadFixture();
    try {
      const id = await newImage(f);
      await f.uploads.stage(A, id, body('staged'));
      assert.equal(await statusOf(f, id), 'uploading');
      assert.deepEqual(await f.stagingFiles(), [id]);
      assert.deepEqual(await f.images.leasedUploads({ expiredBefore: new Date(Date.now() + 3600_000), host: 'test-host:9292' }), []);
    } finally {
      await f.close();
    }
  });

  it('when staging fails and removing the staged data fails too: image still back to queued, the failure logged', async () => {
    const removeFailed = new Error('staging dir gone read-only');
    const f = await uploadFixture({
      imageSizeCap: 4,
      wrapStaging: (staging) => ({
        write: (i, d, o) => staging.write(i, d, o), read: (i) => staging.read(i), size: (i) => staging.size(i),
        remove: (i) => staging.remove(i), sweep: (d) => staging.sweep(d),
        discard: async () => { throw removeFailed; },
      }),
    });
    try {
      const id = await newImage(f);
      await assert.rejects(f.uploads.stage(A, id, body('too long')), (e: Error & { status?: number }) => e.status === 413);
      assert.equal(await statusOf(f, id), 'queued');
      assert.equal(f.logged.find((l) => l.level === 'error')?.details.err, removeFailed);
      await f.uploads.stage(A, id, body('ok'));
      assert.equal(await statusOf(f, id), 'uploading');
    } finally {
      await f.close();
    }
  });
});

describe('import flow (glance-direct)', () => {
  it('imports staged data: active, staging emptied, task succeeded', async () => {
    const { tasks, close } = await inMemoryTaskManager();
    const f = await uploadFixture({ tasks });
    try {
      const id = await newImage(f);
      await f.uploads.stage(A, id, body('staged data'));
      const context = { ...A, requestId: 'r', authToken: 't', userId: 'u', userName: 'u', userDomainId: 'default', userDomainName: 'Default', isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 3600_000), roles: ['member'] as const };
      const started = await f.uploads.startImport(A, id, { method: 'glance-direct', newTask: async () => (await tasks.create(context, { type: 'api_image_import', input: {} })).id });
      assert.equal(await statusOf(f, id), 'importing');
      assert.equal((await f.backend.getImage(id))?.properties.os_glance_import_task, started.taskId);
      const image = await started.run();
      assert.equal(image.status, 'active');
      assert.equal(image.size, 11);
      assert.deepEqual(await f.stagingFiles(), []);
      assert.equal((await tasks.get(context, started.taskId ?? '')).status, 'success');
    } finally {
      await f.close();
      await close();
    }
  });

  it('when completing fails with image_size_total exceeded: image back to queued, no file in the store, task failed', async () => {
    const { tasks, close } = await inMemoryTaskManager();
    const f = await uploadFixture({
      tasks,
      quotas: { imageSizeTotal: 150 },
      wrapStore: quotaTakenWhileWriting,
    });
    try {
      const id = await newImage(f);
      await newImage(f);
      await f.uploads.stage(A, id, body(Buffer.alloc(100)));
      const context = { ...A, requestId: 'r', authToken: 't', userId: 'u', userName: 'u', userDomainId: 'default', userDomainName: 'Default', isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 3600_000), roles: ['member'] as const };
      const started = await f.uploads.startImport(A, id, { method: 'glance-direct', newTask: async () => (await tasks.create(context, { type: 'api_image_import', input: {} })).id });
      await assert.rejects(started.run(), ImageLimitExceeded);
      const image = await f.backend.getImage(id);
      assert.equal(image?.status, 'queued');
      assert.equal(image?.properties.os_glance_failed_import, 'file');
      assert.deepEqual(await f.storeFiles(), []);
      assert.deepEqual(await f.stagingFiles(), []);
      const task = await tasks.get(context, started.taskId ?? '');
      assert.equal(task.status, 'failure');
      assert.match(task.message, /image_size_total/);
    } finally {
      await f.close();
      await close();
    }
  });

  it('fails the new task when the image moved on before the import could begin', async () => {
    const { tasks, close } = await inMemoryTaskManager();
    const f = await uploadFixture({ tasks });
    try {
      const id = await newImage(f);
      await f.uploads.stage(A, id, body('staged'));
      const context = { ...A, requestId: 'r', authToken: 't', userId: 'u', userName: 'u', userDomainId: 'default', userDomainName: 'Default', isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 3600_000), roles: ['member'] as const };
      let taskId = '';
      const racing = f.uploads.startImport(A, id, { method: 'glance-direct', newTask: async () => {
        // A concurrent request wins the race to the image.
        await f.backend.updateImage(id, { status: 'importing' });
        taskId = (await tasks.create(context, { type: 'api_image_import', input: {} })).id;
        return taskId;
      } });
      await assert.rejects(racing, InvalidImageStatusTransition);
      assert.equal((await tasks.get(context, taskId)).status, 'failure');
    } finally {
      await f.close();
      await close();
    }
  });

  it('refuses to import what was not staged (409)', async () => {
    const f = await uploadFixture();
    try {
      const id = await newImage(f);
      await assert.rejects(f.uploads.startImport(A, id, { method: 'glance-direct' }), (e: Error & { status?: number }) => e.status === 409 && /needs to be staged/.test(e.message));
    } finally {
      await f.close();
    }
  });
});

describe('reconcile', () => {
  /** Leaves an upload as a process killed mid-write would: status and lease set, a partial file. */
  async function interrupted(f: UploadFixture, status: 'saving' | 'uploading' | 'importing', host: string, expiresInMs: number): Promise<string> {
    const id = await newImage(f);
    const lease = { host, token: `token-${id}`, expiresAt: new Date(Date.now() + expiresInMs) };
    await f.backend.updateImage(id, { status, uploadLease: lease, ...(status === 'importing' ? { properties: { os_glance_import_task: 'missing-task' } } : {}) });
    await writeFile(join(status === 'uploading' ? f.stagingDirectory : f.storeDirectory, `.${id}.0123456789ab.part`), 'half');
    return id;
  }

  it('puts uploads whose lease expired back to queued with their partial data removed, and no others', async () => {
    const f = await uploadFixture();
    try {
      const expiredSaving = await interrupted(f, 'saving', 'host-b:9292', -1000);
      const expiredStaging = await interrupted(f, 'uploading', 'host-b:9292', -1000);
      const liveSaving = await interrupted(f, 'saving', 'host-b:9292', 60_000);
      const restored = await f.uploads.reconcile();
      assert.deepEqual(restored.sort(), [expiredSaving, expiredStaging].sort());
      assert.equal(await statusOf(f, expiredSaving), 'queued');
      assert.equal(await statusOf(f, expiredStaging), 'queued');
      assert.equal(await statusOf(f, liveSaving), 'saving');
      assert.ok(!(await f.storeFiles()).some((name) => name.includes(expiredSaving)));
      assert.ok(!(await f.stagingFiles()).some((name) => name.includes(expiredStaging)));
      assert.ok((await f.storeFiles()).some((name) => name.includes(liveSaving)), 'a live upload keeps its partial file');
      // The owner can upload again.
      assert.equal((await f.uploads.upload(A, expiredSaving, body('again'))).status, 'active');
    } finally {
      await f.close();
    }
  });

  it('at start, also restores the uploads this host held before it restarted, even with a lease left', async () => {
    const f = await uploadFixture({ host: 'host-a:9292' });
    try {
      const mine = await interrupted(f, 'saving', 'host-a:9292', 60_000);
      const importing = await interrupted(f, 'importing', 'host-a:9292', 60_000);
      const theirs = await interrupted(f, 'saving', 'host-b:9292', 60_000);
      assert.deepEqual(await f.uploads.reconcile(), []);
      assert.deepEqual((await f.uploads.reconcile({ atStart: true })).sort(), [mine, importing].sort());
      assert.equal(await statusOf(f, mine), 'queued');
      assert.equal((await f.backend.getImage(importing))?.properties.os_glance_failed_import, 'file');
      assert.equal(await statusOf(f, theirs), 'saving');
      const task = f.uploads.reconcileTask();
      assert.deepEqual([task.name, task.intervalSeconds], ['reconcile-interrupted-uploads', 60]);
      assert.deepEqual(await task.run(new AbortController().signal), []);
    } finally {
      await f.close();
    }
  });

  it('with two hosts on one database, touches only the uploads of a host that stopped renewing', async () => {
    const hostA = await uploadFixture({ host: 'host-a:9292', leaseMs: 60 });
    const hostB = await uploadFixture({ host: 'host-b:9292', leaseMs: 60, backend: hostA.backend });
    try {
      const live = await newImage(hostA);
      const upload = hostA.uploads.upload(A, live, slowBody(6, 1000, 40));
      // Host B restarts and reconciles while host A streams: A's upload is not B's, and A renews its lease.
      assert.deepEqual(await hostB.uploads.reconcile({ atStart: true }), []);
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, 40));
        assert.deepEqual(await hostB.uploads.reconcile(), []);
      }
      assert.equal((await upload).status, 'active');
      // Host A dies mid-upload (its lease is no longer renewed): B restores the image once the lease expires.
      const dead = await newImage(hostA);
      await hostA.backend.updateImage(dead, { status: 'saving', uploadLease: { host: 'host-a:9292', token: 'dead', expiresAt: new Date(Date.now() + 60) } });
      assert.deepEqual(await hostB.uploads.reconcile(), []);
      await new Promise((r) => setTimeout(r, 80));
      assert.deepEqual(await hostB.uploads.reconcile(), [dead]);
      assert.equal(await statusOf(hostA, dead), 'queued');
    } finally {
      await hostB.close();
      await hostA.close();
    }
  });
});
