// Schema of the catalog tables (keystone's region, service and endpoint tables).
import type { ServiceMigration } from '../../common/db/index.js';

export const catalogMigrations: readonly ServiceMigration[] = [
  {
    name: '004_catalog_initial',
    up: async (db) => {
      await db.schema.createTable('region')
        .addColumn('id', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('description', 'varchar(255)', (c) => c.notNull())
        .addColumn('parent_region_id', 'varchar(255)')
        .addColumn('extra', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_region_parent_region_id').on('region').column('parent_region_id').execute();
      await db.schema.createTable('service')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('type', 'varchar(255)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('extra', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_service_type').on('service').column('type').execute();
      // The references stay inside the catalog's own tables; a region still in use cannot go.
      await db.schema.createTable('endpoint')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('interface', 'varchar(8)', (c) => c.notNull())
        .addColumn('region_id', 'varchar(255)')
        .addColumn('service_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('extra', 'text', (c) => c.notNull())
        // Table-level constraints: MariaDB ignores REFERENCES written on a column.
        .addForeignKeyConstraint('fk_endpoint_region_id', ['region_id'], 'region', ['id'])
        .addForeignKeyConstraint('fk_endpoint_service_id', ['service_id'], 'service', ['id'], (fk) => fk.onDelete('cascade'))
        .execute();
      await db.schema.createIndex('ix_endpoint_service_id').on('endpoint').column('service_id').execute();
      await db.schema.createIndex('ix_endpoint_region_id').on('endpoint').column('region_id').execute();
    },
  },
];
