// What GET /v2/images asks of the image backend (glance/db/sqlalchemy/api.py image_get_all):
// filters, sort keys and a marker page, over the images a caller may see. The backend turns
// it into one SQL query (backends/sql-list.ts); nothing is filtered or paged in JavaScript.

import type { TagFilter, TimeFilter } from '../../common/db/listing/index.js';
import type { Image, ImageVisibility, MemberStatus } from '../model.js';

export const SORT_KEYS = ['name', 'status', 'container_format', 'disk_format', 'size', 'id', 'created_at', 'updated_at'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export type { TimeFilter, TimeOperator } from '../../common/db/listing/index.js';

export interface ImageFilters {
  /** Each of these matches when the attribute equals any of the values (`in:` gives several). */
  /** Image ids (`id=in:a,b`). */
  readonly id?: readonly string[];
  /** Exact names. */
  readonly name?: readonly string[];
  readonly status?: readonly string[];
  readonly diskFormat?: readonly string[];
  readonly containerFormat?: readonly string[];
  readonly owner?: readonly string[];
  /** One visibility, or 'all'; absent lists the default set (community images of others left out). */
  readonly visibility?: ImageVisibility | 'all';
  /** Shared images of other projects are listed when the caller's membership has this status; default 'accepted'. */
  readonly memberStatus?: MemberStatus | 'all';
  /** Tag conditions; Glance's repeated `tag` fills `all`. */
  readonly tags?: TagFilter;
  readonly sizeMin?: number;
  readonly sizeMax?: number;
  /** Core attributes Glance also filters on by exact value (`?size=`, `?checksum=`...). */
  readonly size?: number;
  readonly checksum?: readonly string[];
  readonly minDisk?: number;
  readonly minRam?: number;
  readonly createdAt?: readonly TimeFilter[];
  readonly updatedAt?: readonly TimeFilter[];
  /** Default false: hidden images are listed only when asked for. */
  readonly osHidden?: boolean;
  readonly protected?: boolean;
  /** Extra properties that must equal these values. */
  readonly properties?: Readonly<Record<string, string>>;
}

export interface ImageListQuery {
  readonly filters: ImageFilters;
  /** Default `[{key: 'created_at', dir: 'desc'}]`; `created_at` and `id` are added as tie breakers. */
  readonly sort?: readonly { readonly key: SortKey; readonly dir: SortDir }[];
  readonly limit: number;
  /** Id of the last image of the previous page; it must be visible to the caller. */
  readonly marker?: string;
}

/** One page; `nextMarker` is set when the page is full, as Glance does, even if nothing follows. */
export interface ImagePage {
  readonly images: Image[];
  readonly nextMarker?: string;
}

export interface ImageListCaller {
  /** The caller's project; undefined for domain- or system-scoped tokens. */
  readonly projectId: string | undefined;
  /** Admins see every image, as Glance's context.is_admin. */
  readonly isAdmin: boolean;
}
