// SQL listing on SQLite, PostgreSQL and MariaDB: filters, multi-key sorts in mixed directions
// with NULLs, and marker pages that neither skip nor repeat rows while rows are inserted.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { openDatabase } from '../index.js';
import type { Database } from '../index.js';
import { testDatabaseTargets } from '../testing.js';
import { completeSort, pageQuery, readMarker, tagConditions, timeConditions } from './index.js';
import type { KeysetSpec, SortKey } from './index.js';

interface Tables {
  item: { id: string; name: string | null; size: number | null; created_at: string };
  item_tag: { item_id: string; value: string };
}
type Item = Tables['item'];
type Key = 'id' | 'name' | 'size' | 'created_at';

const SPEC: KeysetSpec<Key> = {
  columns: {
    id: { column: 'item.id' },
    name: { column: 'item.name', nullable: true },
    size: { column: 'item.size', nullable: true },
    created_at: { column: 'item.created_at' },
  },
  tieBreakers: ['id'],
};

/** 60 items with repeated and NULL names and sizes, and repeated times. */
function seedItems(): Item[] {
  const names = ['b', null, 'a', 'c', null, 'a'];
  return Array.from({ length: 60 }, (_, i) => ({
    id: `id-${String(i).padStart(3, '0')}`,
    name: names[i % names.length] ?? null,
    size: i % 4 === 0 ? null : (i * 7) % 5,
    created_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i % 9)).toISOString(),
  }));
}

/** The order the database must produce: NULL is the smallest value in either direction. */
function compare(sort: readonly SortKey<Key>[]): (a: Item, b: Item) => number {
  return (a, b) => {
    for (const { key, dir } of sort) {
      const x = a[key];
      const y = b[key];
      if (x === y) continue;
      const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return dir === 'asc' ? order : -order;
    }
    return 0;
  };
}

async function walk(db: Kysely<Tables>, sort: readonly SortKey<Key>[], limit: number, between?: (page: number) => Promise<void>): Promise<string[]> {
  const full = completeSort(SPEC, sort);
  const seen: string[] = [];
  let marker: string | undefined;
  for (let page = 0; page < 100; page += 1) {
    const values = marker === undefined ? undefined : await readMarker(db.selectFrom('item').selectAll(), SPEC, full, 'id', marker);
    const rows = await pageQuery(db, db.selectFrom('item').selectAll(), SPEC, { sort: full, limit, marker: values }).execute();
    seen.push(...rows.map((r) => r.id));
    if (rows.length < limit) return seen;
    marker = rows[rows.length - 1]!.id;
    await between?.(page);
  }
  throw new Error('paging did not end');
}

