// Which SQL dialect a Kysely instance speaks, read from its adapter, so shared query helpers
// (listing, quotas) can pick dialect-specific syntax without the caller passing it around.

import { MysqlAdapter, PostgresAdapter, SqliteAdapter } from 'kysely';
import type { Kysely } from 'kysely';
import type { DialectName } from './connection-url.js';

/** The dialect of `db`; a transaction reports the dialect of the database it runs on. */
export function dialectOf<DB>(db: Kysely<DB>): DialectName {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgresql';
  if (adapter instanceof MysqlAdapter) return 'mysql';
  if (adapter instanceof SqliteAdapter) return 'sqlite';
  throw new TypeError(`Unsupported Kysely dialect adapter: ${adapter.constructor.name}`);
}
