// The storage contract of image records (glance/db/sqlalchemy/api.py): images with their
// extra properties and tags, image members, and the project quotas counted from them. The
// manager decides visibility, ownership and the state machine; listing, whose visibility rules
// must run in the database to page there, receives them as data (ImageListCaller).

import type { QuotaDetail, QuotaLimits } from '../../common/quota/index.js';
import type { Image, ImageStatus, Member, MemberStatus } from '../model.js';
import type { ImageListCaller, ImageListQuery, ImagePage } from './list-images.js';

/** Resources an update takes (e.g. `{ image_size_total: bytes }`) and the default limits. */
export interface ImageQuotaCheck {
  readonly deltas: QuotaLimits;
  readonly defaults: QuotaLimits;
}

/**
 * Who is writing an image's data (saving, uploading, importing) and until when: the writer
 * renews it while data streams; an upload whose lease ran out was interrupted (its host died).
 */
export interface UploadLease {
  /** The image host that holds it (stable across restarts of that host). */
  readonly host: string;
  /** Unique per upload, so a stale writer can never touch a later upload of the same image. */
  readonly token: string;
  readonly expiresAt: Date;
}

/** Fields an update may replace; absent fields stay as they are. `uploadLease: null` clears the lease. */
export type ImageChanges = Partial<Omit<Image, 'id' | 'createdAt'>> & { readonly uploadLease?: UploadLease | null };

/** An image whose data is being written, with its lease. */
export interface LeasedUpload {
  readonly id: string;
  readonly owner: string;
  readonly status: ImageStatus;
  readonly lease: UploadLease;
  readonly properties: Readonly<Record<string, string>>;
}

export interface ImageBackend {
  /** The image with this id, properties and tags included; undefined when there is none. */
  getImage(id: string): Promise<Image | undefined>;

  /**
   * One page of the images `caller` may list, filtered and sorted as `query` asks, each with
   * properties and tags. Filters, sort and page run in the database; only the page is read.
   * @throws InvalidImageInput when the marker names no image the caller may see.
   */
  listImages(caller: ImageListCaller, query: ImageListQuery): Promise<ImagePage>;

  /**
   * Stores a new image with its properties and tags, all or nothing. With `quota` (the
   * default limits), the owner's image_count_total is checked in the same transaction as the
   * insert, so two racing creates cannot both take the last image.
   * @throws ImageConflict when the id is taken, or was taken by an image since deleted;
   * QuotaExceeded (nothing stored) past the limit.
   */
  createImage(image: Image, quota?: QuotaLimits): Promise<Image>;

  /**
   * Applies `changes` (properties and tags replace the whole set), all or nothing.
   * With `onlyIfStatus`, applies them only when the stored status is one of those, checked
   * and written in one statement so two concurrent transitions cannot both succeed.
   * With `quota`, the owner's use of each resource plus its delta is checked against the
   * limits in the same transaction as the update. With `onlyIfUploadToken`, applies them only
   * while that upload still holds the image's lease.
   * @returns the updated image, or undefined when there is no such image or a condition did not match.
   * @throws QuotaExceeded (nothing changed) when a delta would pass its limit.
   */
  updateImage(id: string, changes: ImageChanges, onlyIfStatus?: readonly ImageStatus[], quota?: ImageQuotaCheck, onlyIfUploadToken?: string): Promise<Image | undefined>;

  /**
   * Deletes the image, its properties, tags and members, and keeps its id (with the owner) as
   * a tombstone so it is never reused. Resolves when it is already gone.
   */
  deleteImage(id: string): Promise<void>;

  /** Moves the lease of upload `token` on image `id` to `expiresAt`; false when that upload no longer holds it. */
  renewUploadLease(id: string, token: string, expiresAt: Date): Promise<boolean>;

  /** Images with a lease that expired before `expiredBefore`, or (with `host`) whose lease that host holds. */
  listLeasedUploads(filter: { readonly expiredBefore: Date; readonly host?: string }): Promise<LeasedUpload[]>;

  /**
   * `owner`'s limit and use of each image quota resource: image_count_total (images owned),
   * image_size_total (bytes of their data; killed images and null sizes count 0) and
   * image_count_uploading (images in saving, uploading or importing). A limit is the owner's
   * stored override, else `defaults`, else -1 (unlimited).
   */
  quotaUsage(owner: string, defaults: QuotaLimits): Promise<QuotaDetail[]>;

  /** Members of an image, by member id. */
  listMembers(imageId: string): Promise<Member[]>;

  /** Every membership of project `memberId`, by image id. */
  listMemberships(memberId: string): Promise<Member[]>;

  /** The membership of `memberId` on `imageId`; undefined when there is none. */
  getMember(imageId: string, memberId: string): Promise<Member | undefined>;

  /** @throws ImageConflict when that project is already a member. */
  createMember(member: Member): Promise<Member>;

  /** @returns the updated member, or undefined when there is none. */
  updateMember(imageId: string, memberId: string, status: MemberStatus, updatedAt: Date): Promise<Member | undefined>;

  /** @returns false when there was no such member. */
  deleteMember(imageId: string, memberId: string): Promise<boolean>;
}
