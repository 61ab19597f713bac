// Test fixture: a TaskManager over SQLite in memory, migrated.
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { createAuthorizer } from '../../common/http/index.js';
import { Forbidden } from '../../common/errors/index.js';
import { Enforcer } from '../../common/policy/index.js';
import { imagePolicies } from '../images/index.js';
import { SqlTaskBackend } from './backends/sql.js';
import type { TaskTables } from './backends/sql.js';
import { TaskManager } from './manager.js';
import type { TaskManagerDeps } from './manager.js';
import { taskMigrations } from './migrations.js';

/** `context_is_admin` of the default image policies, as the service decides it. */
function defaultIsAdmin(): TaskManagerDeps['isAdmin'] {
  return createAuthorizer(new Enforcer({ defaults: imagePolicies }), { denied: (action) => new Forbidden(action) }).isAdmin;
}

/** A fresh TaskManager on an in-memory SQLite database, and a function closing it. */
export async function inMemoryTaskManager(options: Partial<Omit<TaskManagerDeps, 'backend'>> = {}): Promise<{ tasks: TaskManager; close: () => Promise<void> }> {
  const database = openDatabase<TaskTables>('sqlite:///:memory:');
  await migrateDatabase(database, 'image', taskMigrations);
  return { tasks: new TaskManager({ timeToLiveMs: 48 * 3600_000, isAdmin: defaultIsAdmin(), ...options, backend: new SqlTaskBackend(database.db) }), close: () => database.close() };
}
