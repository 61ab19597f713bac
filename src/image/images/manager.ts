// The image registry's rules (glance/domain/__init__.py, glance/api/authorization.py,
// glance/quota/): the status machine, visibility, ownership, tags, members and quotas.
// Policy checks stay in the API layer; this class decides what the data allows.

import { randomUUID } from 'node:crypto';
import { QuotaExceeded } from '../../common/quota/index.js';
import type { QuotaLimits } from '../../common/quota/index.js';
import type { ContainerFormat, DiskFormat, Image, ImageStatus, ImageVisibility, Member, MemberStatus } from '../model.js';
import type { ImageBackend, ImageChanges, ImageQuotaCheck, LeasedUpload, UploadLease } from './backend.js';
import {
  ImageForbidden, ImageLimitExceeded, ImageNotFound, InvalidImageInput, InvalidImageStatusTransition, MemberNotFound,
  ReadOnlyAttribute, TagNotFound,
} from './errors.js';
import type { ImageListQuery, ImagePage } from './list-images.js';

/** Who is calling; a RequestContext from common/auth fits. */
export interface ImageContext {
  readonly projectId?: string | undefined;
  readonly roles: readonly string[];
}

export interface ImageQuotas {
  /** Default number of images a project may own (413 beyond it); a stored per-project limit wins. */
  readonly imageCountTotal: number;
  /** Default bytes of image data a project may store (413 when an upload would pass it); a stored per-project limit wins. */
  readonly imageSizeTotal: number;
  /** Members per image; Glance's image_member_quota, default 128. */
  readonly imageMemberQuota?: number;
  /** Tags per image; Glance's image_tag_quota, default 128. */
  readonly imageTagQuota?: number;
}

export interface ImageManagerDeps {
  readonly backend: ImageBackend;
  readonly quotas: ImageQuotas;
  readonly clock?: () => Date;
  readonly newId?: () => string;
  /** Glance's `context.is_admin`: the `context_is_admin` policy rule (Authorizer.isAdmin), so policy.yaml decides it. */
  readonly isAdmin: (context: ImageContext) => boolean;
  /**
   * Removes stored data once an image's record is deleted. Must not reject: the record is gone
   * either way, so it reports its own failures (an orphaned file) rather than failing the delete.
   */
  readonly deleteImageData?: (location: string) => Promise<void>;
}

/** Attributes a create may set; absent ones take Glance's defaults. */
export interface ImageCreate {
  readonly id?: string;
  readonly name?: string | null;
  readonly visibility?: ImageVisibility;
  readonly protected?: boolean;
  readonly osHidden?: boolean;
  readonly owner?: string;
  readonly diskFormat?: DiskFormat | null;
  readonly containerFormat?: ContainerFormat | null;
  readonly minDisk?: number;
  readonly minRam?: number;
  readonly tags?: readonly string[];
  readonly properties?: Readonly<Record<string, string>>;
}

/** Attributes an update may change; `tags` and `properties` replace the whole set. */
export type ImageUpdate = Omit<ImageCreate, 'id'>;

/** What the store reports once image data is written. */
export interface UploadResult {
  readonly location: string;
  readonly size: number;
  readonly checksum: string;
  readonly osHashAlgo: string;
  readonly osHashValue: string;
  readonly virtualSize?: number | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TAG_LENGTH = 255;
const DEFAULT_MEMBER_QUOTA = 128;
const DEFAULT_TAG_QUOTA = 128;

/** Runs `work`, turning the quota engine's QuotaExceeded into Glance's 413 with its wording. */
async function withImageLimits<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof QuotaExceeded) throw new ImageLimitExceeded(error.message, { cause: error });
    throw error;
  }
}

/** Glance refuses data for an image whose formats are unset (domain Image.status setter). */
function requireFormats(image: Image): void {
  const missing = [image.diskFormat === null ? 'disk_format' : '', image.containerFormat === null ? 'container_format' : ''].filter(Boolean);
  if (missing.length === 1) throw new InvalidImageInput(`Property ${missing[0]} must be set prior to saving data.`);
  if (missing.length > 1) throw new InvalidImageInput(`Properties ${missing.join(', ')} must be set prior to saving data.`);
}

export class ImageManager {
  private readonly clock: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: ImageManagerDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  /** Whether the caller counts as an image admin (sees and changes every image). */
  isAdmin(context: ImageContext): boolean {
    return this.deps.isAdmin(context);
  }

