// The storage contract of image records (glance/db/sqlalchemy/api.py): images with their
// extra properties and tags, and image members. No rule of Glance lives here; the manager
// enforces visibility, ownership and the state machine.

import type { Image, ImageStatus, Member, MemberStatus } from '../model.js';

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
   * Images, each with properties and tags. With `visibleTo`, only images that project owns,
   * public and community images, and images it is a member of (any member status).
   */
  listImages(scope: { readonly visibleTo?: string }): Promise<Image[]>;

  /**
   * Stores a new image with its properties and tags, all or nothing.
   * @throws ImageConflict when the id is taken, or was taken by an image since deleted.
   */
  createImage(image: Image): Promise<Image>;

  /**
   * Applies `changes` (properties and tags replace the whole set), all or nothing.
   * With `onlyIfStatus`, applies them only when the stored status is one of those, checked
   * and written in one statement so two concurrent transitions cannot both succeed.
   * With `onlyIfUploadToken`, only while that upload still holds the image's lease.
   * @returns the updated image, or undefined when there is no such image or a condition did not match.
   */
  updateImage(id: string, changes: ImageChanges, onlyIfStatus?: readonly ImageStatus[], onlyIfUploadToken?: string): Promise<Image | undefined>;

  /**
   * Deletes the image, its properties, tags and members, and keeps its id (with the owner) as
   * a tombstone so it is never reused. Resolves when it is already gone.
   */
  deleteImage(id: string): Promise<void>;

  /** Moves the lease of upload `token` on image `id` to `expiresAt`; false when that upload no longer holds it. */
  renewUploadLease(id: string, token: string, expiresAt: Date): Promise<boolean>;

  /** Images with a lease that expired before `expiredBefore`, or (with `host`) whose lease that host holds. */
  listLeasedUploads(filter: { readonly expiredBefore: Date; readonly host?: string }): Promise<LeasedUpload[]>;

  /** How many images `owner` owns, and the sum of their sizes in bytes (null sizes and killed images count 0). */
  usage(owner: string): Promise<{ count: number; size: number }>;

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