for (const target of await testDatabaseTargets()) {
  describe(`SQL listing on ${target.dialect}`, { skip: target.skipReason }, () => {
    let database: Database<Tables>;
    let drop: () => Promise<void>;
    let db: Kysely<Tables>;
    const items = seedItems();

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      database = openDatabase<Tables>(created.url);
      db = database.db;
      await db.schema.createTable('item')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)')
        .addColumn('size', 'bigint')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createTable('item_tag')
        .addColumn('item_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('value', 'varchar(255)', (c) => c.notNull())
        .addPrimaryKeyConstraint('pk_item_tag', ['item_id', 'value'])
        .execute();
    });
    after(async () => {
      await database.close();
      await drop();
    });
    beforeEach(async () => {
      await sql`delete from item_tag`.execute(db);
      await sql`delete from item`.execute(db);
      await db.insertInto('item').values(items).execute();
    });

    const sorts: SortKey<Key>[][] = [
      [{ key: 'created_at', dir: 'desc' }],
      [{ key: 'name', dir: 'asc' }, { key: 'size', dir: 'desc' }],
      [{ key: 'name', dir: 'desc' }, { key: 'size', dir: 'asc' }, { key: 'created_at', dir: 'desc' }],
      [{ key: 'size', dir: 'asc' }, { key: 'id', dir: 'desc' }],
      [{ key: 'size', dir: 'desc' }, { key: 'name', dir: 'desc' }],
    ];
    for (const sort of sorts) {
      const label = sort.map((s) => `${s.key}:${s.dir}`).join(',');
      it(`sorts by ${label} with NULLs smallest, and marker pages add up to the whole list`, async () => {
        const full = completeSort(SPEC, sort);
        const expected = [...items].sort(compare(full)).map((i) => i.id);
        const unpaged = await pageQuery(db, db.selectFrom('item').selectAll(), SPEC, { sort: full, limit: 1000 }).execute();
        assert.deepEqual(unpaged.map((r) => r.id), expected);
        for (const limit of [1, 7, 60]) assert.deepEqual(await walk(db, sort, limit), expected, `limit ${limit}`);
      });
    }

    it('neither skips nor repeats rows while rows are inserted between pages', async () => {
      const sort: SortKey<Key>[] = [{ key: 'name', dir: 'asc' }, { key: 'created_at', dir: 'desc' }];
      let added = 0;
      const seen = await walk(db, sort, 5, async (page) => {
        // New rows land before, inside and after the part already read.
        const fresh = ['a', null, 'z', 'b'].map((name, i) => ({
          id: `new-${page}-${i}`, name, size: null, created_at: new Date(Date.UTC(2026, 0, 2, 0, page, i)).toISOString(),
        }));
        await db.insertInto('item').values(fresh).execute();
        added += fresh.length;
      });
      assert.equal(new Set(seen).size, seen.length, 'a row came twice');
      for (const item of items) assert.ok(seen.includes(item.id), `${item.id} was skipped`);
      // Every row seen is in the final order, and in that order.
      const final = (await pageQuery(db, db.selectFrom('item').selectAll(), SPEC, { sort: completeSort(SPEC, sort), limit: 10_000 }).execute()).map((r) => r.id);
      assert.equal(final.length, items.length + added);
      assert.deepEqual(seen, final.filter((id) => seen.includes(id)));
    });

    it('reads no marker it cannot see', async () => {
      const sort = completeSort(SPEC, [{ key: 'name', dir: 'asc' }]);
      assert.equal(await readMarker(db.selectFrom('item').selectAll(), SPEC, sort, 'id', 'missing'), undefined);
      const scoped = db.selectFrom('item').selectAll().where('name', '=', 'a');
      assert.equal(await readMarker(scoped, SPEC, sort, 'id', 'id-000'), undefined);
      assert.deepEqual(await readMarker(scoped, SPEC, sort, 'id', 'id-002'), { name: 'a', id: 'id-002' });
    });

    it('filters by tags (all, any, not all, not any) and time', async () => {
      await db.insertInto('item_tag').values([
        { item_id: 'id-000', value: 'x' }, { item_id: 'id-000', value: 'y' },
        { item_id: 'id-001', value: 'x' }, { item_id: 'id-002', value: 'y' }, { item_id: 'id-003', value: 'z' },
      ]).execute();
      const table = { table: 'item_tag', resourceColumn: 'item_id', valueColumn: 'value', idColumn: 'item.id' };
      const ids = async (filter: Parameters<typeof tagConditions>[1]) => {
        const rows = await db.selectFrom('item').select('id').where((eb) => eb.and(tagConditions(table, filter))).where('id', '<', 'id-004').orderBy('id').execute();
        return rows.map((r) => r.id);
      };
      assert.deepEqual(await ids({ all: ['x', 'y'] }), ['id-000']);
      assert.deepEqual(await ids({ any: ['x', 'z'] }), ['id-000', 'id-001', 'id-003']);
      assert.deepEqual(await ids({ notAll: ['x', 'y'] }), ['id-001', 'id-002', 'id-003']);
      assert.deepEqual(await ids({ notAny: ['x', 'y'] }), ['id-003']);
      assert.deepEqual(await ids({ all: ['x'], notAny: ['y'] }), ['id-001']);
      const iso = (t: Date) => t.toISOString();
      const timed = await db.selectFrom('item').select('id').where((eb) => eb.and(timeConditions('item.created_at', [
        { op: 'gte', value: new Date(Date.UTC(2026, 0, 1, 0, 0, 7)) }, { op: 'neq', value: new Date(Date.UTC(2026, 0, 1, 0, 0, 8)) },
      ], iso))).execute();
      assert.deepEqual(timed.map((r) => r.id).sort(), items.filter((i) => i.created_at.endsWith('07.000Z')).map((i) => i.id));
    });
  });
}
