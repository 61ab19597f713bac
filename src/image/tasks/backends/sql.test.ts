// The task backend contract on SQLite, PostgreSQL and MariaDB.
import { after, before, beforeEach, describe } from 'node:test';
import { migrateDatabase, openDatabase, sql } from '../../../common/db/index.js';
import type { Database } from '../../../common/db/index.js';
import { testDatabaseTargets } from '../../../common/db/testing.js';
import { taskBackendContract } from '../backend.contract.js';
import { taskMigrations } from '../migrations.js';
import { SqlTaskBackend } from './sql.js';
import type { TaskTables } from './sql.js';

for (const target of await testDatabaseTargets()) {
  describe(`SqlTaskBackend on ${target.dialect}`, { skip: target.skipReason }, () => {
    let database: Database<TaskTables>;
    let drop: () => Promise<void>;

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      database = openDatabase<TaskTables>(created.url);
      await migrateDatabase(database, 'image', taskMigrations);
    });
    after(async () => {
      await database.close();
      await drop();
    });
    beforeEach(async () => {
      await sql`delete from tasks`.execute(database.db);
    });

    taskBackendContract(async () => new SqlTaskBackend(database.db));
  });
}
