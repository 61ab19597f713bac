// The resource backend contract on SQLite, PostgreSQL and MariaDB.
import { after, before, beforeEach, describe } from 'node:test';
import { migrateDatabase, openDatabase, sql } from '../../../common/db/index.js';
import type { Database } from '../../../common/db/index.js';
import { testDatabaseTargets } from '../../../common/db/testing.js';
import { resourceBackendContract } from '../backend.contract.js';
import { resourceMigrations } from '../migrations.js';
import { SqlResourceBackend } from './sql.js';
import type { ResourceTables } from './sql.js';

for (const target of await testDatabaseTargets()) {
  describe(`SqlResourceBackend on ${target.dialect}`, { skip: target.skipReason }, () => {
    let database: Database<ResourceTables>;
    let drop: () => Promise<void>;

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      database = openDatabase<ResourceTables>(created.url);
      await migrateDatabase(database, 'identity', resourceMigrations);
    });
    after(async () => {
      await database.close();
      await drop();
    });
    beforeEach(async () => {
      await sql`delete from project_tag`.execute(database.db);
      await sql`delete from project`.execute(database.db);
    });

    resourceBackendContract(async () => new SqlResourceBackend(database.db));
  });
}
