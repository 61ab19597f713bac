// The filtering, sorting and keyset pagination of GET /v2/images (glance/db/sqlalchemy/api.py
// image_get_all and _paginate_query), applied to the images a caller may see.

import type { Image, ImageVisibility, Member, MemberStatus } from '../model.js';
import { InvalidImageInput } from './errors.js';

export const SORT_KEYS = ['name', 'status', 'container_format', 'disk_format', 'size', 'id', 'created_at', 'updated_at'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

export type TimeOperator = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte';

/** `created_at=gte:2026-01-01T00:00:00Z`: compare a timestamp with `value`. */
export interface TimeFilter {
  readonly op: TimeOperator;
  readonly value: Date;
}

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
  /** Every tag must be present. */
  readonly tags?: readonly string[];
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
  /** Id of the last image of the previous page. */
  readonly marker?: string;
}

export interface ImageListCaller {
  /** The caller's project; undefined for domain- or system-scoped tokens. */
  readonly projectId: string | undefined;
  /** Admins see every image, as Glance's context.is_admin. */
  readonly isAdmin: boolean;
}

function matchesTime(time: Date, filters: readonly TimeFilter[] | undefined): boolean {
  const t = time.getTime();
  return (filters ?? []).every(({ op, value }) => {
    const v = value.getTime();
    switch (op) {
      case 'eq': return t === v;
      case 'neq': return t !== v;
      case 'gt': return t > v;
      case 'gte': return t >= v;
      case 'lt': return t < v;
      case 'lte': return t <= v;
    }
  });
}

function anyOf(value: string | null, wanted: readonly string[] | undefined): boolean {
  return wanted === undefined || (value !== null && wanted.includes(value));
}

/** Whether the caller's scope includes `image` for this visibility and member-status filter. */
function inScope(image: Image, caller: ImageListCaller, filters: ImageFilters, membership: Member | undefined): boolean {
  const owned = caller.projectId !== undefined && image.owner === caller.projectId;
  if (filters.visibility !== undefined && filters.visibility !== 'all' && image.visibility !== filters.visibility) return false;
  if (image.visibility === 'community' && !owned && filters.visibility === undefined) return false;
  if (caller.isAdmin || owned) return true;
  if (image.visibility === 'public' || image.visibility === 'community') return true;
  if (image.visibility !== 'shared' || !membership) return false;
  const wanted = filters.memberStatus ?? 'accepted';
  return wanted === 'all' || membership.status === wanted;
}

function matchesFilters(image: Image, filters: ImageFilters): boolean {
  return anyOf(image.id, filters.id) && anyOf(image.name, filters.name) && anyOf(image.status, filters.status)
    && anyOf(image.diskFormat, filters.diskFormat) && anyOf(image.containerFormat, filters.containerFormat)
    && anyOf(image.owner, filters.owner)
    && (filters.tags ?? []).every((tag) => image.tags.includes(tag))
    && (filters.sizeMin === undefined || (image.size ?? -1) >= filters.sizeMin)
    && (filters.sizeMax === undefined || (image.size !== null && image.size <= filters.sizeMax))
    && (filters.size === undefined || image.size === filters.size)
    && anyOf(image.checksum, filters.checksum)
    && (filters.minDisk === undefined || image.minDisk === filters.minDisk)
    && (filters.minRam === undefined || image.minRam === filters.minRam)
    && matchesTime(image.createdAt, filters.createdAt) && matchesTime(image.updatedAt, filters.updatedAt)
    && image.osHidden === (filters.osHidden ?? false)
    && (filters.protected === undefined || image.protected === filters.protected)
    && Object.entries(filters.properties ?? {}).every(([key, value]) => image.properties[key] === value);
}

function sortValue(image: Image, key: SortKey): string | number | null {
  switch (key) {
    case 'name': return image.name;
    case 'status': return image.status;
    case 'container_format': return image.containerFormat;
    case 'disk_format': return image.diskFormat;
    case 'size': return image.size;
    case 'id': return image.id;
    case 'created_at': return image.createdAt.getTime();
    case 'updated_at': return image.updatedAt.getTime();
  }
}

function compareValues(a: string | number | null, b: string | number | null): number {
  // NULL sorts first ascending, as on PostgreSQL with NULLS FIRST and on SQLite and MariaDB.
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

type SortSpec = readonly { readonly key: SortKey; readonly dir: SortDir }[];

function fullSort(sort: SortSpec | undefined): SortSpec {
  const spec = sort?.length ? [...sort] : [{ key: 'created_at' as const, dir: 'desc' as const }];
  const dir = spec[0]?.dir ?? 'desc';
  for (const key of ['created_at', 'id'] as const) if (!spec.some((s) => s.key === key)) spec.push({ key, dir });
  return spec;
}

function comparator(spec: SortSpec): (a: Image, b: Image) => number {
  return (a, b) => {
    for (const { key, dir } of spec) {
      const order = compareValues(sortValue(a, key), sortValue(b, key));
      if (order !== 0) return dir === 'asc' ? order : -order;
    }
    return 0;
  };
}

/**
 * One page of `candidates` (every image the caller could possibly see) for `query`.
 * `nextMarker` is set when the page is full, as Glance does, even if nothing follows.
 * @throws InvalidImageInput when the marker names no visible image (Glance answers 400).
 */
export function selectImagePage(
  candidates: readonly Image[], memberships: ReadonlyMap<string, Member>, caller: ImageListCaller, query: ImageListQuery,
): { images: Image[]; nextMarker?: string } {
  const compare = comparator(fullSort(query.sort));
  let selected = candidates
    .filter((image) => inScope(image, caller, query.filters, memberships.get(image.id)) && matchesFilters(image, query.filters))
    .sort(compare);
  if (query.marker !== undefined) {
    const marker = candidates.find((image) => image.id === query.marker);
    if (!marker) throw new InvalidImageInput(`Invalid marker. Image ${query.marker} could not be found.`);
    selected = selected.filter((image) => compare(image, marker) > 0);
  }
  const images = selected.slice(0, query.limit);
  const last = images[images.length - 1];
  return images.length === query.limit && last ? { images, nextMarker: last.id } : { images };
}
