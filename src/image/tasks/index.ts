// Public surface of image tasks: the manager, its storage contract and SQL backend, migrations.
export { TaskManager } from './manager.js';
export type { NewTask, TaskManagerDeps } from './manager.js';
export type { TaskBackend, TaskChanges, TaskFilters } from './backend.js';
export { SqlTaskBackend } from './backends/sql.js';
export type { TaskTables } from './backends/sql.js';
export { taskMigrations } from './migrations.js';
export { runImportTask } from './import-task.js';
export type { ImportTaskDeps, TaskImageRecords } from './import-task.js';
export { TaskNotFound } from './errors.js';
