// Domain types of the image service (glance/domain/__init__.py): images, members and tasks,
// in camelCase. The snake_case wire forms live in api/views.ts.

/** Glance's image status machine (glance.domain.Image.valid_state_targets). */
export type ImageStatus =
  | 'queued' | 'saving' | 'active' | 'killed' | 'deleted' | 'pending_delete' | 'deactivated' | 'uploading' | 'importing';

export type ImageVisibility = 'public' | 'private' | 'shared' | 'community';

export const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'] as const;
export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'] as const;
export const IMAGE_STATUSES: readonly ImageStatus[] = [
  'queued', 'saving', 'active', 'killed', 'deleted', 'pending_delete', 'deactivated', 'uploading', 'importing',
];
export const IMAGE_VISIBILITIES: readonly ImageVisibility[] = ['public', 'private', 'shared', 'community'];

export type DiskFormat = (typeof DISK_FORMATS)[number];
export type ContainerFormat = (typeof CONTAINER_FORMATS)[number];

export interface Image {
  /** uuid4 with dashes, as Glance. */
  readonly id: string;
  readonly name: string | null;
  readonly status: ImageStatus;
  readonly visibility: ImageVisibility;
  readonly protected: boolean;
  readonly osHidden: boolean;
  /** The owning project id. */
  readonly owner: string;
  readonly diskFormat: DiskFormat | null;
  readonly containerFormat: ContainerFormat | null;
  readonly minDisk: number;
  readonly minRam: number;
  /** Bytes of image data; null until data is uploaded. */
  readonly size: number | null;
  readonly virtualSize: number | null;
  /** MD5 of the data, hex. */
  readonly checksum: string | null;
  readonly osHashAlgo: string | null;
  readonly osHashValue: string | null;
  /** Sorted, unique. */
  readonly tags: readonly string[];
  /** Extra (user-defined) properties; values are always strings, as Glance's schema says. */
  readonly properties: Readonly<Record<string, string>>;
  /** Where the store keeps the data (store id + path); internal, never on the wire. */
  readonly storeLocation: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type MemberStatus = 'pending' | 'accepted' | 'rejected';
export const MEMBER_STATUSES: readonly MemberStatus[] = ['pending', 'accepted', 'rejected'];

export interface Member {
  readonly imageId: string;
  /** The project the image is shared with. */
  readonly memberId: string;
  readonly status: MemberStatus;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type TaskStatus = 'pending' | 'processing' | 'success' | 'failure';

/** An asynchronous image operation (glance.domain.Task), e.g. an interoperable import. */
export interface Task {
  readonly id: string;
  readonly type: string;
  readonly status: TaskStatus;
  readonly owner: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly result: Readonly<Record<string, unknown>> | null;
  readonly message: string;
  readonly imageId: string | null;
  readonly requestId: string | null;
  readonly userId: string | null;
  readonly expiresAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}
