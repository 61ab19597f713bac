// Image records in the image database (glance/db/sqlalchemy/api.py). Booleans are stored as
// 0/1 and timestamps as ISO 8601 text; deleted images are removed, leaving only their id in
// `deleted_image` (Glance's soft-deleted rows, kept out of the listing's way).

import type { Kysely, Transaction } from 'kysely';
import { isUniqueViolation } from '../../../common/db/index.js';
import { QuotaEngine } from '../../../common/quota/index.js';
import type { QuotaDetail, QuotaLimits, QuotaTables } from '../../../common/quota/index.js';
import type { Image, ImageStatus, Member, MemberStatus } from '../../model.js';
import type { ContainerFormat, DiskFormat, ImageVisibility } from '../../model.js';
import type { ImageBackend, ImageChanges, ImageQuotaCheck, LeasedUpload } from '../backend.js';
import { ImageConflict } from '../errors.js';
import type { ImageListCaller, ImageListQuery, ImagePage } from '../list-images.js';
import { selectImageRows } from './sql-list.js';

export interface ImageTables extends QuotaTables {
  image: {
    id: string;
    name: string | null;
    status: string;
    visibility: string;
    protected: number;
    os_hidden: number;
    owner: string;
    disk_format: string | null;
    container_format: string | null;
    min_disk: number;
    min_ram: number;
    size: number | null;
    virtual_size: number | null;
    checksum: string | null;
    os_hash_algo: string | null;
    os_hash_value: string | null;
    store_location: string | null;
    created_at: string;
    updated_at: string;
    upload_host: string | null;
    upload_token: string | null;
    upload_expires_at: string | null;
  };
  deleted_image: { id: string; owner: string; deleted_at: string };
  image_property: { image_id: string; name: string; value: string };
  image_tag: { image_id: string; value: string };
  image_member: { image_id: string; member: string; status: string; created_at: string; updated_at: string };
}

type ImageRow = ImageTables['image'];
type MemberRow = ImageTables['image_member'];
type Db = Kysely<ImageTables> | Transaction<ImageTables>;

const IN_FLIGHT: readonly ImageStatus[] = ['saving', 'uploading', 'importing'];

/** The image quota resources, each counted from the image table (glance/quota/keystone.py). */
function imageQuotaEngine(db: Kysely<ImageTables>): QuotaEngine<ImageTables> {
  return new QuotaEngine<ImageTables>({
    db,
    counters: {
      image_count_total: async (trx, owner) => Number((await trx.selectFrom('image').select((eb) => eb.fn.countAll().as('n'))
        .where('owner', '=', owner).executeTakeFirst())?.n ?? 0),
      // As Glance's _image_get_disk_usage_by_owner: killed images hold no data.
      image_size_total: async (trx, owner) => Number((await trx.selectFrom('image').select((eb) => eb.fn.sum('size').as('n'))
        .where('owner', '=', owner).where('status', '!=', 'killed').executeTakeFirst())?.n ?? 0),
      image_count_uploading: async (trx, owner) => Number((await trx.selectFrom('image').select((eb) => eb.fn.countAll().as('n'))
        .where('owner', '=', owner).where('status', 'in', [...IN_FLIGHT]).executeTakeFirst())?.n ?? 0),
    },
  });
}

function nullableNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function columnsOf(changes: ImageChanges): Partial<ImageRow> {
  const row: Partial<ImageRow> = {};
  if (changes.name !== undefined) row.name = changes.name;
  if (changes.status !== undefined) row.status = changes.status;
  if (changes.visibility !== undefined) row.visibility = changes.visibility;
  if (changes.protected !== undefined) row.protected = changes.protected ? 1 : 0;
  if (changes.osHidden !== undefined) row.os_hidden = changes.osHidden ? 1 : 0;
  if (changes.owner !== undefined) row.owner = changes.owner;
  if (changes.diskFormat !== undefined) row.disk_format = changes.diskFormat;
  if (changes.containerFormat !== undefined) row.container_format = changes.containerFormat;
  if (changes.minDisk !== undefined) row.min_disk = changes.minDisk;
  if (changes.minRam !== undefined) row.min_ram = changes.minRam;
  if (changes.size !== undefined) row.size = changes.size;
  if (changes.virtualSize !== undefined) row.virtual_size = changes.virtualSize;
  if (changes.checksum !== undefined) row.checksum = changes.checksum;
  if (changes.osHashAlgo !== undefined) row.os_hash_algo = changes.osHashAlgo;
  if (changes.osHashValue !== undefined) row.os_hash_value = changes.osHashValue;
  if (changes.storeLocation !== undefined) row.store_location = changes.storeLocation;
  if (changes.updatedAt !== undefined) row.updated_at = changes.updatedAt.toISOString();
  if (changes.uploadLease !== undefined) {
    row.upload_host = changes.uploadLease?.host ?? null;
    row.upload_token = changes.uploadLease?.token ?? null;
    row.upload_expires_at = changes.uploadLease?.expiresAt.toISOString() ?? null;
  }
  return row;
}

