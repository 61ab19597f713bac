// The SQL application credential backend on every dialect this machine offers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrateDatabase, openDatabase } from '../../../common/db/index.js';
import type { Database } from '../../../common/db/index.js';
import { testDatabaseTargets } from '../../../common/db/testing.js';
import { Conflict, NotFound } from '../../errors.js';
import { applicationCredentialMigrations } from '../migrations.js';
import type { StoredApplicationCredential } from '../model.js';
import { SqlApplicationCredentialBackend } from './sql.js';
import type { ApplicationCredentialTables } from './sql.js';

function credential(id: string, fields: Partial<StoredApplicationCredential> = {}): StoredApplicationCredential {
  return {
    id, name: `name-${id}`, description: null, userId: 'u1', projectId: 'p1',
    roles: [{ id: 'r-member', name: 'member', domainId: null }, { id: 'r-reader', name: 'reader', domainId: null }],
    expiresAt: null, unrestricted: false, accessRules: [], secretHash: `hash-${id}`, ...fields,
  };
}

for (const target of await testDatabaseTargets()) {
  describe(`SqlApplicationCredentialBackend on ${target.dialect}`, { skip: target.skipReason }, () => {
    let database: Database<ApplicationCredentialTables>;
    let drop: () => Promise<void>;
    let backend: SqlApplicationCredentialBackend;

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      database = openDatabase<ApplicationCredentialTables>(created.url);
      await migrateDatabase(database, 'identity', applicationCredentialMigrations);
      backend = new SqlApplicationCredentialBackend(database.db);
    });
    after(async () => {
      await database.close();
      await drop();
    });

    it('round-trips every field, roles and access rules included', async () => {
      const full = credential('c1', {
        description: 'monitoring', expiresAt: new Date('2031-02-27T18:30:59.123Z'), unrestricted: true,
        accessRules: [{ id: 'ar1', service: 'compute', path: '/v2.1/servers', method: 'GET' }],
      });
      await backend.create(full);
      assert.deepEqual(await backend.get('c1'), full);
      await backend.create(credential('c0', { roles: [] }));
      assert.deepEqual((await backend.get('c0')).roles, []);
      await assert.rejects(backend.get('ghost'), (e: unknown) => e instanceof NotFound && e.message === 'Could not find Application Credential: ghost.');
    });

    it('keeps names unique per user, and only per user', async () => {
      await assert.rejects(backend.create(credential('c2', { name: 'name-c1' })), (e: unknown) =>
        e instanceof Conflict && e.message === 'Conflict occurred attempting to store application_credential - Duplicate entry found with name name-c1.');
      await assert.rejects(backend.get('c2'), NotFound);
      await backend.create(credential('c3', { name: 'name-c1', userId: 'u2', projectId: 'p2' }));
      // Names compare exactly: utf8mb4_bin on MariaDB, as on the other two.
      await backend.create(credential('c4', { name: 'NAME-C1' }));
    });

    it('lists per user, filters by name and finds by name', async () => {
      assert.deepEqual((await backend.listForUser('u1', {})).map((c) => c.id).sort(), ['c0', 'c1', 'c4']);
      assert.deepEqual((await backend.listForUser('u1', { name: 'name-c1' })).map((c) => c.id), ['c1']);
      assert.equal((await backend.findByName('u2', 'name-c1'))?.id, 'c3');
      assert.equal(await backend.findByName('u2', 'nope'), undefined);
      assert.deepEqual(await backend.listForUser('nobody', {}), []);
    });

    it('deletes one, per user and per project', async () => {
      await backend.delete('c4');
      await assert.rejects(backend.delete('c4'), NotFound);
      await backend.deleteForProject('p2');
      await assert.rejects(backend.get('c3'), NotFound);
      await backend.deleteForUser('u1');
      assert.deepEqual(await backend.listForUser('u1', {}), []);
      const orphans = await database.db.selectFrom('application_credential_role').selectAll().execute();
      assert.deepEqual(orphans, []);
      await backend.deleteForUser('u1');
    });
  });
}
