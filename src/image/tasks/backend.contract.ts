// The TaskBackend contract, run by every task backend.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Task } from '../model.js';
import type { TaskBackend } from './backend.js';

function task(id: string, fields: Partial<Task> = {}): Task {
  const at = new Date('2026-11-22T16:00:00.000Z');
  return { id, type: 'import', status: 'pending', owner: 'p1', input: { import_from: 'http://x/y' }, result: null, message: '',
    imageId: null, requestId: 'req-1', userId: 'u1', expiresAt: null, createdAt: at, updatedAt: at, ...fields };
}

export function taskBackendContract(open: () => Promise<TaskBackend>): void {
  it('creates and reads back a task', async () => {
    const backend = await open();
    const created = task('00000000-0000-4000-8000-000000000001', { imageId: 'img-1' });
    await backend.create(created);
    assert.deepEqual(await backend.get(created.id), created);
  });

  it('throws TaskNotFound for an unknown id, on get and update', async () => {
    const backend = await open();
    await assert.rejects(backend.get('missing'), { name: 'TaskNotFound' });
    await assert.rejects(backend.update('missing', { updatedAt: new Date() }), { name: 'TaskNotFound' });
  });

  it('updates status, result, message and expiry', async () => {
    const backend = await open();
    await backend.create(task('00000000-0000-4000-8000-000000000002'));
    const updatedAt = new Date('2026-11-22T17:00:00.000Z');
    const expiresAt = new Date('2026-11-24T17:00:00.000Z');
    const updated = await backend.update('00000000-0000-4000-8000-000000000002', { status: 'success', result: { image_id: 'i' }, message: 'done', expiresAt, updatedAt });
    assert.equal(updated.status, 'success');
    assert.deepEqual(updated.result, { image_id: 'i' });
    assert.equal(updated.message, 'done');
    assert.deepEqual(updated.expiresAt, expiresAt);
    assert.deepEqual(updated.updatedAt, updatedAt);
  });

  it('lists by owner, status, image, newest first, with marker and limit', async () => {
    const backend = await open();
    for (let i = 1; i <= 4; i++) {
      await backend.create(task(`10000000-0000-4000-8000-00000000000${i}`, {
        createdAt: new Date(Date.UTC(2026, 10, 22, 16, i)), owner: i === 4 ? 'p2' : 'p1', status: i === 3 ? 'failure' : 'pending', imageId: i === 2 ? 'img' : null,
      }));
    }
    const ids = (tasks: Task[]) => tasks.map((t) => t.id.slice(-1));
    assert.deepEqual(ids(await backend.list({})), ['4', '3', '2', '1']);
    assert.deepEqual(ids(await backend.list({ owner: 'p1', sortDir: 'asc' })), ['1', '2', '3']);
    assert.deepEqual(ids(await backend.list({ status: 'failure' })), ['3']);
    assert.deepEqual(ids(await backend.list({ imageId: 'img' })), ['2']);
    assert.deepEqual(ids(await backend.list({ marker: '10000000-0000-4000-8000-000000000003', limit: 1 })), ['2']);
    await assert.rejects(backend.list({ marker: 'nope' }), { name: 'TaskNotFound' });
  });

  it('deletes expired tasks only', async () => {
    const backend = await open();
    await backend.create(task('20000000-0000-4000-8000-000000000001', { expiresAt: new Date('2026-01-01T00:00:00Z') }));
    await backend.create(task('20000000-0000-4000-8000-000000000002', { expiresAt: new Date('2027-01-01T00:00:00Z') }));
    await backend.create(task('20000000-0000-4000-8000-000000000003'));
    assert.equal(await backend.deleteExpired(new Date('2026-06-01T00:00:00Z')), 1);
    assert.equal((await backend.list({})).length, 2);
  });
}
