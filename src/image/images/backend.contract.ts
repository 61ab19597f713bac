// The ImageBackend contract, run by every backend's test against its own storage.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Image } from '../model.js';
import type { ImageBackend } from './backend.js';
import { QuotaExceeded } from '../../common/quota/index.js';
import { ImageConflict, InvalidImageInput } from './errors.js';
import type { ImageListCaller, ImageListQuery } from './list-images.js';

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
    const p1 = { projectId: 'p1', isAdmin: false };
    const ids = (await backend.listImages(p1, { filters: { memberStatus: 'all' }, limit: 10 })).images.map((i) => i.id).sort();
    assert.deepEqual(ids, [own.id, pub.id, shared.id].sort());
    const accepted = (await backend.listImages(p1, { filters: {}, limit: 10 })).images.map((i) => i.id).sort();
    assert.deepEqual(accepted, [own.id, pub.id].sort());
    assert.equal((await backend.listImages({ projectId: undefined, isAdmin: true }, { filters: {}, limit: 10 })).images.length, 4);
    const usage = await backend.quotaUsage('p2', { image_count_total: 5 });
    assert.deepEqual(usage, [
      { resource: 'image_count_total', limit: 5, inUse: 3 }, { resource: 'image_size_total', limit: -1, inUse: 7 },
      { resource: 'image_count_uploading', limit: -1, inUse: 0 },
    ]);
    assert.deepEqual((await backend.quotaUsage('nobody', {})).map((q) => q.inUse), [0, 0, 0]);
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
    assert.equal((await backend.listImages({ projectId: undefined, isAdmin: true }, { filters: {}, limit: 1000 })).images.some((i) => i.id === image.id), false, 'tombstones are not listed');
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
    assert.equal(await backend.updateImage(image.id, { status: 'active', uploadLease: null }, ['saving'], undefined, 'stale'), undefined);
    assert.equal((await backend.updateImage(image.id, { status: 'active', uploadLease: null }, ['saving'], undefined, 'tok-1'))?.status, 'active');
    assert.deepEqual(await backend.listLeasedUploads({ expiredBefore: later(10_000), host: 'host-a:9292' }), []);
    assert.equal(await backend.renewUploadLease(image.id, 'tok-1', later(200)), false);
  });

  it('lets exactly one of several racing creates take the last image of the count quota', async () => {
    const backend = await make();
    const limits = { image_count_total: 2 };
    await backend.createImage(sampleImage({ owner: 'q1' }), limits);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => backend.createImage(sampleImage({ owner: 'q1' }), limits)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof QuotaExceeded, String(r.reason));
    assert.equal((await backend.quotaUsage('q1', limits))[0]?.inUse, 2);
  });

  it('checks the size quota in the same transaction as the update that records the size', async () => {
    const backend = await make();
    const ids = [];
    for (let i = 0; i < 4; i += 1) ids.push((await backend.createImage(sampleImage({ owner: 'q2', status: 'saving' }))).id);
    const quota = { deltas: { image_size_total: 40 }, defaults: { image_size_total: 100 } };
    const results = await Promise.allSettled(ids.map((id) => backend.updateImage(id, { status: 'active', size: 40 }, ['saving'], quota)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    const usage = await backend.quotaUsage('q2', quota.defaults);
    assert.deepEqual(usage.map((q) => [q.resource, q.inUse]), [['image_count_total', 4], ['image_size_total', 80], ['image_count_uploading', 2]]);
    assert.equal(await backend.updateImage('missing', { size: 1 }, undefined, quota), undefined);
  });

  it('lists in SQL: visibility with member status, tags, properties, sizes, times, hidden images', async () => {
    const backend = await make();
    const at = (second: number) => new Date(Date.UTC(2026, 5, 1, 0, 0, second));
    const add = (name: string, fields: Partial<Image>) => backend.createImage(sampleImage({ name, createdAt: at(name.length), updatedAt: at(name.length), ...fields }));
    const own = await add('own', { owner: 'p1', visibility: 'private', tags: ['a', 'b'], size: 10, properties: { os_distro: 'x' } });
    await add('hidden', { owner: 'p1', visibility: 'private', osHidden: true });
    await add('public', { owner: 'p2', visibility: 'public', tags: ['a'], size: 20, properties: { os_distro: 'y' } });
    await add('community', { owner: 'p2', visibility: 'community' });
    const accepted = await add('accepted', { owner: 'p2', visibility: 'shared', size: 30 });
    const pending = await add('pending', { owner: 'p2', visibility: 'shared' });
    const secret = await add('unshared', { owner: 'p2', visibility: 'shared' });
    for (const [image, status] of [[accepted, 'accepted'], [pending, 'pending']] as const) {
      await backend.createMember({ imageId: image.id, memberId: 'p1', status, createdAt: at(0), updatedAt: at(0) });
    }
    const p1 = { projectId: 'p1', isAdmin: false };
    const names = async (filters: ImageListQuery['filters'], caller: ImageListCaller = p1) =>
      (await backend.listImages(caller, { filters, limit: 100, sort: [{ key: 'name', dir: 'asc' }] })).images.map((i) => i.name);
    assert.deepEqual(await names({}), ['accepted', 'own', 'public']);
    assert.deepEqual(await names({ memberStatus: 'pending' }), ['own', 'pending', 'public']);
    assert.deepEqual(await names({ memberStatus: 'all', visibility: 'shared' }), ['accepted', 'pending']);
    assert.deepEqual(await names({ visibility: 'community' }), ['community']);
    assert.deepEqual(await names({ visibility: 'all' }), ['accepted', 'community', 'own', 'public']);
    assert.deepEqual(await names({ osHidden: true }), ['hidden']);
    assert.deepEqual(await names({ tags: { all: ['a', 'b'] } }), ['own']);
    assert.deepEqual(await names({ tags: { any: ['a'], notAny: ['b'] } }), ['public']);
    assert.deepEqual(await names({ properties: { os_distro: 'y' } }), ['public']);
    assert.deepEqual(await names({ sizeMin: 15, sizeMax: 30 }), ['accepted', 'public']);
    assert.deepEqual(await names({ createdAt: [{ op: 'gte', value: at(6) }] }), ['accepted', 'public']);
    assert.deepEqual(await names({ owner: ['p2'], name: ['public', 'accepted', 'unshared'] }), ['accepted', 'public']);
    assert.deepEqual(await names({}, { projectId: undefined, isAdmin: false }), ['public']);
    assert.deepEqual(await names({}, { projectId: 'admin', isAdmin: true }), ['accepted', 'own', 'pending', 'public', 'unshared']);
    await assert.rejects(backend.listImages(p1, { filters: {}, limit: 5, marker: secret.id }), InvalidImageInput);
    // A visible image is a valid marker even when the filters leave it out.
    assert.deepEqual((await backend.listImages(p1, { filters: { name: ['public'] }, limit: 5, marker: own.id, sort: [{ key: 'name', dir: 'asc' }] }))
      .images.map((i) => i.name), ['public']);
  });

  it('pages images by several keys without skipping or repeating while images are added', async () => {
    const backend = await make();
    const sizes = [null, 5, 5, 7, null, 1];
    for (let i = 0; i < 24; i += 1) {
      await backend.createImage(sampleImage({ owner: 'p1', name: i % 5 === 0 ? null : `n${i % 3}`, size: sizes[i % sizes.length] ?? null }));
    }
    const caller = { projectId: 'p1', isAdmin: false };
    const sort = [{ key: 'name', dir: 'asc' }, { key: 'size', dir: 'desc' }] as const;
    const all = (await backend.listImages(caller, { filters: {}, limit: 1000, sort })).images;
    const seen: string[] = [];
    let marker: string | undefined;
    for (let page = 0; page < 50; page += 1) {
      const result = await backend.listImages(caller, { filters: {}, limit: 5, sort, ...(marker ? { marker } : {}) });
      seen.push(...result.images.map((i) => i.id));
      if (!result.nextMarker) break;
      marker = result.nextMarker;
      await backend.createImage(sampleImage({ owner: 'p1', name: page % 2 ? 'n0' : null, size: 6 }));
    }
    assert.equal(new Set(seen).size, seen.length, 'an image came twice');
    for (const image of all) assert.ok(seen.includes(image.id), `${image.id} was skipped`);
    const names = all.map((i) => i.name ?? '');
    assert.deepEqual(names, [...names].sort(), 'NULL names first, then ascending');
  });
}
