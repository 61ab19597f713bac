// GET /v2/images at scale: seeds N images in a SQLite file, then times 25-image pages through
// ImageManager.listImages (the code behind the API) — the first page, a marker page in the
// middle, a page sorted by name and a tag-filtered page, as an admin and as a project member —
// and prints SQLite's EXPLAIN QUERY PLAN of each query, which shows whether the page is read
// through an index (SEARCH/SCAN ... USING INDEX, stopping at the limit) or by reading and
// sorting the whole table (SCAN image + USE TEMP B-TREE FOR ORDER BY).
//
//   node --import tsx bench/image-list.ts [N...]    (default 100000; plans printed for the last N)

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateDatabase } from '../src/common/db/index.js';
import { ImageManager, SqlImageBackend, imageMigrations } from '../src/image/images/index.js';
import type { ImageContext, ImageListQuery, ImageTables } from '../src/image/images/index.js';

const SIZES = process.argv.slice(2).map(Number);
if (SIZES.length === 0) SIZES.push(100_000);
const PROJECTS = 100;
// 70% private, 10% each public, shared and community.
const VISIBILITIES = ['private', 'private', 'private', 'private', 'private', 'private', 'private', 'public', 'shared', 'community'];

type Query = { sql: string; parameters: readonly unknown[] };

function uuid(i: number): string {
  return `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
}

function seed(sqlite: SqliteDatabase.Database, n: number): void {
  const base = Date.UTC(2026, 0, 1);
  const image = sqlite.prepare(`insert into image (id, name, status, visibility, protected, os_hidden, owner, disk_format, container_format,
    min_disk, min_ram, size, virtual_size, checksum, os_hash_algo, os_hash_value, store_location, created_at, updated_at)
    values (?, ?, 'active', ?, 0, 0, ?, 'qcow2', 'bare', 0, 0, ?, null, null, null, null, null, ?, ?)`);
  const tag = sqlite.prepare('insert into image_tag (image_id, value) values (?, ?)');
  const member = sqlite.prepare(`insert into image_member (image_id, member, status, created_at, updated_at) values (?, ?, 'accepted', ?, ?)`);
  sqlite.transaction(() => {
    for (let i = 0; i < n; i += 1) {
      const at = new Date(base + i * 1000).toISOString();
      const visibility = VISIBILITIES[i % VISIBILITIES.length]!;
      image.run(uuid(i), `image-${(i * 7919) % n}`, visibility, `project-${i % PROJECTS}`, i % 3 === 0 ? null : i * 1024, at, at);
      if (i % 20 === 7) tag.run(uuid(i), 'gold');
      if (visibility === 'shared' && i % 20 === 8) member.run(uuid(i), 'project-1', at, at);
    }
  })();
  sqlite.exec('analyze');
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function run(n: number, showPlans: boolean): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tstack-image-list-'));
  const sqlite = new SqliteDatabase(join(dir, 'image.db'));
  sqlite.pragma('journal_mode = WAL');
  let last: Query | undefined;
  const db = new Kysely<ImageTables>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: (event) => {
      if (event.level === 'query' && event.query.sql.startsWith('select "image".*')) last = { sql: event.query.sql, parameters: event.query.parameters };
    },
  });
  await migrateDatabase({ db, dialect: 'sqlite', close: () => db.destroy() }, 'image', imageMigrations);
  const seedStart = performance.now();
  seed(sqlite, n);
  console.log(`\n${n} images (SQLite file, ${PROJECTS} projects, seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s)`);

  const images = new ImageManager({ backend: new SqlImageBackend(db), quotas: { imageCountTotal: 1_000_000, imageSizeTotal: 2 ** 50 } });
  const measure = async (label: string, context: ImageContext, query: ImageListQuery) => {
    const times: number[] = [];
    let count = 0;
    for (let i = 0; i < 15; i += 1) {
      const start = performance.now();
      count = (await images.listImages(context, query)).images.length;
      times.push(performance.now() - start);
    }
    console.log(`  ${label.padEnd(42)} ${median(times).toFixed(2).padStart(7)} ms  (${count} images, median of ${times.length})`);
    if (showPlans && last) {
      const plan = sqlite.prepare(`explain query plan ${last.sql}`).all(...(last.parameters as unknown[])) as { detail: string }[];
      for (const row of plan) console.log(`      plan: ${row.detail}`);
    }
  };
  const admin: ImageContext = { projectId: 'admin', roles: ['admin'] };
  const member: ImageContext = { projectId: 'project-1', roles: ['member'] };
  // A public image half-way through the default order, so both callers may use it as marker.
  const middle = uuid(Math.floor(n / 20) * 10 + 7);
  const page = { filters: {}, limit: 25 };
  for (const [who, context] of [['admin', admin], ['member', member]] as const) {
    await measure(`${who}: first page`, context, page);
    await measure(`${who}: middle page (marker)`, context, { ...page, marker: middle });
    await measure(`${who}: middle page, sort=name:asc`, context, { ...page, sort: [{ key: 'name', dir: 'asc' }], marker: middle });
    await measure(`${who}: first page, tag=gold`, context, { ...page, filters: { tags: { all: ['gold'] } } });
  }
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
}

for (const [index, n] of SIZES.entries()) await run(n, index === SIZES.length - 1);
