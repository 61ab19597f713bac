// Test fixture: a TaskManager over SQLite in memory, migrated.
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { SqlTaskBackend } from './backends/sql.js';
import type { TaskTables } from './backends/sql.js';
import { TaskManager } from './manager.js';
import type { TaskManagerDeps } from './manager.js';
import { taskMigrations } from './migrations.js';

/** A fresh TaskManager on an in-memory SQLite database, and a function closing it. */
export async function inMemoryTaskManager(options: Partial<Omit<TaskManagerDeps, 'backend'>> = {}): Promise<{ tasks: TaskManager; close: () => Promise<void> }> {
  const database = openDatabase<TaskTables>('sqlite:///:memory:');
  await migrateDatabase(database, 'image', taskMigrations);
  return { tasks: new TaskManager({ timeToLiveMs: 48 * 3600_000, ...options, backend: new SqlTaskBackend(database.db) }), close: () => database.close() };
}