  /**
   * Creates a queued image owned by `input.owner` or the caller's project.
   * @throws ImageForbidden when a non-admin names another owner.
   * @throws ImageLimitExceeded (413) when the owner already has imageCountTotal images.
   * @throws ImageConflict when the id is taken; InvalidImageInput for a malformed id or tag.
   */
  async createImage(context: ImageContext, input: ImageCreate): Promise<Image> {
    const owner = input.owner ?? context.projectId;
    if (owner === undefined) throw new InvalidImageInput('An image needs an owner: use a project-scoped token or set owner.');
    if (owner !== context.projectId && !this.isAdmin(context)) {
      throw new ImageForbidden(`You are not permitted to create images owned by '${owner}'.`);
    }
    if (input.id !== undefined && !UUID.test(input.id)) throw new InvalidImageInput(`Invalid value '${input.id}' for 'id': not a UUID.`);
    this.checkTags(input.tags ?? []);
    const now = this.clock();
    return withImageLimits(() => this.deps.backend.createImage({
      id: input.id?.toLowerCase() ?? this.newId(),
      name: input.name ?? null,
      status: 'queued',
      visibility: input.visibility ?? 'shared',
      protected: input.protected ?? false,
      osHidden: input.osHidden ?? false,
      owner,
      diskFormat: input.diskFormat ?? null,
      containerFormat: input.containerFormat ?? null,
      minDisk: input.minDisk ?? 0,
      minRam: input.minRam ?? 0,
      size: null, virtualSize: null, checksum: null, osHashAlgo: null, osHashValue: null,
      tags: [...new Set(input.tags ?? [])].sort(),
      properties: { ...input.properties },
      storeLocation: null,
      createdAt: now,
      updatedAt: now,
    }, this.quotaDefaults()));
  }

  /**
   * The image, if the caller may see it: admins see all; others their own, public and
   * community images, and shared images they are a member of (any member status).
   * @throws ImageNotFound otherwise, so invisible images cannot be told from missing ones.
   */
  async getImage(context: ImageContext, id: string): Promise<Image> {
    const image = await this.deps.backend.getImage(id);
    if (!image || !(await this.canSee(context, image))) throw new ImageNotFound(id);
    return image;
  }

  /** One page of the images the caller may see, filtered and sorted (see ImageListQuery). */
  async listImages(context: ImageContext, query: ImageListQuery): Promise<ImagePage> {
    return this.deps.backend.listImages({ projectId: context.projectId, isAdmin: this.isAdmin(context) }, query);
  }

  /**
   * Changes attributes of a visible image (the API checks modify_image first).
   * @throws ReadOnlyAttribute when a non-admin changes the owner.
   */
  async updateImage(context: ImageContext, id: string, update: ImageUpdate): Promise<Image> {
    const image = await this.getImage(context, id);
    if (update.owner !== undefined && update.owner !== image.owner && !this.isAdmin(context)) throw new ReadOnlyAttribute('owner');
    if (update.tags) this.checkTags(update.tags);
    for (const [attribute, before, after] of [['disk_format', image.diskFormat, update.diskFormat], ['container_format', image.containerFormat, update.containerFormat]] as const) {
      if (after !== undefined && after !== before && image.status !== 'queued' && image.status !== 'importing') {
        throw new ImageForbidden(`Attribute ${attribute} can be only replaced for a queued image.`);
      }
    }
    const changes: ImageChanges = {
      ...update,
      ...(update.tags ? { tags: [...new Set(update.tags)].sort() } : {}),
      updatedAt: this.clock(),
    };
    return this.write(id, changes);
  }

  /**
   * Deletes a visible image and its data (the API checks delete_image first).
   * @throws ImageForbidden when the image is protected.
   */
  async deleteImage(context: ImageContext, id: string): Promise<void> {
    const image = await this.getImage(context, id);
    if (image.protected) throw new ImageForbidden(`Image ${id} is protected and cannot be deleted.`);
    await this.deps.backend.deleteImage(id);
    if (image.storeLocation && this.deps.deleteImageData) {
      await this.deps.deleteImageData(image.storeLocation);
    }
  }

  /** active → deactivated; a no-op when already deactivated. @throws ImageForbidden from other states. */
  async deactivate(context: ImageContext, id: string): Promise<Image> {
    return this.toggleActive(context, id, 'active', 'deactivated', 'deactivate');
  }

  /** deactivated → active; a no-op when already active. @throws ImageForbidden from other states. */
  async reactivate(context: ImageContext, id: string): Promise<Image> {
    return this.toggleActive(context, id, 'deactivated', 'active', 'reactivate');
  }

