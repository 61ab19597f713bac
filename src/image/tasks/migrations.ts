// Schema of image tasks (glance's tasks and task_info tables, kept as one table).
import type { ServiceMigration } from '../../common/db/index.js';

export const taskMigrations: readonly ServiceMigration[] = [
  {
    // Sorts after the images migrations (001_image_*), which share the image database.
    name: '002_image_tasks',
    up: async (db) => {
      await db.schema.createTable('tasks')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('type', 'varchar(30)', (c) => c.notNull())
        .addColumn('status', 'varchar(30)', (c) => c.notNull())
        .addColumn('owner', 'varchar(255)', (c) => c.notNull())
        .addColumn('input', 'text', (c) => c.notNull())
        .addColumn('result', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('image_id', 'varchar(36)')
        .addColumn('request_id', 'varchar(64)')
        .addColumn('user_id', 'varchar(64)')
        .addColumn('expires_at', 'varchar(32)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ix_tasks_owner').on('tasks').column('owner').execute();
      await db.schema.createIndex('ix_tasks_image_id').on('tasks').column('image_id').execute();
    },
  },
];
