// The quota engine on SQLite, PostgreSQL and MariaDB: defaults and overrides, usage detail,
// headroom, and racing requests at the limit of which exactly one passes.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../db/index.js';
import type { Database } from '../db/index.js';
import { testDatabaseTargets } from '../db/testing.js';
import { QuotaEngine, QuotaExceeded, createQuotaTables } from './index.js';
import type { QuotaTables } from './index.js';

interface Tables extends QuotaTables {
  volume: { id: string; project_id: string; size: number };
}

function engineOf(database: Database<Tables>): QuotaEngine<Tables> {
  return new QuotaEngine<Tables>({
    db: database.db,
    counters: {
      volumes: async (db, project) => Number((await db.selectFrom('volume').select((eb) => eb.fn.countAll().as('n'))
        .where('project_id', '=', project).executeTakeFirst())?.n ?? 0),
      gigabytes: async (db, project) => Number((await db.selectFrom('volume').select((eb) => eb.fn.sum('size').as('n'))
        .where('project_id', '=', project).executeTakeFirst())?.n ?? 0),
    },
  });
}

for (const target of await testDatabaseTargets()) {
  describe(`QuotaEngine on ${target.dialect}`, { skip: target.skipReason }, () => {
    let database: Database<Tables>;
    let drop: () => Promise<void>;
    let engine: QuotaEngine<Tables>;
    let counter = 0;
    const create = (project: string, size: number, defaults: Record<string, number>) => engine.enforce(
      project, { volumes: 1, gigabytes: size }, defaults,
      async (trx) => { await trx.insertInto('volume').values({ id: `v${(counter += 1)}`, project_id: project, size }).execute(); },
    );

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      database = openDatabase<Tables>(created.url);
      await createQuotaTables(database.db);
      await database.db.schema.createTable('volume')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .execute();
      engine = engineOf(database);
    });
    after(async () => {
      await database.close();
      await drop();
    });
    beforeEach(async () => {
      for (const table of ['volume', 'quota_limit', 'quota_lock']) await sql.raw(`delete from ${table}`).execute(database.db);
    });

    it('lets exactly one of several racing requests take the last unit', async () => {
      const defaults = { volumes: 3 };
      await create('p1', 1, defaults);
      await create('p1', 1, defaults);
      const results = await Promise.allSettled(Array.from({ length: 6 }, () => create('p1', 1, defaults)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof QuotaExceeded, String(r.reason));
      assert.deepEqual((await engine.usage('p1', defaults))[0], { resource: 'volumes', limit: 3, inUse: 3 });
    });

    it('serializes a first-ever check for a project too (no lock row yet)', async () => {
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => create('fresh', 10, { gigabytes: 25 })));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    });

    it('reports limit and usage, honours overrides, and refuses past a limit with the detail', async () => {
      const defaults = { volumes: 10, gigabytes: 100 };
      await create('p2', 40, defaults);
      await create('p2', 50, defaults);
      assert.deepEqual(await engine.usage('p2', defaults), [
        { resource: 'volumes', limit: 10, inUse: 2 }, { resource: 'gigabytes', limit: 100, inUse: 90 },
      ]);
      assert.equal(await engine.headroom('p2', 'gigabytes', defaults), 10);
      assert.equal(await engine.headroom('p2', 'gigabytes', {}), null);
      const refused = await create('p2', 11, defaults).then(() => undefined, (error: unknown) => error);
      assert.ok(refused instanceof QuotaExceeded);
      assert.deepEqual([refused.resource, refused.limit, refused.inUse, refused.delta], ['gigabytes', 100, 90, 11]);
      assert.match(refused.message, /Resource gigabytes is over limit of 100 due to current usage 90 and delta 11/);
      assert.equal((await engine.usage('p2', defaults))[0]?.inUse, 2, 'nothing written when refused');

      await engine.setLimit('p2', 'gigabytes', 200);
      await engine.setLimit('p2', 'gigabytes', 150);
      await create('p2', 11, defaults);
      assert.deepEqual((await engine.usage('p2', defaults))[1], { resource: 'gigabytes', limit: 150, inUse: 101 });
      assert.equal((await engine.usage('p3', defaults))[1]?.limit, 100, 'an override is per project');
      await engine.setLimit('p2', 'volumes', -1);
      assert.equal(await engine.headroom('p2', 'volumes', defaults), null);
      await engine.clearLimit('p2', 'gigabytes');
      assert.equal(await engine.headroom('p2', 'gigabytes', defaults), 0);
      await assert.rejects(engine.setLimit('p2', 'nonsense', 1), TypeError);
    });
  });
}
