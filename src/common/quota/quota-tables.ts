// The two tables the quota engine keeps in each service's own database: per-project limit
// overrides, and one lock row per project that serializes quota checks.

import type { Kysely } from 'kysely';

export interface QuotaTables {
  /** A project's own limit for one resource, replacing the configured default. */
  quota_limit: { project_id: string; resource: string; hard_limit: number };
  /** One row per project that ever had a quota checked; locked for the length of a check. */
  quota_lock: { project_id: string; version: number };
}

/** Creates the quota tables; call it from one of the service's versioned migrations. */
export async function createQuotaTables<DB>(db: Kysely<DB>): Promise<void> {
  await db.schema.createTable('quota_limit')
    .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
    .addColumn('resource', 'varchar(255)', (c) => c.notNull())
    .addColumn('hard_limit', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('pk_quota_limit', ['project_id', 'resource'])
    .execute();
  await db.schema.createTable('quota_lock')
    .addColumn('project_id', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
}
