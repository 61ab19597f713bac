// Opens a Kysely database over SQLite, PostgreSQL or MariaDB from a connection URL, and runs
// a service's versioned migrations. Each service owns its database and its migration table.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import type { Dialect, Migration, MigrationResultSet } from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import pg from 'pg';
import { ConnectionFailureDialect, asDatabaseError } from './connection-failures.js';
import { parseConnectionUrl } from './connection-url.js';
import type { ConnectionSettings, DialectName } from './connection-url.js';
import { TstackError } from '../errors/index.js';

export interface Database<Schema> {
  readonly db: Kysely<Schema>;
  readonly dialect: DialectName;
  close(): Promise<void>;
}

/** A versioned schema change; versions sort by name, so name them `001_initial`, `002_...`. */
export interface ServiceMigration {
  readonly name: string;
  up(db: Kysely<unknown>): Promise<void>;
}

export class MigrationFailed extends TstackError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
}

// PostgreSQL returns BIGINT and NUMERIC as strings by default; our counters fit in a double.
pg.types.setTypeParser(20, (value: string) => Number(value));

function buildDialect(settings: ConnectionSettings): Dialect {
  switch (settings.dialect) {
    case 'sqlite': {
      const filename = settings.filename ?? ':memory:';
      if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
      let sqlite: SqliteDatabase.Database;
      try {
        sqlite = new SqliteDatabase(filename);
      } catch (error) {
        throw asDatabaseError(error);
      }
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('foreign_keys = ON');
      // Several services and CLI commands may open the same file; wait rather than fail.
      sqlite.pragma('busy_timeout = 5000');
      return new SqliteDialect({ database: sqlite });
    }
    case 'postgresql': {
      const pool = new pg.Pool({
        host: settings.host, port: settings.port, user: settings.user ?? 'postgres',
        password: settings.password, database: settings.database, max: 10,
      });
      // A connection the server drops is an 'error' event on its client (and on the pool when
      // the client is idle); unheard, it would crash the process. Nothing is lost by hearing it
      // here: the query in flight, or the next one, fails with DatabaseUnavailable, and pg
      // replaces a client that is no longer queryable when it is released.
      pool.on('error', () => undefined);
      pool.on('connect', (client) => client.on('error', () => undefined));
      return new PostgresDialect({ pool });
    }
    case 'mysql':
      return new MysqlDialect({
        pool: createMysqlPool({
          host: settings.host, port: settings.port, user: settings.user ?? 'root',
          password: settings.password, database: settings.database, connectionLimit: 10,
          charset: 'utf8mb4', dateStrings: true,
        }),
      });
  }
}

/** Opens (but does not migrate) the database named by `connection`. */
export function openDatabase<Schema>(connection: string): Database<Schema> {
  const settings = parseConnectionUrl(connection);
  const db = new Kysely<Schema>({ dialect: new ConnectionFailureDialect(buildDialect(settings)) });
  return { db, dialect: settings.dialect, close: () => db.destroy() };
}

/**
 * Applies every migration of `service` not yet applied, in name order, each in its own
 * transaction where the database allows DDL in transactions. Idempotent.
 * Throws MigrationFailed naming the migration that failed.
 */
export async function migrateDatabase<Schema>(
  database: Database<Schema>,
  service: string,
  migrations: readonly ServiceMigration[],
): Promise<string[]> {
  const byName: Record<string, Migration> = {};
  for (const m of migrations) byName[m.name] = { up: (db) => m.up(db) };
  const migrator = new Migrator({
    db: database.db as unknown as Kysely<unknown>,
    provider: { getMigrations: async () => byName },
    migrationTableName: `${service}_migration`,
    migrationLockTableName: `${service}_migration_lock`,
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationFailed(`${service}: migration ${failed} failed: ${String((result.error as Error).message ?? result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
