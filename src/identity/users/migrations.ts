// Schema of the users subsystem: users (with their password hash), groups and memberships.
// Keystone spreads a user over user/local_user/password/user_option; one row is enough here.

import type { ServiceMigration } from '../../common/db/index.js';

export const userMigrations: readonly ServiceMigration[] = [
  {
    name: '002_users_initial',
    up: async (db) => {
      await db.schema.createTable('identity_user')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('default_project_id', 'varchar(64)')
        .addColumn('password_hash', 'varchar(255)')
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('extra', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('identity_user_domain_id_name_key', ['domain_id', 'name'])
        .execute();
      await db.schema.createIndex('identity_user_default_project_id_idx')
        .on('identity_user').column('default_project_id').execute();

      await db.schema.createTable('identity_group')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('extra', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('identity_group_domain_id_name_key', ['domain_id', 'name'])
        .execute();

      await db.schema.createTable('user_group_membership')
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('identity_user.id').onDelete('cascade'))
        .addColumn('group_id', 'varchar(64)', (c) => c.notNull().references('identity_group.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('user_group_membership_pkey', ['user_id', 'group_id'])
        .execute();
      await db.schema.createIndex('user_group_membership_group_id_idx')
        .on('user_group_membership').column('group_id').execute();
    },
  },
];
