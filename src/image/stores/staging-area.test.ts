import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { after, describe, it } from 'node:test';
import { StagingArea } from './staging-area.js';

describe('StagingArea', async () => {
  const directory = await mkdtemp(join(tmpdir(), 'tstack-staging-'));
  after(() => rm(directory, { recursive: true, force: true }));
  const staging = new StagingArea({ directory });
  const id = 'cccccccc-cccc-4ccc-8ccc-cccccccccccc';

  it('stages, reads back, reports the size and removes', async () => {
    assert.deepEqual(await staging.write(id, Readable.from([Buffer.from('staged!')])), { size: 7 });
    assert.equal(await staging.size(id), 7);
    assert.equal((await buffer(await staging.read(id))).toString(), 'staged!');
    await assert.rejects(staging.write(id, Readable.from([Buffer.from('again')])), (e: Error & { status?: number }) => e.status === 409);
    await staging.remove(id);
    await staging.remove(id);
    assert.equal(await staging.size(id), null);
    await assert.rejects(staging.read(id), (e: Error & { status?: number }) => e.status === 404);
  });

  it('keeps nothing when the limit is passed', async () => {
    await assert.rejects(staging.write(id, Readable.from([Buffer.alloc(10), Buffer.alloc(10)]), { maxBytes: 15 }),
      (e: Error & { status?: number }) => e.status === 413);
    assert.deepEqual(await readdir(directory), []);
  });

  it('leaves no file, not even an empty one, when the body fails before its first byte', async () => {
    // Request bodies already failed when the write begins (a malformed chunked encoding), many
    // at once: the old cleanup raced the creation of the file and lost now and then.
    const broken = (): Readable => {
      const body = new Readable({ read() {} });
      body.on('error', () => undefined);
      body.destroy(new Error('malformed chunked body'));
      return body;
    };
    for (let round = 0; round < 10; round++) {
      await Promise.all(Array.from({ length: 40 }, (_, i) =>
        assert.rejects(staging.write(`dddddddd-dddd-4ddd-8ddd-${String(i).padStart(12, '0')}`, broken()))));
    }
    // The old code unlinked the temporary file before the write stream had created it.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(await readdir(directory), []);
  });

  it('discards staged data with the partial writes of that image, and sweeps only stale partial writes', async () => {
    await staging.write(id, Readable.from([Buffer.from('staged')]));
    await writeFile(join(directory, `.${id}.0123456789ab.part`), 'half');
    const other = join(directory, '.eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee.0123456789ab.part');
    await writeFile(other, 'half');
    await staging.discard(id);
    assert.deepEqual(await readdir(directory), ['.eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee.0123456789ab.part']);
    assert.equal(await staging.sweep(new Date(Date.now() - 60_000)), 0);
    const hourAgo = new Date(Date.now() - 3600_000);
    await utimes(other, hourAgo, hourAgo);
    assert.equal(await staging.sweep(new Date(Date.now() - 60_000)), 1);
    assert.deepEqual(await readdir(directory), []);
  });
});
