// Runs the UserBackend contract on SQLite, PostgreSQL and MariaDB.
import { describe } from 'node:test';
import { migrateDatabase, openDatabase } from '../../../common/db/index.js';
import { testDatabaseTargets } from '../../../common/db/testing.js';
import { describeUserBackendContract } from '../backend.contract.js';
import { userMigrations } from '../migrations.js';
import { SqlUserBackend } from './sql.js';
import type { UserTables } from './sql.js';

for (const target of await testDatabaseTargets()) {
  describe(`SqlUserBackend on ${target.dialect}`, { skip: target.skipReason }, () => {
    describeUserBackendContract(`sql/${target.dialect}`, async () => {
      const { url, drop } = await target.create();
      const database = openDatabase<UserTables>(url);
      await migrateDatabase(database, 'identity', userMigrations);
      return {
        backend: new SqlUserBackend(database.db),
        close: async () => {
          await database.close();
          await drop();
        },
      };
    });
  });
}
