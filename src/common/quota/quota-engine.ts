// Per-project quotas over a service's own database (nova/quota.py, cinder/quota.py and
// oslo.limit's enforcer, without Keystone unified limits): limits are the service's defaults
// from config unless a per-project override is stored, usage is counted from the service's
// own tables by one counting function per resource, and a check runs under a per-project lock
// in the same transaction as the write it guards, so two racing requests cannot both take the
// last unit.
//
// No reservations: a resource whose amount is only known at the end (image data) is checked
// when it is recorded, in the transaction that records it; until then a caller may bound the
// work by `headroom`. Two concurrent uploads may therefore both start, but only those that
// still fit when they finish are recorded.

import type { Kysely, Transaction } from 'kysely';
import { dialectOf } from '../db/index.js';
import { TstackError } from '../errors/index.js';
import type { QuotaTables } from './quota-tables.js';

/** Counts a project's current use of one resource, inside the caller's transaction when given one. */
export type QuotaCounter<DB> = (db: Kysely<DB>, projectId: string) => Promise<number>;

/** A resource's limit; -1 means unlimited, as in OpenStack's quota APIs. */
export type QuotaLimits = Readonly<Record<string, number>>;

/** One line of `quota show --usage`: the limit and what the project uses now. */
export interface QuotaDetail {
  readonly resource: string;
  /** -1: unlimited. */
  readonly limit: number;
  readonly inUse: number;
}

/** 413 by default: a request would take a project past a limit. Services may translate it. */
export class QuotaExceeded extends TstackError {
  readonly status = 413;
  readonly title = 'Request Entity Too Large';
  constructor(
    readonly projectId: string,
    readonly resource: string,
    readonly limit: number,
    readonly inUse: number,
    readonly delta: number,
  ) {
    super(`Project ${projectId} is over a limit for [Resource ${resource} is over limit of ${limit} due to current usage ${inUse} and delta ${delta}]`);
  }
}

export interface QuotaEngineDeps<DB> {
  /** The service's database; its schema must include QuotaTables (createQuotaTables). */
  readonly db: Kysely<DB & QuotaTables>;
  /** How to count each resource from the service's own tables. */
  readonly counters: Readonly<Record<string, QuotaCounter<DB & QuotaTables>>>;
}

export class QuotaEngine<DB> {
  constructor(private readonly deps: QuotaEngineDeps<DB>) {}

  /** Resources this engine counts. */
  get resources(): string[] {
    return Object.keys(this.deps.counters);
  }

  /**
   * Each resource's limit for `projectId`: its stored override, else `defaults[resource]`,
   * else unlimited (-1).
   */
  async limits(projectId: string, defaults: QuotaLimits, db: Kysely<DB & QuotaTables> = this.deps.db): Promise<Record<string, number>> {
    const overrides = await this.quotaDb(db).selectFrom('quota_limit').select(['resource', 'hard_limit'])
      .where('project_id', '=', projectId).execute();
    const limits: Record<string, number> = {};
    for (const resource of this.resources) limits[resource] = defaults[resource] ?? -1;
    for (const row of overrides) if (row.resource in limits) limits[row.resource] = Number(row.hard_limit);
    return limits;
  }

  /** Limit and usage of every resource for `projectId`, in the order the counters were given. */
  async usage(projectId: string, defaults: QuotaLimits): Promise<QuotaDetail[]> {
    const limits = await this.limits(projectId, defaults);
    const details: QuotaDetail[] = [];
    for (const resource of this.resources) {
      details.push({ resource, limit: limits[resource] ?? -1, inUse: await this.count(this.deps.db, resource, projectId) });
    }
    return details;
  }

  /** How much of `resource` the project may still take (0 when over), or null when unlimited. */
  async headroom(projectId: string, resource: string, defaults: QuotaLimits): Promise<number | null> {
    const limit = (await this.limits(projectId, defaults))[resource] ?? -1;
    if (limit < 0) return null;
    return Math.max(0, limit - (await this.count(this.deps.db, resource, projectId)));
  }

