// The ImageBackend contract, run by every backend's test against its own storage.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Image } from '../model.js';
import type { ImageBackend } from './backend.js';
import { ImageConflict } from './errors.js';

let counter = 0;

/** A queued image with fixed times, overridable field by field. */
export function sampleImage(fields: Partial<Image> = {}): Image {
  counter += 1;
  const at = new Date(Date.UTC(2026, 0, 1, 0, 0, counter % 60, 123));
  return {
    id: `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`, name: `image-${counter}`, status: 'queued',
    visibility: 'shared', protected: false, osHidden: false, owner: 'p1', diskFormat: 'qcow2', containerFormat: 'bare',
    minDisk: 0, minRam: 0, size: null, virtualSize: null, checksum: null, osHashAlgo: null, osHashValue: null,
    tags: [], properties: {}, storeLocation: null, createdAt: at, updatedAt: at, ...fields,
  };
}

export function imageBackendContract(make: () => Promise<ImageBackend>): void {
  it('creates and reads an image with tags and properties', async () => {
    const backend = await make();
    const image = sampleImage({ tags: ['a', 'b'], properties: { os_distro: 'cirros', 'hw:x': 'ü' }, size: 5_000_000_000, protected: true });
    await backend.createImage(image);
    assert.deepEqual(await backend.getImage(image.id), image);
    assert.equal(await backend.getImage('nope'), undefined);
  });

  it('refuses a duplicate id with ImageConflict', async () => {
    const backend = await make();
    const image = sampleImage();
    await backend.createImage(image);
    await assert.rejects(backend.createImage(image), ImageConflict);
  });

  it('updates fields, replaces tags and properties, and compares status when asked', async () => {
    const backend = await make();
    const image = await backend.createImage(sampleImage({ tags: ['x'], properties: { a: '1' } }));
    const later = new Date(Date.UTC(2026, 1, 1));
    const updated = await backend.updateImage(image.id, { name: null, tags: ['y', 'z'], properties: { b: '2' }, updatedAt: later });
    assert.deepEqual(updated, { ...image, name: null, tags: ['y', 'z'], properties: { b: '2' }, updatedAt: later });
    assert.equal(await backend.updateImage(image.id, { status: 'active' }, ['saving']), undefined);
    assert.equal((await backend.updateImage(image.id, { status: 'saving' }, ['queued']))?.status, 'saving');
    assert.equal((await backend.updateImage(image.id, { tags: [] }, ['saving']))?.tags.length, 0);
    assert.equal(await backend.updateImage('missing', { name: 'x' }), undefined);
  });

  it('lists images visible to a project, and counts usage', async () => {
    const backend = await make();
    const own = await backend.createImage(sampleImage({ owner: 'p1', visibility: 'private', size: 10 }));
    const pub = await backend.createImage(sampleImage({ owner: 'p2', visibility: 'public', size: 7 }));
    const shared = await backend.createImage(sampleImage({ owner: 'p2', visibility: 'shared' }));
    const hidden = await backend.createImage(sampleImage({ owner: 'p2', visibility: 'private' }));
    await backend.createMember({ imageId: shared.id, memberId: 'p1', status: 'pending', createdAt: own.createdAt, updatedAt: own.createdAt });
    const ids = (await backend.listImages({ visibleTo: 'p1' })).map((i) => i.id).sort();
    assert.deepEqual(ids, [own.id, pub.id, shared.id].sort());
    assert.equal((await backend.listImages({})).length, 4);
    assert.deepEqual(await backend.usage('p2'), { count: 3, size: 7 });
    assert.deepEqual(await backend.usage('nobody'), { count: 0, size: 0 });
    await backend.deleteImage(hidden.id);
    await backend.deleteImage(hidden.id);
    assert.equal(await backend.getImage(hidden.id), undefined);
  });

  it('stores members and deletes them with their image', async () => {
    const backend = await make();
    const image = await backend.createImage(sampleImage());
    const at = new Date(Date.UTC(2026, 2, 1));
    await backend.createMember({ imageId: image.id, memberId: 'p9', status: 'pending', createdAt: at, updatedAt: at });
    await assert.rejects(backend.createMember({ imageId: image.id, memberId: 'p9', status: 'pending', createdAt: at, updatedAt: at }), ImageConflict);
    const later = new Date(Date.UTC(2026, 2, 2));
    assert.deepEqual(await backend.updateMember(image.id, 'p9', 'accepted', later), { imageId: image.id, memberId: 'p9', status: 'accepted', createdAt: at, updatedAt: later });
    assert.equal((await backend.listMembers(image.id)).length, 1);
    assert.equal((await backend.listMemberships('p9')).length, 1);
    assert.equal(await backend.getMember(image.id, 'other'), undefined);
    assert.equal(await backend.deleteMember(image.id, 'p9'), true);
    assert.equal(await backend.deleteMember(image.id, 'p9'), false);
    await backend.createMember({ imageId: image.id, memberId: 'p8', status: 'pending', createdAt: at, updatedAt: at });
    await backend.deleteImage(image.id);
    assert.deepEqual(await backend.listMemberships('p8'), []);
  });

  it('never gives a deleted id to a new image, whoever asks', async () => {
    const backend = await make();
    const image = await backend.createImage(sampleImage({ owner: 'p1' }));
    await backend.deleteImage(image.id);
    await assert.rejects(backend.createImage(sampleImage({ id: image.id, owner: 'p1' })), ImageConflict);
    await assert.rejects(backend.createImage(sampleImage({ id: image.id, owner: 'p2' })), ImageConflict);
    assert.equal(await backend.getImage(image.id), undefined);
    assert.equal((await backend.listImages({})).some((i) => i.id === image.id), false, 'tombstones are not listed');
  });

  it('keeps upload leases: renewed only by their upload, listed once expired or by host', async () => {
    const backend = await make();
    const image = await backend.createImage(sampleImage());
    const t0 = new Date(Date.UTC(2026, 5, 1, 12, 0, 0));
    const later = (s: number) => new Date(t0.getTime() + s * 1000);
    const lease = { host: 'host-a:9292', token: 'tok-1', expiresAt: later(60) };
    assert.equal((await backend.updateImage(image.id, { status: 'saving', uploadLease: lease }, ['queued']))?.status, 'saving');
    assert.deepEqual(await backend.listLeasedUploads({ expiredBefore: later(30) }), []);
    assert.equal(await backend.renewUploadLease(image.id, 'tok-1', later(120)), true);
    assert.equal(await backend.renewUploadLease(image.id, 'stale', later(500)), false);
    assert.deepEqual(await backend.listLeasedUploads({ expiredBefore: later(90) }), []);
    const expired = await backend.listLeasedUploads({ expiredBefore: later(121) });
    assert.deepEqual(expired.map((u) => [u.id, u.status, u.lease.host, u.lease.token, u.lease.expiresAt.getTime()]),
      [[image.id, 'saving', 'host-a:9292', 'tok-1', later(120).getTime()]]);
    assert.deepEqual((await backend.listLeasedUploads({ expiredBefore: t0, host: 'host-a:9292' })).map((u) => u.id), [image.id]);
    assert.deepEqual(await backend.listLeasedUploads({ expiredBefore: t0, host: 'host-b:9292' }), []);
    assert.equal(await backend.updateImage(image.id, { status: 'active', uploadLease: null }, ['saving'], 'stale'), undefined);
    assert.equal((await backend.updateImage(image.id, { status: 'active', uploadLease: null }, ['saving'], 'tok-1'))?.status, 'active');
    assert.deepEqual(await backend.listLeasedUploads({ expiredBefore: later(10_000), host: 'host-a:9292' }), []);
    assert.equal(await backend.renewUploadLease(image.id, 'tok-1', later(200)), false);
  });
}
