// Public surface of the database layer: connection URLs, opening a database, migrations.
export { parseConnectionUrl, redact, InvalidConnectionUrl } from './connection-url.js';
export type { ConnectionSettings, DialectName } from './connection-url.js';
export { openDatabase, migrateDatabase, MigrationFailed } from './database.js';
export type { Database, ServiceMigration } from './database.js';
export { sql } from 'kysely';
export type { Kysely, Transaction, Selectable, Insertable, Updateable } from 'kysely';
export { isUniqueViolation } from './unique-violation.js';
export { dialectOf } from './dialect-of.js';
export { DatabaseUnavailable, isConnectionFailure } from './connection-failures.js';
