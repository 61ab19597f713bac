// Schema of the resource subsystem: projects (domains included, as in Keystone) and project tags.
import type { ServiceMigration } from '../../common/db/index.js';

export const resourceMigrations: readonly ServiceMigration[] = [
  {
    name: '001_resource_initial',
    up: async (db) => {
      await db.schema.createTable('project')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        // Domains store a fixed marker here so (domain_id, name) keeps domain names unique too.
        .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('parent_id', 'varchar(64)')
        .addColumn('is_domain', 'integer', (c) => c.notNull())
        .addColumn('options', 'text')
        .addColumn('extra', 'text')
        .addUniqueConstraint('ixu_project_name_domain_id', ['domain_id', 'name'])
        .execute();
      await db.schema.createIndex('ix_project_parent_id').on('project').column('parent_id').execute();
      await db.schema.createIndex('ix_project_is_domain').on('project').column('is_domain').execute();
      await db.schema.createTable('project_tag')
        .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_project_tag', ['project_id', 'name'])
        .execute();
      await db.schema.createIndex('ix_project_tag_name').on('project_tag').column('name').execute();
    },
  },
];