  /** Adds a tag (idempotent). @throws InvalidImageInput over 255 characters; ImageLimitExceeded past the tag quota. */
  async addTag(context: ImageContext, id: string, tag: string): Promise<Image> {
    const image = await this.getImage(context, id);
    if (image.tags.includes(tag)) return image;
    this.checkTags([...image.tags, tag]);
    return this.write(id, { tags: [...image.tags, tag].sort(), updatedAt: this.clock() });
  }

  /** @throws TagNotFound when the image does not carry `tag`. */
  async deleteTag(context: ImageContext, id: string, tag: string): Promise<void> {
    const image = await this.getImage(context, id);
    if (!image.tags.includes(tag)) throw new TagNotFound(tag);
    await this.write(id, { tags: image.tags.filter((t) => t !== tag), updatedAt: this.clock() });
  }

  // Members (glance/api/v2/image_members.py).

  /**
   * Shares a visible image with project `memberId` (status pending).
   * @throws ImageForbidden unless the caller owns the image (or is admin) and it is 'shared'.
   * @throws ImageConflict when already a member; ImageLimitExceeded past the member quota.
   */
  async addMember(context: ImageContext, imageId: string, memberId: string): Promise<Member> {
    const image = await this.getImage(context, imageId);
    this.requireOwner(context, image, 'You are not permitted to create image members for the image.');
    if (image.visibility !== 'shared') throw new ImageForbidden('Only shared images have members.');
    const members = await this.deps.backend.listMembers(imageId);
    if (members.length >= (this.deps.quotas.imageMemberQuota ?? DEFAULT_MEMBER_QUOTA)) {
      throw new ImageLimitExceeded('The limit has been exceeded on the number of allowed image members for this image.');
    }
    const now = this.clock();
    return this.deps.backend.createMember({ imageId, memberId, status: 'pending', createdAt: now, updatedAt: now });
  }

  /**
   * All members for the owner (or admin); a member project sees only its own membership.
   * @throws ImageForbidden when the image is not 'shared' (Glance: only shared images have members).
   */
  async listMembers(context: ImageContext, imageId: string): Promise<Member[]> {
    const image = await this.getImage(context, imageId);
    if (image.visibility !== 'shared') throw new ImageForbidden('Only shared images have members.');
    const members = await this.deps.backend.listMembers(imageId);
    if (this.owns(context, image)) return members;
    return members.filter((m) => m.memberId === context.projectId);
  }

  /** @throws MemberNotFound unless it exists and the caller owns the image or is that member. */
  async getMember(context: ImageContext, imageId: string, memberId: string): Promise<Member> {
    const image = await this.getImage(context, imageId);
    const member = await this.deps.backend.getMember(imageId, memberId);
    if (!member || !(this.owns(context, image) || memberId === context.projectId)) throw new MemberNotFound(imageId, memberId);
    return member;
  }

  /**
   * Accepts, rejects or resets a membership; only the member project may.
   * @throws ImageForbidden for anyone else (the owner included); MemberNotFound when there is none.
   */
  async updateMember(context: ImageContext, imageId: string, memberId: string, status: MemberStatus): Promise<Member> {
    const member = await this.getMember(context, imageId, memberId);
    // Glance's modify_member: the member project itself, or an administrator.
    if (memberId !== context.projectId && !this.isAdmin(context)) throw new ImageForbidden("You are not permitted to modify 'status' on this image member.");
    return (await this.deps.backend.updateMember(imageId, memberId, status, this.clock())) ?? member;
  }

  /** @throws ImageForbidden unless the caller owns the image (or is admin); MemberNotFound when there is none. */
  async deleteMember(context: ImageContext, imageId: string, memberId: string): Promise<void> {
    const image = await this.getImage(context, imageId);
    if (!this.owns(context, image)) {
      if (!(await this.deps.backend.getMember(imageId, memberId)) || memberId !== context.projectId) throw new MemberNotFound(imageId, memberId);
      throw new ImageForbidden('You are not permitted to delete image members for the image.');
    }
    if (!(await this.deps.backend.deleteMember(imageId, memberId))) throw new MemberNotFound(imageId, memberId);
  }

  // Data state changes, driven by the upload flows (upload.ts). Each writer holds an upload
  // lease (host, token, expiry) from its begin* call until the image leaves saving, uploading
  // or importing; a writer passes its token so only it can finish what it began.

