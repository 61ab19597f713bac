// Schema of the revocation events table.
import type { ServiceMigration } from '../../common/db/index.js';

export const revokeMigrations: readonly ServiceMigration[] = [
  {
    name: '006_revoke_initial',
    up: async (db) => {
      await db.schema.createTable('revocation_event')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(64)')
        .addColumn('project_id', 'varchar(64)')
        .addColumn('audit_id', 'varchar(64)')
        .addColumn('issued_before', 'varchar(32)', (c) => c.notNull())
        .addColumn('revoked_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_revocation_event_user').on('revocation_event').column('user_id').execute();
      await db.schema.createIndex('ix_revocation_event_audit').on('revocation_event').column('audit_id').execute();
      await db.schema.createIndex('ix_revocation_event_project').on('revocation_event').column('project_id').execute();
    },
  },
];
