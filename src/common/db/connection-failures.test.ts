// A database that cannot be reached surfaces as DatabaseUnavailable (a 503), on every dialect;
// an error in the query itself does not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { ServiceUnavailable } from '../errors/index.js';
import { ConnectionFailureDialect, DatabaseUnavailable, isConnectionFailure } from './connection-failures.js';
import { openDatabase } from './database.js';

describe('database connection failures', () => {
  it('turns SQLITE_BUSY into DatabaseUnavailable, and leaves a bad query alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tstack-busy-'));
    const file = join(dir, 'x.db');
    const holder = new SqliteDatabase(file);
    holder.exec('create table t (x integer)');
    const waiter = new SqliteDatabase(file);
    waiter.pragma('busy_timeout = 0');
    const db = new Kysely<unknown>({ dialect: new ConnectionFailureDialect(new SqliteDialect({ database: waiter })) });
    try {
      holder.exec('begin exclusive');
      const busy = await sql`insert into t (x) values (1)`.execute(db).then(() => undefined, (error: unknown) => error);
      assert.ok(busy instanceof DatabaseUnavailable, String(busy));
      assert.ok(busy instanceof ServiceUnavailable);
      assert.equal(busy.status, 503);
      assert.equal((busy.cause as { code?: string }).code, 'SQLITE_BUSY');
      holder.exec('rollback');
      const syntax = await sql`selec nonsense`.execute(db).then(() => undefined, (error: unknown) => error);
      assert.ok(syntax instanceof Error);
      assert.ok(!(syntax instanceof DatabaseUnavailable));
    } finally {
      await db.destroy();
      holder.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns SQLITE_CANTOPEN into DatabaseUnavailable when the database is opened', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tstack-cantopen-'));
    try {
      // A directory where the database file should be: SQLite cannot open it.
      assert.throws(() => openDatabase<unknown>(`sqlite:///${dir}`), (error: unknown) => error instanceof DatabaseUnavailable && isConnectionFailure(error.cause));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const url of ['postgresql://postgres@127.0.0.1:1/nothing', 'mysql://root@127.0.0.1:1/nothing']) {
    it(`turns a refused connection into DatabaseUnavailable (${url.split(':')[0]})`, async () => {
      const database = openDatabase<unknown>(url);
      try {
        await assert.rejects(sql`select 1`.execute(database.db), (error: unknown) => error instanceof DatabaseUnavailable && /unavailable/.test(error.message));
      } finally {
        await database.close();
      }
    });
  }
});