  /**
   * queued → saving before data is written (PUT /file, the tasks-API import).
   * @throws InvalidImageInput when disk_format or container_format is unset (Glance's 400).
   * @throws InvalidImageStatusTransition (409) when the image is not queued.
   */
  async beginUpload(context: ImageContext, id: string, options: { readonly lease?: UploadLease } = {}): Promise<Image> {
    const image = await this.getImage(context, id);
    requireFormats(image);
    return this.transition(image, ['queued'], 'saving', options.lease ? { uploadLease: options.lease } : {});
  }

  /** queued → uploading when data is staged (PUT /stage). @throws InvalidImageStatusTransition otherwise. */
  async markUploading(context: ImageContext, id: string, options: { readonly lease?: UploadLease } = {}): Promise<Image> {
    return this.transition(await this.getImage(context, id), ['queued'], 'uploading', options.lease ? { uploadLease: options.lease } : {});
  }

  /**
   * Ends a successful stage: the image stays uploading, waiting for an import, and its lease is
   * dropped (staged data at rest is not an interrupted upload). False when `token` lost the lease.
   */
  async finishStage(id: string, token: string): Promise<boolean> {
    return (await this.deps.backend.updateImage(id, { uploadLease: null, updatedAt: this.clock() }, ['uploading'], undefined, token)) !== undefined;
  }

  /**
   * queued or uploading → importing when an import starts; with `taskId`, records it as the
   * image's `os_glance_import_task` property, as Glance does.
   * @throws InvalidImageStatusTransition otherwise.
   */
  async beginImport(context: ImageContext, id: string, options: { readonly taskId?: string | null; readonly lease?: UploadLease } = {}): Promise<Image> {
    const image = await this.getImage(context, id);
    requireFormats(image);
    const changes: ImageChanges = {
      ...(options.taskId ? { properties: { ...image.properties, os_glance_import_task: options.taskId } } : {}),
      ...(options.lease ? { uploadLease: options.lease } : {}),
    };
    return this.transition(image, ['queued', 'uploading'], 'importing', changes);
  }

  /**
   * importing → queued after a failed import, listing `failedStores` in the image's
   * `os_glance_failed_import` property. A no-op for an image in another state or gone, or
   * (with `token`) whose lease another upload holds.
   */
  async failImport(id: string, failedStores: string, options: { readonly token?: string } = {}): Promise<Image | undefined> {
    const image = await this.deps.backend.getImage(id);
    if (!image) return undefined;
    const changes: ImageChanges = {
      status: 'queued', size: null, virtualSize: null, updatedAt: this.clock(), uploadLease: null,
      properties: { ...image.properties, os_glance_failed_import: failedStores },
    };
    return (await this.deps.backend.updateImage(id, changes, ['importing'], undefined, options.token)) ?? this.deps.backend.getImage(id);
  }

  /** Extends the lease of upload `token` on image `id` to `expiresAt`; false when it no longer holds it. */
  async renewUploadLease(id: string, token: string, expiresAt: Date): Promise<boolean> {
    return this.deps.backend.renewUploadLease(id, token, expiresAt);
  }

  /** Uploads whose lease expired before `now`, or (with `host`) whose lease that host holds. */
  async leasedUploads(filter: { readonly expiredBefore: Date; readonly host?: string }): Promise<LeasedUpload[]> {
    return this.deps.backend.listLeasedUploads(filter);
  }

  /** Bytes `owner` may still store under its image_size_total (0 when already over; Infinity when unlimited). */
  async remainingStorage(owner: string): Promise<number> {
    const line = (await this.deps.backend.quotaUsage(owner, this.quotaDefaults())).find((q) => q.resource === 'image_size_total');
    if (!line || line.limit < 0) return Infinity;
    return Math.max(0, line.limit - line.inUse);
  }

  /** `owner`'s usage against its quotas, for /v2/info/usage (limit -1: unlimited). */
  async quotaUsage(owner: string): Promise<Record<'imageCountTotal' | 'imageSizeTotal' | 'imageCountUploading', { limit: number; usage: number }>> {
    const lines = await this.deps.backend.quotaUsage(owner, this.quotaDefaults());
    const line = (resource: string) => {
      const found = lines.find((q) => q.resource === resource);
      return { limit: found?.limit ?? -1, usage: found?.inUse ?? 0 };
    };
    return { imageCountTotal: line('image_count_total'), imageSizeTotal: line('image_size_total'), imageCountUploading: line('image_count_uploading') };
  }