  /**
   * Runs `work` in a transaction once `projectId`'s use of each resource plus its delta fits
   * the limit. The project's quota row is locked first (SELECT ... FOR UPDATE on PostgreSQL
   * and MariaDB, a write that takes SQLite's database lock), so concurrent callers for the
   * same project check and write one after the other and each counts what the previous wrote.
   * `work` must write through the transaction it is given. Negative deltas are never refused.
   * @throws QuotaExceeded (nothing written) when a resource would pass its limit.
   */
  async enforce<T>(projectId: string, deltas: QuotaLimits, defaults: QuotaLimits, work: (trx: Transaction<DB & QuotaTables>) => Promise<T>): Promise<T> {
    await this.ensureLockRow(projectId);
    return this.deps.db.transaction().execute(async (trx) => {
      await this.lock(trx, projectId);
      const limits = await this.limits(projectId, defaults, trx);
      for (const [resource, delta] of Object.entries(deltas)) {
        if (!(resource in this.deps.counters)) throw new TypeError(`Unknown quota resource ${resource}`);
        const limit = limits[resource] ?? -1;
        if (limit < 0 || delta <= 0) continue;
        const inUse = await this.count(trx, resource, projectId);
        if (inUse + delta > limit) throw new QuotaExceeded(projectId, resource, limit, inUse, delta);
      }
      return work(trx);
    });
  }

  /** Stores a per-project limit that replaces the default (-1: unlimited). */
  async setLimit(projectId: string, resource: string, limit: number): Promise<void> {
    if (!(resource in this.deps.counters)) throw new TypeError(`Unknown quota resource ${resource}`);
    const db = this.quotaDb(this.deps.db);
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('quota_limit').where('project_id', '=', projectId).where('resource', '=', resource).execute();
      await trx.insertInto('quota_limit').values({ project_id: projectId, resource, hard_limit: limit }).execute();
    });
  }

  /** Drops a per-project limit, so the default applies again. Resolves when there is none. */
  async clearLimit(projectId: string, resource: string): Promise<void> {
    await this.quotaDb(this.deps.db).deleteFrom('quota_limit').where('project_id', '=', projectId).where('resource', '=', resource).execute();
  }

  private async count(db: Kysely<DB & QuotaTables>, resource: string, projectId: string): Promise<number> {
    const counter = this.deps.counters[resource];
    if (!counter) throw new TypeError(`Unknown quota resource ${resource}`);
    return Number(await counter(db, projectId));
  }

  /**
   * The same database seen through its quota tables only. Kysely cannot narrow a schema that
   * is a generic intersection, hence the one cast; QuotaEngineDeps requires these tables.
   */
  private quotaDb(db: Kysely<DB & QuotaTables>): Kysely<QuotaTables> {
    return db as unknown as Kysely<QuotaTables>;
  }

  /** Creates the project's lock row in its own statement, outside any transaction, if missing. */
  private async ensureLockRow(projectId: string): Promise<void> {
    const db = this.quotaDb(this.deps.db);
    const insert = db.insertInto('quota_lock').values({ project_id: projectId, version: 0 });
    // Outside the transaction, so two first-time callers never both hold a shared lock on the
    // new row and then deadlock upgrading it (InnoDB does that for INSERT IGNORE).
    if (dialectOf(db) === 'mysql') await insert.ignore().execute();
    else await insert.onConflict((oc) => oc.column('project_id').doNothing()).execute();
  }

  private async lock(trx: Transaction<DB & QuotaTables>, projectId: string): Promise<void> {
    const db = this.quotaDb(trx);
    if (dialectOf(db) === 'sqlite') {
      // SQLite has no row locks: the first write of a transaction takes the database's write
      // lock, which every other writer (in this process or another) waits for.
      await db.updateTable('quota_lock').set((eb) => ({ version: eb('version', '+', 1) })).where('project_id', '=', projectId).execute();
      return;
    }
    await db.selectFrom('quota_lock').select('project_id').where('project_id', '=', projectId).forUpdate().execute();
  }
}
