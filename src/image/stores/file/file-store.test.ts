// FileStore against the ImageStore contract, plus what only a directory store can be asked.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
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
});
