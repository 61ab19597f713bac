// Test fixtures: a fresh, empty database per test suite on each dialect this machine offers,
// so one backend suite runs on SQLite, PostgreSQL and MariaDB alike (as Kysely's tests do).

import { randomBytes } from 'node:crypto';
import { Kysely, MysqlDialect, PostgresDialect, sql } from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import pg from 'pg';
import type { DialectName } from './connection-url.js';

export interface TestDatabaseTarget {
  readonly dialect: DialectName;
  /** Why this dialect is unavailable here, or undefined when it can be used. */
  readonly skipReason: string | undefined;
  /** Creates an empty database and returns its URL and a function that drops it. */
  create(): Promise<{ url: string; drop: () => Promise<void> }>;
}

const PG_ADMIN_URL = process.env.TSTACK_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
const MYSQL_ADMIN_URL = process.env.TSTACK_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

function adminPg(): Kysely<unknown> {
  const u = new URL(PG_ADMIN_URL.replace(/^postgres(ql)?:/, 'http:'));
  return new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({
    host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'),
    password: u.password || undefined, database: u.pathname.slice(1) || 'postgres', max: 1,
    connectionTimeoutMillis: 3000 }) }) });
}

function adminMysql(): Kysely<unknown> {
  const u = new URL(MYSQL_ADMIN_URL.replace(/^(mysql|mariadb):/, 'http:'));
  return new Kysely({ dialect: new MysqlDialect({ pool: createMysqlPool({
    host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username || 'root'),
    password: u.password || undefined, connectionLimit: 1, connectTimeout: 3000 }) }) });
}

function withDatabase(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function probe(open: () => Kysely<unknown>): Promise<string | undefined> {
  const db = open();
  try {
    await sql`select 1`.execute(db);
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await db.destroy();
  }
}

function uniqueName(): string {
  return `tstack_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Every dialect, each with the reason it must be skipped here, if any. */
export async function testDatabaseTargets(): Promise<TestDatabaseTarget[]> {
  const pgProblem = process.env.TSTACK_TEST_SKIP_POSTGRES ? 'TSTACK_TEST_SKIP_POSTGRES is set' : await probe(adminPg);
  const myProblem = process.env.TSTACK_TEST_SKIP_MYSQL ? 'TSTACK_TEST_SKIP_MYSQL is set' : await probe(adminMysql);
  return [
    { dialect: 'sqlite', skipReason: undefined,
      create: async () => ({ url: 'sqlite:///:memory:', drop: async () => {} }) },
    { dialect: 'postgresql', skipReason: pgProblem && `PostgreSQL not reachable at ${PG_ADMIN_URL}: ${pgProblem}`,
      create: async () => {
        const name = uniqueName();
        const admin = adminPg();
        await sql.raw(`create database ${name}`).execute(admin);
        await admin.destroy();
        return { url: withDatabase(PG_ADMIN_URL, name), drop: async () => {
          const a = adminPg();
          await sql.raw(`drop database if exists ${name} with (force)`).execute(a);
          await a.destroy();
        } };
      } },
    { dialect: 'mysql', skipReason: myProblem && `MariaDB/MySQL not reachable at ${MYSQL_ADMIN_URL}: ${myProblem}`,
      create: async () => {
        const name = uniqueName();
        const admin = adminMysql();
        await sql.raw(`create database ${name} character set utf8mb4 collate utf8mb4_bin`).execute(admin);
        await admin.destroy();
        return { url: withDatabase(MYSQL_ADMIN_URL, name), drop: async () => {
          const a = adminMysql();
          await sql.raw(`drop database if exists ${name}`).execute(a);
          await a.destroy();
        } };
      } },
  ];
}