  /**
   * saving or importing → active, recording where and what the data is, and dropping the lease.
   * With `token`, only while that upload holds the lease.
   * @throws ImageLimitExceeded (413) when the owner's images would pass imageSizeTotal; the
   * image is left as it was, so the caller deletes the data and calls failUpload.
   * @throws InvalidImageStatusTransition when the image is in another state or its lease was
   * taken over (deleted meanwhile: ImageNotFound).
   */
  async completeUpload(id: string, data: UploadResult, options: { readonly token?: string } = {}): Promise<Image> {
    const image = await this.deps.backend.getImage(id);
    if (!image) throw new ImageNotFound(id);
    const quota = { deltas: { image_size_total: data.size - (image.size ?? 0) }, defaults: this.quotaDefaults() };
    return withImageLimits(() => this.transition(image, ['saving', 'importing'], 'active', {
      storeLocation: data.location, size: data.size, checksum: data.checksum, osHashAlgo: data.osHashAlgo,
      osHashValue: data.osHashValue, virtualSize: data.virtualSize ?? null, uploadLease: null,
    }, quota, options.token));
  }

  /**
   * After a failed or interrupted upload, stage or import: back to queued (modern Glance's
   * `_restore`, which also clears the sizes), or killed with `kill`, and the lease dropped. A
   * no-op for an image in any other state or gone, or (with `token`) whose lease another
   * upload holds.
   */
  async failUpload(id: string, options: { readonly kill?: boolean; readonly token?: string } = {}): Promise<Image | undefined> {
    const changes: ImageChanges = options.kill
      ? { status: 'killed', updatedAt: this.clock(), uploadLease: null }
      : { status: 'queued', size: null, virtualSize: null, updatedAt: this.clock(), uploadLease: null };
    const updated = await this.deps.backend.updateImage(id, changes, ['saving', 'uploading', 'importing'], undefined, options.token);
    return updated ?? this.deps.backend.getImage(id);
  }

  /** Where the store keeps the image's data, or null before upload. @throws ImageNotFound. */
  async imageLocation(id: string): Promise<string | null> {
    const image = await this.deps.backend.getImage(id);
    if (!image) throw new ImageNotFound(id);
    return image.storeLocation;
  }

  // Helpers.

  private owns(context: ImageContext, image: Image): boolean {
    return this.isAdmin(context) || (context.projectId !== undefined && image.owner === context.projectId);
  }

  private requireOwner(context: ImageContext, image: Image, message: string): void {
    if (!this.owns(context, image)) throw new ImageForbidden(message);
  }

  private async canSee(context: ImageContext, image: Image): Promise<boolean> {
    if (this.owns(context, image) || image.visibility === 'public' || image.visibility === 'community') return true;
    if (image.visibility !== 'shared' || context.projectId === undefined) return false;
    return (await this.deps.backend.getMember(image.id, context.projectId)) !== undefined;
  }

  private checkTags(tags: readonly string[]): void {
    const long = tags.find((tag) => tag.length > MAX_TAG_LENGTH);
    if (long !== undefined) throw new InvalidImageInput(`Tag '${long}' is longer than ${MAX_TAG_LENGTH} characters.`);
    if (new Set(tags).size > (this.deps.quotas.imageTagQuota ?? DEFAULT_TAG_QUOTA)) {
      throw new ImageLimitExceeded('The limit has been exceeded on the number of allowed image tags for this image.');
    }
  }

  private async write(id: string, changes: ImageChanges): Promise<Image> {
    const updated = await this.deps.backend.updateImage(id, changes);
    if (!updated) throw new ImageNotFound(id);
    return updated;
  }

  /** The configured limits, which the backend applies unless the project has its own. */
  private quotaDefaults(): QuotaLimits {
    return { image_count_total: this.deps.quotas.imageCountTotal, image_size_total: this.deps.quotas.imageSizeTotal };
  }

  private async transition(
    image: Image, from: readonly ImageStatus[], to: ImageStatus, changes: ImageChanges = {}, quota?: ImageQuotaCheck, token?: string,
  ): Promise<Image> {
    if (!from.includes(image.status)) throw new InvalidImageStatusTransition(image.status, to);
    const updated = await this.deps.backend.updateImage(image.id, { ...changes, status: to, updatedAt: this.clock() }, from, quota, token);
    if (updated) return updated;
    const current = await this.deps.backend.getImage(image.id);
    if (!current) throw new ImageNotFound(image.id);
    throw new InvalidImageStatusTransition(current.status, to);
  }

  private async toggleActive(context: ImageContext, id: string, from: ImageStatus, to: ImageStatus, verb: string): Promise<Image> {
    const image = await this.getImage(context, id);
    if (image.status === to) return image;
    if (image.status !== from) throw new ImageForbidden(`Not allowed to ${verb} image in status '${image.status}'`);
    return this.transition(image, [from], to);
  }
}
