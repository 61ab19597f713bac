// The image backend contract on SQLite, PostgreSQL and MariaDB.
import { after, before, beforeEach, describe } from 'node:test';
import { migrateDatabase, openDatabase, sql } from '../../../common/db/index.js';
import type { Database } from '../../../common/db/index.js';
import { testDatabaseTargets } from '../../../common/db/testing.js';
import { imageBackendContract } from '../backend.contract.js';
import { imageMigrations } from '../migrations.js';
import { SqlImageBackend } from './sql.js';
import type { ImageTables } from './sql.js';

for (const target of await testDatabaseTargets()) {
  describe(`SqlImageBackend on ${target.dialect}`, { skip: target.skipReason }, () => {
    let database: Database<ImageTables>;
    let drop: () => Promise<void>;

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      database = openDatabase<ImageTables>(created.url);
      await migrateDatabase(database, 'image', imageMigrations);
    });
    after(async () => {
      await database.close();
      await drop();
    });
    beforeEach(async () => {
      for (const table of ['image_member', 'image_tag', 'image_property', 'image', 'quota_limit', 'quota_lock', 'deleted_image']) await sql.raw(`delete from ${table}`).execute(database.db);
    });

    imageBackendContract(async () => new SqlImageBackend(database.db));
  });
}
