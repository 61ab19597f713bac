// ImageManager rules: defaults, quotas, visibility, members, tags and the status machine.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { testImageManager } from '../api/testing.js';
import type { ImageContext } from './manager.js';
import {
  ImageConflict, ImageForbidden, ImageLimitExceeded, ImageNotFound, InvalidImageInput, InvalidImageStatusTransition,
  MemberNotFound, ReadOnlyAttribute, TagNotFound,
} from './errors.js';

const ADMIN: ImageContext = { projectId: 'admin-project', roles: ['admin'] };
const A: ImageContext = { projectId: 'project-a', roles: ['member'] };
const B: ImageContext = { projectId: 'project-b', roles: ['member'] };
const UPLOAD = { location: 'file:///x', size: 100, checksum: 'c', osHashAlgo: 'sha512', osHashValue: 'h', virtualSize: 200 };

describe('ImageManager', () => {
  it('creates queued, shared images owned by the caller', async () => {
    const images = await testImageManager();
    const image = await images.createImage(A, { name: 'cirros', properties: { os_distro: 'cirros' }, tags: ['b', 'a', 'b'] });
    assert.match(image.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(image.status, 'queued');
    assert.equal(image.visibility, 'shared');
    assert.equal(image.owner, 'project-a');
    assert.deepEqual(image.tags, ['a', 'b']);
    assert.deepEqual(image.properties, { os_distro: 'cirros' });
    await assert.rejects(images.createImage(A, { id: image.id }), ImageConflict);
    await assert.rejects(images.createImage(A, { id: 'not-a-uuid' }), InvalidImageInput);
    await assert.rejects(images.createImage(A, { owner: 'project-b' }), ImageForbidden);
    assert.equal((await images.createImage(ADMIN, { owner: 'project-b' })).owner, 'project-b');
  });

  it('enforces the image count quota (413)', async () => {
    const images = await testImageManager({ imageCountTotal: 2 });
    await images.createImage(A, {});
    await images.createImage(A, {});
    await assert.rejects(images.createImage(A, {}), ImageLimitExceeded);
    await images.createImage(B, {});
  });

  it('lets one of two racing creates take the last image, and refuses the other with 413', async () => {
    const images = await testImageManager({ imageCountTotal: 2 });
    await images.createImage(A, {});
    const results = await Promise.allSettled([images.createImage(A, {}), images.createImage(A, {})]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const refused = results.find((r) => r.status === 'rejected');
    assert.ok(refused?.status === 'rejected' && refused.reason instanceof ImageLimitExceeded);
    assert.match(String(refused.reason.message), /image_count_total is over limit of 2 due to current usage 2 and delta 1/);
    assert.deepEqual((await images.quotaUsage('project-a')).imageCountTotal, { limit: 2, usage: 2 });
  });

  it('hides private and unshared images from other projects', async () => {
    const images = await testImageManager();
    const priv = await images.createImage(A, { visibility: 'private' });
    const shared = await images.createImage(A, {});
    const pub = await images.createImage(ADMIN, { visibility: 'public' });
    await assert.rejects(images.getImage(B, priv.id), ImageNotFound);
    await assert.rejects(images.getImage(B, shared.id), ImageNotFound);
    assert.equal((await images.getImage(B, pub.id)).id, pub.id);
    assert.equal((await images.getImage(ADMIN, priv.id)).id, priv.id);
    await images.addMember(A, shared.id, 'project-b');
    assert.equal((await images.getImage(B, shared.id)).id, shared.id);
    const listed = async (ctx: ImageContext, filters = {}) => (await images.listImages(ctx, { filters, limit: 25 })).images.map((i) => i.id).sort();
    assert.deepEqual(await listed(B), [pub.id]);
    assert.deepEqual(await listed(B, { memberStatus: 'pending', visibility: 'shared' }), [shared.id]);
    await images.updateMember(B, shared.id, 'project-b', 'accepted');
    assert.deepEqual(await listed(B), [pub.id, shared.id].sort());
    assert.equal((await listed(ADMIN)).length, 3);
  });

  it('runs the upload state machine and the size quota', async () => {
    const images = await testImageManager({ imageSizeTotal: 150 });
    const bare = await images.createImage(A, {});
    await assert.rejects(images.beginUpload(A, bare.id), InvalidImageInput);
    const image = await images.createImage(A, { diskFormat: 'raw', containerFormat: 'bare' });
    assert.equal((await images.beginUpload(A, image.id)).status, 'saving');
    await assert.rejects(images.beginUpload(A, image.id), (e) => e instanceof InvalidImageStatusTransition && /from saving to saving/.test(e.message));
    assert.equal((await images.failUpload(image.id))?.status, 'queued');
    await images.beginUpload(A, image.id);
    const active = await images.completeUpload(image.id, UPLOAD);
    assert.deepEqual([active.status, active.size, active.virtualSize, active.storeLocation], ['active', 100, 200, 'file:///x']);
    assert.equal(await images.imageLocation(image.id), 'file:///x');
    await assert.rejects(images.beginUpload(A, image.id), /Image status transition from active to saving is not allowed/);
    const second = await images.createImage(A, { diskFormat: 'raw', containerFormat: 'bare' });
    await images.beginUpload(A, second.id);
    await assert.rejects(images.completeUpload(second.id, UPLOAD), ImageLimitExceeded);
    assert.equal((await images.failUpload(second.id, { kill: true }))?.status, 'killed');
  });

  it('stages and imports: queued → uploading → importing → active', async () => {
    const images = await testImageManager();
    const image = await images.createImage(A, { diskFormat: 'qcow2', containerFormat: 'bare' });
    assert.equal((await images.markUploading(A, image.id)).status, 'uploading');
    assert.equal((await images.beginImport(A, image.id)).status, 'importing');
    assert.equal((await images.completeUpload(image.id, UPLOAD)).status, 'active');
  });

  it('deactivates and reactivates only active images', async () => {
    const images = await testImageManager();
    const image = await images.createImage(A, { diskFormat: 'raw', containerFormat: 'bare' });
    await assert.rejects(images.deactivate(ADMIN, image.id), ImageForbidden);
    await images.beginUpload(A, image.id);
    await images.completeUpload(image.id, UPLOAD);
    assert.equal((await images.deactivate(ADMIN, image.id)).status, 'deactivated');
    assert.equal((await images.deactivate(ADMIN, image.id)).status, 'deactivated');
    assert.equal((await images.reactivate(ADMIN, image.id)).status, 'active');
  });

  it('refuses deleting protected images and removes data of deleted ones', async () => {
    const images = await testImageManager();
    const image = await images.createImage(A, { protected: true });
    await assert.rejects(images.deleteImage(A, image.id), ImageForbidden);
    await images.updateImage(A, image.id, { protected: false });
    await images.deleteImage(A, image.id);
    await assert.rejects(images.getImage(A, image.id), ImageNotFound);
    await assert.rejects(images.updateImage(A, image.id, { owner: 'x' }), ImageNotFound);
  });

  it('keeps owner read-only for non-admins', async () => {
    const images = await testImageManager();
    const image = await images.createImage(A, {});
    await assert.rejects(images.updateImage(A, image.id, { owner: 'project-b' }), ReadOnlyAttribute);
    assert.equal((await images.updateImage(ADMIN, image.id, { owner: 'project-b' })).owner, 'project-b');
  });

  it('manages tags', async () => {
    const images = await testImageManager({ imageTagQuota: 2 });
    const image = await images.createImage(A, {});
    await images.addTag(A, image.id, 'x');
    await images.addTag(A, image.id, 'x');
    await images.addTag(A, image.id, 'y');
    await assert.rejects(images.addTag(A, image.id, 'z'), ImageLimitExceeded);
    await images.deleteTag(A, image.id, 'x');
    await assert.rejects(images.deleteTag(A, image.id, 'x'), TagNotFound);
    assert.deepEqual((await images.getImage(A, image.id)).tags, ['y']);
  });

  it('lets only owners share, only members answer, only owners delete members', async () => {
    const images = await testImageManager();
    const priv = await images.createImage(A, { visibility: 'private' });
    await assert.rejects(images.addMember(A, priv.id, 'project-b'), (e) => e instanceof ImageForbidden && e.message === 'Only shared images have members.');
    const image = await images.createImage(A, {});
    await images.addMember(A, image.id, 'project-b');
    await assert.rejects(images.addMember(A, image.id, 'project-b'), ImageConflict);
    await assert.rejects(images.updateMember(A, image.id, 'project-b', 'accepted'), ImageForbidden);
    assert.equal((await images.updateMember(B, image.id, 'project-b', 'rejected')).status, 'rejected');
    await assert.rejects(images.addMember(B, image.id, 'project-c'), ImageForbidden);
    await assert.rejects(images.deleteMember(B, image.id, 'project-b'), ImageForbidden);
    assert.equal((await images.listMembers(B, image.id)).length, 1);
    await assert.rejects(images.getMember(A, image.id, 'project-z'), MemberNotFound);
    await images.deleteMember(A, image.id, 'project-b');
    await assert.rejects(images.getImage(B, image.id), ImageNotFound);
  });
});

describe('ImageManager, Glance domain details', () => {
  it('locks the formats once data is in, and clears sizes on a restored upload', async () => {
    const images = await testImageManager();
    const image = await images.createImage(A, { diskFormat: 'raw' });
    await assert.rejects(images.beginUpload(A, image.id), /^InvalidImageInput: Property container_format must be set prior to saving data\.$/);
    await images.updateImage(A, image.id, { containerFormat: 'bare' });
    await images.beginUpload(A, image.id);
    await images.completeUpload(image.id, UPLOAD);
    await assert.rejects(images.updateImage(A, image.id, { diskFormat: 'qcow2' }), /disk_format can be only replaced for a queued image/);
    assert.equal((await images.updateImage(A, image.id, { diskFormat: 'raw', name: 'same' })).name, 'same');
    const other = await images.createImage(A, { diskFormat: 'raw', containerFormat: 'bare' });
    await images.markUploading(A, other.id);
    const restored = await images.failUpload(other.id);
    assert.deepEqual([restored?.status, restored?.size], ['queued', null]);
    assert.equal((await images.failUpload(other.id))?.status, 'queued');
  });

  it('refuses member lists of images that are not shared', async () => {
    const images = await testImageManager();
    const image = await images.createImage(A, { visibility: 'private' });
    await assert.rejects(images.listMembers(A, image.id), ImageForbidden);
  });
});

describe('ImageManager, import bookkeeping', () => {
  it('records the import task and failed stores, and reports usage', async () => {
    const images = await testImageManager({ imageSizeTotal: 1000 });
    const image = await images.createImage(A, { diskFormat: 'raw', containerFormat: 'bare' });
    await images.markUploading(A, image.id);
    const importing = await images.beginImport(A, image.id, { taskId: 'task-1' });
    assert.equal(importing.properties.os_glance_import_task, 'task-1');
    const failed = await images.failImport(image.id, 'file');
    assert.deepEqual([failed?.status, failed?.properties.os_glance_failed_import], ['queued', 'file']);
    assert.equal((await images.updateImage(A, image.id, { properties: { ...failed?.properties, x: '1' } })).properties.x, '1');
    await images.beginImport(A, image.id);
    await images.completeUpload(image.id, UPLOAD);
    assert.equal(await images.remainingStorage('project-a'), 900);
    const usage = await images.quotaUsage('project-a');
    assert.deepEqual(usage.imageSizeTotal, { limit: 1000, usage: 100 });
    assert.deepEqual(usage.imageCountTotal, { limit: 100, usage: 1 });
  });
});
