// The SQL catalog backend on every dialect this machine offers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrateDatabase, openDatabase } from '../../../common/db/index.js';
import type { Database } from '../../../common/db/index.js';
import { testDatabaseTargets } from '../../../common/db/testing.js';
import { NotFound } from '../../errors.js';
import { DuplicateRegion, RegionDeletionError } from '../errors.js';
import { catalogMigrations } from '../migrations.js';
import type { Endpoint, Region, Service } from '../model.js';
import { SqlCatalogBackend } from './sql.js';
import type { CatalogTables } from './sql.js';

const region = (id: string, parentRegionId: string | null = null): Region => ({ id, description: `${id} desc`, parentRegionId, extra: {} });
const service = (id: string, type: string, name = ''): Service => ({ id, type, name, enabled: true, extra: {} });
const endpoint = (id: string, serviceId: string, regionId: string | null, iface: Endpoint['interface'] = 'public'): Endpoint =>
  ({ id, interface: iface, regionId, serviceId, url: `http://${id}/v1`, enabled: true, extra: {} });

for (const target of await testDatabaseTargets()) {
  describe(`SqlCatalogBackend on ${target.dialect}`, { skip: target.skipReason }, () => {
    let database: Database<CatalogTables>;
    let drop: () => Promise<void>;
    let backend: SqlCatalogBackend;

    before(async () => {
      const created = await target.create();
      drop = created.drop;
      database = openDatabase<CatalogTables>(created.url);
      await migrateDatabase(database, 'identity', catalogMigrations);
      backend = new SqlCatalogBackend(database.db);
    });
    after(async () => {
      await database.close();
      await drop();
    });

    it('round-trips regions with extra attributes and refuses duplicate ids', async () => {
      const one: Region = { id: 'RegionOne', description: '', parentRegionId: null, extra: { color: 'blue', nested: { a: [1, 2] } } };
      await backend.createRegion(one);
      assert.deepEqual(await backend.getRegion('RegionOne'), one);
      await assert.rejects(backend.createRegion(one), DuplicateRegion);
      // utf8mb4_bin and PostgreSQL compare case-sensitively, as ids should.
      await backend.createRegion(region('regionone'));
      await assert.rejects(backend.getRegion('nope'), (e: unknown) => e instanceof NotFound && e.message === 'Could not find region: nope.');
    });

    it('lists, filters and updates regions', async () => {
      await backend.createRegion(region('child-a', 'RegionOne'));
      await backend.createRegion(region('child-b', 'RegionOne'));
      assert.deepEqual((await backend.listRegions({ parentRegionId: 'RegionOne' })).map((r) => r.id), ['child-a', 'child-b']);
      assert.ok((await backend.listRegions({})).length >= 4);
      const updated = await backend.updateRegion({ ...region('child-b', null), description: 'moved', extra: { k: 'v' } });
      assert.deepEqual(await backend.getRegion('child-b'), updated);
      // Writing the same values again is no "not found" on MariaDB, which counts changed rows only.
      await backend.updateRegion(updated);
      await assert.rejects(backend.updateRegion(region('ghost')), NotFound);
    });

    it('deletes a region tree unless an endpoint still uses part of it', async () => {
      await backend.createRegion(region('top'));
      await backend.createRegion(region('mid', 'top'));
      await backend.createRegion(region('leaf', 'mid'));
      await backend.createService(service('svc-tree', 'compute'));
      await backend.createEndpoint(endpoint('ep-leaf', 'svc-tree', 'leaf'));
      await assert.rejects(backend.deleteRegion('top'), (e: unknown) => e instanceof RegionDeletionError && e.status === 403);
      assert.equal((await backend.getRegion('mid')).id, 'mid');
      await backend.deleteEndpoint('ep-leaf');
      await backend.deleteRegion('top');
      for (const id of ['top', 'mid', 'leaf']) await assert.rejects(backend.getRegion(id), NotFound);
      await assert.rejects(backend.deleteRegion('top'), NotFound);
    });

    it('round-trips services, filters them and deletes their endpoints with them', async () => {
      const svc: Service = { id: 'svc1', type: 'identity', name: 'keystone', enabled: false, extra: { description: 'Identity' } };
      await backend.createService(svc);
      await backend.createService(service('svc2', 'identity', 'other'));
      assert.deepEqual(await backend.getService('svc1'), svc);
      assert.deepEqual((await backend.listServices({ type: 'identity' })).map((s) => s.id), ['svc1', 'svc2']);
      assert.deepEqual((await backend.listServices({ type: 'identity', name: 'keystone' })).map((s) => s.id), ['svc1']);
      assert.deepEqual(await backend.updateService({ ...svc, enabled: true }), { ...svc, enabled: true });
      assert.equal((await backend.getService('svc1')).enabled, true);
      await backend.createEndpoint(endpoint('ep-svc1', 'svc1', 'RegionOne'));
      await backend.deleteService('svc1');
      await assert.rejects(backend.getEndpoint('ep-svc1'), NotFound);
      await assert.rejects(backend.deleteService('svc1'), (e: unknown) => e instanceof NotFound && e.message === 'Could not find service: svc1.');
    });

    it('round-trips endpoints and filters by interface, service and region', async () => {
      await backend.createService(service('svc3', 'image', 'glance'));
      const ep: Endpoint = { ...endpoint('ep1', 'svc3', 'RegionOne'), url: 'http://h/$(project_id)s', extra: { name: 'n' } };
      await backend.createEndpoint(ep);
      await backend.createEndpoint(endpoint('ep2', 'svc3', null, 'internal'));
      await backend.createEndpoint(endpoint('ep3', 'svc3', 'regionone', 'admin'));
      assert.deepEqual(await backend.getEndpoint('ep1'), ep);
      assert.deepEqual((await backend.listEndpoints({ serviceId: 'svc3' })).map((e) => e.id), ['ep1', 'ep2', 'ep3']);
      assert.deepEqual((await backend.listEndpoints({ interface: 'internal' })).map((e) => e.id), ['ep2']);
      assert.deepEqual((await backend.listEndpoints({ regionId: 'RegionOne' })).map((e) => e.id), ['ep1']);
      const moved = await backend.updateEndpoint({ ...ep, regionId: null, enabled: false });
      assert.deepEqual(await backend.getEndpoint('ep1'), moved);
      await backend.deleteEndpoint('ep1');
      await assert.rejects(backend.deleteEndpoint('ep1'), (e: unknown) => e instanceof NotFound && e.message === 'Could not find endpoint: ep1.');
    });
  });
}
