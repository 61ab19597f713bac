// GET /v2/images as one SQL query (glance/db/sqlalchemy/api.py image_get_all,
// _select_images_query and _paginate_query): visibility and member status, attribute, tag,
// property, size and time filters, then a keyset page on the requested sort keys.

import type { Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool } from 'kysely';
import { completeSort, pageQuery, readMarker, tagConditions, timeConditions } from '../../../common/db/listing/index.js';
import type { KeysetSpec, SortKey as ListSortKey } from '../../../common/db/listing/index.js';
import { InvalidImageInput } from '../errors.js';
import type { ImageFilters, ImageListCaller, ImageListQuery, SortKey } from '../list-images.js';
import type { ImageTables } from './sql.js';

type ImageRow = ImageTables['image'];
type Eb = ExpressionBuilder<ImageTables, 'image'>;
type ImageQuery = SelectQueryBuilder<ImageTables, 'image', ImageRow>;

/** The sort keys' columns; created_at then id break ties, as Glance appends them. */
export const IMAGE_KEYSET: KeysetSpec<SortKey> = {
  columns: {
    name: { column: 'image.name', nullable: true },
    status: { column: 'image.status' },
    container_format: { column: 'image.container_format', nullable: true },
    disk_format: { column: 'image.disk_format', nullable: true },
    size: { column: 'image.size', nullable: true },
    id: { column: 'image.id' },
    created_at: { column: 'image.created_at' },
    updated_at: { column: 'image.updated_at' },
  },
  tieBreakers: ['created_at', 'id'],
};

const DEFAULT_SORT: readonly ListSortKey<SortKey>[] = [{ key: 'created_at', dir: 'desc' }];

function isMember(eb: Eb, projectId: string, status?: string) {
  let members = eb.selectFrom('image_member').select('image_member.image_id')
    .whereRef('image_member.image_id', '=', 'image.id').where('image_member.member', '=', projectId);
  if (status !== undefined) members = members.where('image_member.status', '=', status);
  return eb.exists(members);
}

/** Images the caller may see at all (Glance's is_image_visible): what a marker must be. */
function visibleTo(eb: Eb, caller: ImageListCaller & { readonly isAdmin: false }): Expression<SqlBool> {
  const open = eb('image.visibility', 'in', ['public', 'community']);
  if (caller.projectId === undefined) return open;
  return eb.or([eb('image.owner', '=', caller.projectId), open, isMember(eb, caller.projectId)]);
}

/** The images a list shows before filters: the visibility filter, and shared images by member status. */
function listScope(eb: Eb, caller: ImageListCaller, filters: ImageFilters): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  const project = caller.projectId;
  if (filters.visibility !== undefined && filters.visibility !== 'all') conditions.push(eb('image.visibility', '=', filters.visibility));
  if (filters.visibility === undefined) {
    // Community images of other projects are listed only when asked for by visibility.
    conditions.push(project === undefined ? eb('image.visibility', '<>', 'community')
      : eb.or([eb('image.visibility', '<>', 'community'), eb('image.owner', '=', project)]));
  }
  if (!caller.isAdmin) {
    const open = eb('image.visibility', 'in', ['public', 'community']);
    if (project === undefined) conditions.push(open);
    else {
      const status = filters.memberStatus ?? 'accepted';
      const shared = eb.and([eb('image.visibility', '=', 'shared'), isMember(eb, project, status === 'all' ? undefined : status)]);
      conditions.push(eb.or([eb('image.owner', '=', project), open, shared]));
    }
  }
  return eb.and(conditions);
}

function hasProperty(eb: Eb, name: string, value: string) {
  return eb.exists(eb.selectFrom('image_property').select('image_property.image_id')
    .whereRef('image_property.image_id', '=', 'image.id').where('image_property.name', '=', name).where('image_property.value', '=', value));
}

/** Every filter but visibility, as conditions on `image`. */
function filterConditions(eb: Eb, filters: ImageFilters): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  const anyOf = (column: 'id' | 'name' | 'status' | 'disk_format' | 'container_format' | 'owner' | 'checksum', values: readonly string[] | undefined) => {
    if (values !== undefined) conditions.push(eb(`image.${column}`, 'in', [...values]));
  };
  anyOf('id', filters.id);
  anyOf('name', filters.name);
  anyOf('status', filters.status);
  anyOf('disk_format', filters.diskFormat);
  anyOf('container_format', filters.containerFormat);
  anyOf('owner', filters.owner);
  anyOf('checksum', filters.checksum);
  if (filters.sizeMin !== undefined) conditions.push(eb('image.size', '>=', filters.sizeMin));
  if (filters.sizeMax !== undefined) conditions.push(eb('image.size', '<=', filters.sizeMax));
  if (filters.size !== undefined) conditions.push(eb('image.size', '=', filters.size));
  if (filters.minDisk !== undefined) conditions.push(eb('image.min_disk', '=', filters.minDisk));
  if (filters.minRam !== undefined) conditions.push(eb('image.min_ram', '=', filters.minRam));
  conditions.push(eb('image.os_hidden', '=', filters.osHidden ? 1 : 0));
  if (filters.protected !== undefined) conditions.push(eb('image.protected', '=', filters.protected ? 1 : 0));
  for (const [name, value] of Object.entries(filters.properties ?? {})) conditions.push(hasProperty(eb, name, value));
  const iso = (time: Date) => time.toISOString();
  return [
    ...conditions,
    ...timeConditions('image.created_at', filters.createdAt ?? [], iso),
    ...timeConditions('image.updated_at', filters.updatedAt ?? [], iso),
    ...tagConditions({ table: 'image_tag', resourceColumn: 'image_id', valueColumn: 'value', idColumn: 'image.id' }, filters.tags ?? {}),
  ];
}

/**
 * The rows of one page of images for `caller`; the caller adds tags and properties.
 * @throws InvalidImageInput when the marker names no image the caller may see (Glance's 400).
 */
export async function selectImageRows(db: Kysely<ImageTables>, caller: ImageListCaller, query: ImageListQuery): Promise<ImageRow[]> {
  const sort = completeSort(IMAGE_KEYSET, query.sort?.length ? query.sort : DEFAULT_SORT);
  let marker;
  if (query.marker !== undefined) {
    const all: ImageQuery = db.selectFrom('image').selectAll('image');
    const scope = caller.isAdmin ? all : all.where((eb) => visibleTo(eb, { projectId: caller.projectId, isAdmin: false }));
    marker = await readMarker(scope, IMAGE_KEYSET, sort, 'id', query.marker);
    if (!marker) throw new InvalidImageInput(`Invalid marker. Image ${query.marker} could not be found.`);
  }
  const filtered: ImageQuery = db.selectFrom('image').selectAll('image')
    .where((eb) => eb.and([listScope(eb, caller, query.filters), ...filterConditions(eb, query.filters)]));
  return pageQuery(db, filtered, IMAGE_KEYSET, { sort, limit: query.limit, marker }).execute();
}
