// The ImageStore contract: one suite every store runs (FileStore here; an object store later).

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { it } from 'node:test';
import type { ImageStore } from './store.js';

export interface StoreUnderTest {
  readonly store: ImageStore;
  /** How many objects (finished or partial) the store's backing holds, to prove cleanup. */
  countObjects(): Promise<number>;
}

const MIB = 1024 * 1024;

/** A deterministic stream of `chunks` MiB, generated chunk by chunk, hashed as it goes by. */
function generated(chunks: number, onChunk: (chunk: Buffer) => void = () => {}): Readable {
  return Readable.from((function* () {
    for (let i = 0; i < chunks; i++) {
      const chunk = Buffer.alloc(MIB, i % 251);
      chunk.writeUInt32BE(i, 0);
      onChunk(chunk);
      yield chunk;
    }
  })());
}

/** A stream that emits `bytes` and then fails, as a dropped client connection does. */
function failingAfter(bytes: Buffer): Readable {
  return new Readable({
    read() {
      this.push(bytes);
      setImmediate(() => this.destroy(new Error('client went away')));
    },
  });
}

/** qcow2 header: magic, version 3, virtual size at offset 24. */
export function qcow2Header(virtualSize: bigint, length = 512): Buffer {
  const header = Buffer.alloc(length);
  Buffer.from([0x51, 0x46, 0x49, 0xfb]).copy(header, 0);
  header.writeUInt32BE(3, 4);
  header.writeBigUInt64BE(virtualSize, 24);
  return header;
}

function md5(data: Buffer): string { return createHash('md5').update(data).digest('hex'); }
function sha512(data: Buffer): string { return createHash('sha512').update(data).digest('hex'); }

export function imageStoreContract(open: () => Promise<StoreUnderTest>): void {
  it('stores data and gives it back byte for byte, with md5, sha512 and size', async () => {
    const { store } = await open();
    const data = Buffer.from('hello image data');
    const stored = await store.add('11111111-1111-4111-8111-111111111111', Readable.from([data]));
    assert.equal(stored.size, data.length);
    assert.equal(stored.checksum, md5(data));
    assert.equal(stored.osHashAlgo, 'sha512');
    assert.equal(stored.osHashValue, sha512(data));
    assert.deepEqual(await buffer(await store.get(stored.location)), data);
  });

  it('streams a 50 MiB image and hashes it as node:crypto does', async () => {
    const { store } = await open();
    const expectedMd5 = createHash('md5');
    const expectedSha = createHash('sha512');
    const stored = await store.add('22222222-2222-4222-8222-222222222222', generated(50, (chunk) => {
      expectedMd5.update(chunk);
      expectedSha.update(chunk);
    }), { diskFormat: 'raw' });
    assert.equal(stored.size, 50 * MIB);
    assert.equal(stored.virtualSize, 50 * MIB);
    assert.equal(stored.checksum, expectedMd5.digest('hex'));
    assert.equal(stored.osHashValue, expectedSha.digest('hex'));
    const readBack = createHash('sha512');
    for await (const chunk of await store.get(stored.location)) readBack.update(chunk as Buffer);
    assert.equal(readBack.digest('hex'), stored.osHashValue);
  });

  it('aborts with 413 past maxBytes and keeps nothing', async () => {
    const subject = await open();
    const before = await subject.countObjects();
    await assert.rejects(subject.store.add('33333333-3333-4333-8333-333333333333', generated(5), { maxBytes: 2 * MIB + 1 }),
      (error: Error & { status?: number }) => error.status === 413);
    assert.equal(await subject.countObjects(), before);
  });

  it('accepts data of exactly maxBytes', async () => {
    const { store } = await open();
    const stored = await store.add('34343434-3434-4343-8343-343434343434', generated(2), { maxBytes: 2 * MIB });
    assert.equal(stored.size, 2 * MIB);
  });

  it('removes partial data when the source stream fails', async () => {
    const subject = await open();
    const before = await subject.countObjects();
    await assert.rejects(subject.store.add('44444444-4444-4444-8444-444444444444', failingAfter(Buffer.alloc(64 * 1024, 1))), /client went away/);
    assert.equal(await subject.countObjects(), before);
  });

  it('removes partial data when the write is aborted', async () => {
    const subject = await open();
    const before = await subject.countObjects();
    const controller = new AbortController();
    const endless = new Readable({ read() { this.push(Buffer.alloc(64 * 1024)); } });
    setTimeout(() => controller.abort(), 20);
    await assert.rejects(subject.store.add('55555555-5555-4555-8555-555555555555', endless, { signal: controller.signal }));
    assert.equal(await subject.countObjects(), before);
  });

  it('refuses a second add for the same image with 409', async () => {
    const { store } = await open();
    await store.add('66666666-6666-4666-8666-666666666666', Readable.from([Buffer.from('a')]));
    await assert.rejects(store.add('66666666-6666-4666-8666-666666666666', Readable.from([Buffer.from('b')])),
      (error: Error & { status?: number }) => error.status === 409);
  });

  it('reads an inclusive byte range', async () => {
    const { store } = await open();
    const data = Buffer.from('0123456789');
    const stored = await store.add('77777777-7777-4777-8777-777777777777', Readable.from([data]));
    assert.equal((await buffer(await store.get(stored.location, { start: 2, end: 5 }))).toString(), '2345');
    assert.equal((await buffer(await store.get(stored.location, { start: 9, end: 9 }))).toString(), '9');
  });

  it('reads the qcow2 virtual size from the header', async () => {
    const { store } = await open();
    const stored = await store.add('88888888-8888-4888-8888-888888888888',
      Readable.from([qcow2Header(10n * 1024n ** 3n).subarray(0, 10), qcow2Header(10n * 1024n ** 3n).subarray(10)]), { diskFormat: 'qcow2' });
    assert.equal(stored.virtualSize, 10 * 1024 ** 3);
    assert.equal(stored.size, 512);
  });

  it('has no virtual size for data of an unknown format', async () => {
    const { store } = await open();
    const stored = await store.add('99999999-9999-4999-8999-999999999999', Readable.from([Buffer.alloc(100)]), { diskFormat: 'vmdk' });
    assert.equal(stored.virtualSize, null);
  });

  it('deletes, and deleting again or get afterwards behave', async () => {
    const { store } = await open();
    const stored = await store.add('aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', Readable.from([Buffer.from('x')]));
    await store.delete(stored.location);
    await store.delete(stored.location);
    await assert.rejects(store.get(stored.location), (error: Error & { status?: number }) => error.status === 404);
  });

  it('discards what an unrecorded add left, and resolves when there is nothing', async () => {
    const subject = await open();
    const before = await subject.countObjects();
    const stored = await subject.store.add('abababab-abab-4bab-8bab-abababababab', Readable.from([Buffer.from('orphan')]));
    await subject.store.discard('abababab-abab-4bab-8bab-abababababab');
    await subject.store.discard('abababab-abab-4bab-8bab-abababababab');
    await assert.rejects(subject.store.get(stored.location), (error: Error & { status?: number }) => error.status === 404);
    assert.equal(await subject.countObjects(), before);
    assert.equal(await subject.store.sweep(new Date()), 0);
  });
}
