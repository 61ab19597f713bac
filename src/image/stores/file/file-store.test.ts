// FileStore against the ImageStore contract, plus what only a directory store can be asked.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { imageStoreContract } from '../store.contract.js';
import { FileStore } from './file-store.js';

describe('FileStore', async () => {
  const root = await mkdtemp(join(tmpdir(), 'tstack-file-store-'));
  after(() => rm(root, { recursive: true, force: true }));
  let counter = 0;

  imageStoreContract(async () => {
    const directory = join(root, `store-${counter++}`);
    const store = new FileStore({ directory });
    return { store, countObjects: async () => (await readdir(directory).catch(() => [])).length };
  });

  it('locates images by file URL inside its directory', async () => {
    const store = new FileStore({ directory: join(root, 'urls') });
    const { Readable } = await import('node:stream');
    const stored = await store.add('bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', Readable.from([Buffer.from('x')]));
    assert.equal(stored.location, `file://${join(root, 'urls', 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb')}`);
  });

  it('refuses locations outside its directory', async () => {
    const store = new FileStore({ directory: join(root, 'jail') });
    await assert.rejects(store.get('file:///etc/passwd'), (error: Error & { status?: number }) => error.status === 400);
    await assert.rejects(store.delete(`file://${join(root, 'jail', '..', 'other')}`), (error: Error & { status?: number }) => error.status === 400);
    await assert.rejects(store.get('http://example.com/x'), (error: Error & { status?: number }) => error.status === 400);
  });

  it('sweeps partial files a dead write left, but not fresh ones nor finished images; discard takes an image\'s own', async () => {
    const directory = join(root, 'sweep');
    const store = new FileStore({ directory });
    const { Readable } = await import('node:stream');
    await store.add('cdcdcdcd-cdcd-4dcd-8dcd-cdcdcdcdcdcd', Readable.from([Buffer.from('done')]));
    const old = join(directory, '.eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee.0123456789ab.part');
    const fresh = join(directory, '.ffffffff-ffff-4fff-8fff-ffffffffffff.0123456789ab.part');
    await writeFile(old, 'half');
    await writeFile(fresh, 'half');
    const hourAgo = new Date(Date.now() - 3600_000);
    await utimes(old, hourAgo, hourAgo);
    assert.equal(await store.sweep(new Date(Date.now() - 60_000)), 1);
    assert.deepEqual((await readdir(directory)).sort(), ['.ffffffff-ffff-4fff-8fff-ffffffffffff.0123456789ab.part', 'cdcdcdcd-cdcd-4dcd-8dcd-cdcdcdcdcdcd']);
    await store.discard('ffffffff-ffff-4fff-8fff-ffffffffffff');
    assert.deepEqual(await readdir(directory), ['cdcdcdcd-cdcd-4dcd-8dcd-cdcdcdcdcdcd']);
  });
});