function toRow(image: Image): ImageRow {
  return {
    ...(columnsOf(image) as ImageRow), id: image.id, created_at: image.createdAt.toISOString(),
    upload_host: null, upload_token: null, upload_expires_at: null,
  };
}

function toImage(row: ImageRow, tags: readonly string[], properties: Record<string, string>): Image {
  return {
    id: row.id,
    name: row.name,
    status: row.status as ImageStatus,
    visibility: row.visibility as ImageVisibility,
    protected: Number(row.protected) === 1,
    osHidden: Number(row.os_hidden) === 1,
    owner: row.owner,
    diskFormat: row.disk_format as DiskFormat | null,
    containerFormat: row.container_format as ContainerFormat | null,
    minDisk: Number(row.min_disk),
    minRam: Number(row.min_ram),
    size: nullableNumber(row.size),
    virtualSize: nullableNumber(row.virtual_size),
    checksum: row.checksum,
    osHashAlgo: row.os_hash_algo,
    osHashValue: row.os_hash_value,
    tags,
    properties,
    storeLocation: row.store_location,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

function toMember(row: MemberRow): Member {
  return {
    imageId: row.image_id, memberId: row.member, status: row.status as MemberStatus,
    createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at),
  };
}

export class SqlImageBackend implements ImageBackend {
  private readonly quota: QuotaEngine<ImageTables>;

  constructor(private readonly db: Kysely<ImageTables>) {
    this.quota = imageQuotaEngine(db);
  }

  async getImage(id: string): Promise<Image | undefined> {
    return (await this.read(this.db, [id]))[0];
  }

  async listImages(caller: ImageListCaller, query: ImageListQuery): Promise<ImagePage> {
    const images = await this.withDetails(this.db, await selectImageRows(this.db, caller, query));
    const last = images[images.length - 1];
    return images.length === query.limit && last ? { images, nextMarker: last.id } : { images };
  }

  async createImage(image: Image, quota?: QuotaLimits): Promise<Image> {
    const insert = async (trx: Transaction<ImageTables>) => {
      if (await trx.selectFrom('deleted_image').select('id').where('id', '=', image.id).executeTakeFirst()) {
        throw new ImageConflict(`Image ID ${image.id} already exists!`);
      }
      await trx.insertInto('image').values(toRow(image)).execute();
      await this.writeDetails(trx, image.id, image);
    };
    try {
      if (quota) await this.quota.enforce(image.owner, { image_count_total: 1 }, quota, insert);
      else await this.db.transaction().execute(insert);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ImageConflict(`Image ID ${image.id} already exists!`, { cause: error });
      throw error;
    }
    return (await this.getImage(image.id)) ?? image;
  }

  async updateImage(id: string, changes: ImageChanges, onlyIfStatus?: readonly ImageStatus[], quota?: ImageQuotaCheck, onlyIfUploadToken?: string): Promise<Image | undefined> {
    const apply = async (trx: Transaction<ImageTables>): Promise<boolean> => {
      let update = trx.updateTable('image').set(columnsOf(changes)).where('id', '=', id);
      if (onlyIfStatus) update = update.where('status', 'in', [...onlyIfStatus]);
      if (onlyIfUploadToken !== undefined) update = update.where('upload_token', '=', onlyIfUploadToken);
      const columns = columnsOf(changes);
      if (Object.keys(columns).length === 0) {
        let check = trx.selectFrom('image').select('id').where('id', '=', id);
        if (onlyIfStatus) check = check.where('status', 'in', [...onlyIfStatus]);
        if (onlyIfUploadToken !== undefined) check = check.where('upload_token', '=', onlyIfUploadToken);
        if (!(await check.executeTakeFirst())) return false;
      } else {
        const result = await update.executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return false;
      }
      await this.writeDetails(trx, id, changes);
      return true;
    };
    let applied: boolean;
    if (quota) {
      const owner = (await this.db.selectFrom('image').select('owner').where('id', '=', id).executeTakeFirst())?.owner;
      if (owner === undefined) return undefined;
      applied = await this.quota.enforce(owner, quota.deltas, quota.defaults, apply);
    } else {
      applied = await this.db.transaction().execute(apply);
    }
    return applied ? this.getImage(id) : undefined;
  }

  async deleteImage(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('image').select('owner').where('id', '=', id).executeTakeFirst();
      if (!row) return;
      await trx.insertInto('deleted_image').values({ id, owner: row.owner, deleted_at: new Date().toISOString() }).execute();
      await trx.deleteFrom('image_property').where('image_id', '=', id).execute();
      await trx.deleteFrom('image_tag').where('image_id', '=', id).execute();
      await trx.deleteFrom('image_member').where('image_id', '=', id).execute();
      await trx.deleteFrom('image').where('id', '=', id).execute();
    });
  }

  async renewUploadLease(id: string, token: string, expiresAt: Date): Promise<boolean> {
    const result = await this.db.updateTable('image').set({ upload_expires_at: expiresAt.toISOString() })
      .where('id', '=', id).where('upload_token', '=', token).where('status', 'in', ['saving', 'uploading', 'importing'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async listLeasedUploads(filter: { readonly expiredBefore: Date; readonly host?: string }): Promise<LeasedUpload[]> {
    const rows = await this.db.selectFrom('image').selectAll()
      .where('upload_token', 'is not', null)
      .where((eb) => eb.or([
        eb('upload_expires_at', '<', filter.expiredBefore.toISOString()),
        ...(filter.host === undefined ? [] : [eb('upload_host', '=', filter.host)]),
      ]))
      .execute();
    const images = await this.withDetails(this.db, rows);
    return rows.map((row, i) => ({
      id: row.id, owner: row.owner, status: row.status as ImageStatus, properties: images[i]?.properties ?? {},
      lease: { host: row.upload_host ?? '', token: row.upload_token ?? '', expiresAt: new Date(row.upload_expires_at ?? 0) },
    }));
  }

  async quotaUsage(owner: string, defaults: QuotaLimits): Promise<QuotaDetail[]> {
    return this.quota.usage(owner, defaults);
  }

  async listMembers(imageId: string): Promise<Member[]> {
    const rows = await this.db.selectFrom('image_member').selectAll().where('image_id', '=', imageId).orderBy('member').execute();
    return rows.map(toMember);
  }

  async listMemberships(memberId: string): Promise<Member[]> {
    const rows = await this.db.selectFrom('image_member').selectAll().where('member', '=', memberId).orderBy('image_id').execute();
    return rows.map(toMember);
  }

  async getMember(imageId: string, memberId: string): Promise<Member | undefined> {
    const row = await this.db.selectFrom('image_member').selectAll()
      .where('image_id', '=', imageId).where('member', '=', memberId).executeTakeFirst();
    return row ? toMember(row) : undefined;
  }

  async createMember(member: Member): Promise<Member> {
    try {
      await this.db.insertInto('image_member').values({
        image_id: member.imageId, member: member.memberId, status: member.status,
        created_at: member.createdAt.toISOString(), updated_at: member.updatedAt.toISOString(),
      }).execute();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ImageConflict(`Member ${member.memberId} is duplicated for image ${member.imageId}`, { cause: error });
      }
      throw error;
    }
    return member;
  }

  async updateMember(imageId: string, memberId: string, status: MemberStatus, updatedAt: Date): Promise<Member | undefined> {
    await this.db.updateTable('image_member').set({ status, updated_at: updatedAt.toISOString() })
      .where('image_id', '=', imageId).where('member', '=', memberId).execute();
    return this.getMember(imageId, memberId);
  }

  async deleteMember(imageId: string, memberId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('image_member').where('image_id', '=', imageId).where('member', '=', memberId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  private async read(db: Db, ids: readonly string[]): Promise<Image[]> {
    if (ids.length === 0) return [];
    return this.withDetails(db, await db.selectFrom('image').selectAll().where('id', 'in', [...ids]).execute());
  }

  /** Replaces tags and properties named in `changes`. */
  private async writeDetails(db: Db, imageId: string, changes: ImageChanges): Promise<void> {
    if (changes.tags !== undefined) {
      await db.deleteFrom('image_tag').where('image_id', '=', imageId).execute();
      const tags = [...new Set(changes.tags)];
      if (tags.length) await db.insertInto('image_tag').values(tags.map((value) => ({ image_id: imageId, value }))).execute();
    }
    if (changes.properties !== undefined) {
      await db.deleteFrom('image_property').where('image_id', '=', imageId).execute();
      const rows = Object.entries(changes.properties).map(([name, value]) => ({ image_id: imageId, name, value }));
      if (rows.length) await db.insertInto('image_property').values(rows).execute();
    }
  }

  /** Turns rows into images, reading their tags and properties in two queries. */
  private async withDetails(db: Db, rows: readonly ImageRow[]): Promise<Image[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const tags = new Map<string, string[]>();
    const properties = new Map<string, Record<string, string>>();
    // Chunks keep the IN lists below every dialect's bound-parameter limit.
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      for (const tag of await db.selectFrom('image_tag').selectAll().where('image_id', 'in', chunk).orderBy('value').execute()) {
        tags.set(tag.image_id, [...(tags.get(tag.image_id) ?? []), tag.value]);
      }
      for (const prop of await db.selectFrom('image_property').selectAll().where('image_id', 'in', chunk).execute()) {
        properties.set(prop.image_id, { ...properties.get(prop.image_id), [prop.name]: prop.value });
      }
    }
    return rows.map((row) => toImage(row, tags.get(row.id) ?? [], properties.get(row.id) ?? {}));
  }
}
