// Schema of the image registry: images, their extra properties, tags and members
// (glance/db/sqlalchemy/models.py without soft-deleted rows).
import type { ServiceMigration } from '../../common/db/index.js';
import { createQuotaTables } from '../../common/quota/index.js';

export const imageMigrations: readonly ServiceMigration[] = [
  {
    name: '001_image_initial',
    up: async (db) => {
      await db.schema.createTable('image')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)')
        .addColumn('status', 'varchar(30)', (c) => c.notNull())
        .addColumn('visibility', 'varchar(20)', (c) => c.notNull())
        .addColumn('protected', 'integer', (c) => c.notNull())
        .addColumn('os_hidden', 'integer', (c) => c.notNull())
        .addColumn('owner', 'varchar(255)', (c) => c.notNull())
        .addColumn('disk_format', 'varchar(20)')
        .addColumn('container_format', 'varchar(20)')
        .addColumn('min_disk', 'integer', (c) => c.notNull())
        .addColumn('min_ram', 'integer', (c) => c.notNull())
        .addColumn('size', 'bigint')
        .addColumn('virtual_size', 'bigint')
        .addColumn('checksum', 'varchar(32)')
        .addColumn('os_hash_algo', 'varchar(64)')
        .addColumn('os_hash_value', 'varchar(128)')
        .addColumn('store_location', 'text')
        // ISO 8601 with milliseconds and Z: sorts as text the same on every dialect.
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_image_owner').on('image').column('owner').execute();
      await db.schema.createIndex('ix_image_visibility').on('image').column('visibility').execute();
      await db.schema.createTable('image_property')
        .addColumn('image_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_image_property', ['image_id', 'name'])
        .execute();
      await db.schema.createTable('image_tag')
        .addColumn('image_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('value', 'varchar(255)', (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_image_tag', ['image_id', 'value'])
        .execute();
      await db.schema.createTable('image_member')
        .addColumn('image_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('member', 'varchar(255)', (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_image_member', ['image_id', 'member'])
        .execute();
      await db.schema.createIndex('ix_image_member_member').on('image_member').column('member').execute();
    },
  },
  {
    // The image list pages in SQL: each sort key followed by Glance's tie-breakers
    // (created_at, id) is one index, so a marker page is a range scan of `limit` rows instead
    // of a scan and sort of every image.
    name: '002_image_list_indexes',
    up: async (db) => {
      await db.schema.createIndex('ix_image_created_at_id').on('image').columns(['created_at', 'id']).execute();
      for (const column of ['updated_at', 'name', 'size', 'status', 'disk_format', 'container_format']) {
        await db.schema.createIndex(`ix_image_${column}_created_at_id`).on('image').columns([column, 'created_at', 'id']).execute();
      }
      // Tag filters: "images carrying tag t" without scanning every image's tags.
      await db.schema.createIndex('ix_image_tag_value').on('image_tag').columns(['value', 'image_id']).execute();
    },
  },
  {
    // Per-project quota overrides and the lock rows that make quota checks atomic.
    name: '003_image_quota',
    up: async (db) => {
      await createQuotaTables(db);
    },
  },
  {
    // Upload leases (crash recovery: an upload whose lease is not renewed is interrupted and is
    // put back to queued by reconcile) and tombstones of deleted ids (Glance keeps deleted rows
    // so an id is never reused; a table of its own keeps image listings free of them).
    name: '004_upload_lease_and_deleted_ids',
    up: async (db) => {
      await db.schema.alterTable('image').addColumn('upload_host', 'varchar(255)').execute();
      await db.schema.alterTable('image').addColumn('upload_token', 'varchar(64)').execute();
      await db.schema.alterTable('image').addColumn('upload_expires_at', 'varchar(32)').execute();
      await db.schema.createIndex('ix_image_upload_expires_at').on('image').column('upload_expires_at').execute();
      await db.schema.createTable('deleted_image')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('owner', 'varchar(255)', (c) => c.notNull())
        .addColumn('deleted_at', 'varchar(32)', (c) => c.notNull())
        .execute();
    },
  },
];
