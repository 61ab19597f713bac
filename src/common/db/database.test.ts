// The database layer on every dialect this machine has: migrations, idempotence, round trips.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase, migrateDatabase, parseConnectionUrl, redact } from './index.js';
import type { ServiceMigration } from './index.js';
import { testDatabaseTargets } from './testing.js';

interface Schema { widget: { id: string; name: string; enabled: number; size: number } }

const migrations: ServiceMigration[] = [
  { name: '001_widget', up: async (db) => {
    await db.schema.createTable('widget')
      .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(255)', (c) => c.notNull().unique())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .execute();
  } },
  { name: '002_widget_size', up: async (db) => {
    await db.schema.alterTable('widget').addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  } },
];

describe('parseConnectionUrl', () => {
  it('reads the SQLAlchemy forms operators write', () => {
    assert.deepEqual(parseConnectionUrl('sqlite:////var/lib/x.db'), { dialect: 'sqlite', filename: '/var/lib/x.db' });
    assert.deepEqual(parseConnectionUrl('sqlite:///:memory:'), { dialect: 'sqlite', filename: ':memory:' });
    const my = parseConnectionUrl('mysql+pymysql://keystone:s3cret@db.local/keystone');
    assert.equal(my.dialect, 'mysql');
    assert.equal(my.port, 3306);
    assert.equal(my.password, 's3cret');
    assert.equal(parseConnectionUrl('postgresql://u@h:6543/d').port, 6543);
  });
  it('refuses what it cannot use, without leaking the password', () => {
    assert.throws(() => parseConnectionUrl('oracle://u:pw@h/d'), /unsupported scheme "oracle"/);
    assert.throws(() => parseConnectionUrl('not a url'), /is not a URL/);
    assert.throws(() => parseConnectionUrl('postgresql://u:topsecret@h/'), (e: Error) => !e.message.includes('topsecret'));
    assert.equal(redact('mysql://u:pw@h/d'), 'mysql://u:***@h/d');
  });
});

for (const target of await testDatabaseTargets()) {
  describe(`database on ${target.dialect}`, { skip: target.skipReason }, () => {
    it('migrates once, round-trips rows and enforces uniqueness', async () => {
      const { url, drop } = await target.create();
      const database = openDatabase<Schema>(url);
      try {
        assert.deepEqual(await migrateDatabase(database, 'test', migrations), ['001_widget', '002_widget_size']);
        assert.deepEqual(await migrateDatabase(database, 'test', migrations), []);
        await database.db.insertInto('widget').values({ id: 'a', name: 'one', enabled: 1, size: 2 ** 40 }).execute();
        const row = await database.db.selectFrom('widget').selectAll().where('id', '=', 'a').executeTakeFirstOrThrow();
        assert.deepEqual({ ...row, size: Number(row.size) }, { id: 'a', name: 'one', enabled: 1, size: 2 ** 40 });
        await assert.rejects(database.db.insertInto('widget').values({ id: 'b', name: 'one', enabled: 0, size: 0 }).execute());
      } finally {
        await database.close();
        await drop();
      }
    });
  });
}
