// Schema of the application credential tables.
import type { ServiceMigration } from '../../common/db/index.js';

export const applicationCredentialMigrations: readonly ServiceMigration[] = [
  {
    name: '005_application_credential_initial',
    up: async (db) => {
      await db.schema.createTable('application_credential')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('secret_hash', 'varchar(255)', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)')
        .addColumn('unrestricted', 'integer', (c) => c.notNull())
        // JSON array of {id, service, path, method}.
        .addColumn('access_rules', 'text', (c) => c.notNull())
        .addUniqueConstraint('uq_application_credential_user_name', ['user_id', 'name'])
        .execute();
      await db.schema.createIndex('ix_application_credential_project_id').on('application_credential').column('project_id').execute();
      await db.schema.createTable('application_credential_role')
        .addColumn('application_credential_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('role_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('role_name', 'varchar(255)', (c) => c.notNull())
        .addColumn('role_domain_id', 'varchar(64)')
        .addPrimaryKeyConstraint('pk_application_credential_role', ['application_credential_id', 'role_id'])
        .addForeignKeyConstraint('fk_application_credential_role_credential', ['application_credential_id'], 'application_credential', ['id'], (fk) => fk.onDelete('cascade'))
        .execute();
    },
  },
];
