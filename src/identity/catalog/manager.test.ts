// CatalogManager on SQLite: references, region hierarchy, the token catalog and the ensure* helpers.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { NotFound } from '../errors.js';
import { SqlCatalogBackend } from './backends/sql.js';
import type { CatalogTables } from './backends/sql.js';
import { CircularRegionHierarchy, DuplicateRegion, InvalidEndpointUrl, MissingReference } from './errors.js';
import { CatalogManager } from './manager.js';
import { catalogMigrations } from './migrations.js';

async function newManager(): Promise<CatalogManager> {
  const database = openDatabase<CatalogTables>('sqlite:///:memory:');
  await migrateDatabase(database, 'identity', catalogMigrations);
  let n = 0;
  return new CatalogManager({ backend: new SqlCatalogBackend(database.db), newId: () => `id${++n}` });
}

describe('CatalogManager regions', () => {
  let catalog: CatalogManager;
  beforeEach(async () => { catalog = await newManager(); });

  it('generates ids, defaults the description and refuses duplicates', async () => {
    assert.deepEqual(await catalog.createRegion({}), { id: 'id1', description: '', parentRegionId: null, extra: {} });
    await catalog.createRegion({ id: 'RegionOne', description: null });
    await assert.rejects(catalog.createRegion({ id: 'RegionOne' }), (e: unknown) =>
      e instanceof DuplicateRegion && e.status === 409 && e.message === 'Conflict occurred attempting to store region - Duplicate ID, RegionOne..');
  });

  it('needs an existing parent', async () => {
    await assert.rejects(catalog.createRegion({ id: 'child', parentRegionId: 'ghost' }), (e: unknown) =>
      e instanceof NotFound && e.message === 'Could not find region: ghost.');
    await catalog.createRegion({ id: 'top' });
    await catalog.createRegion({ id: 'child', parentRegionId: 'top' });
    await assert.rejects(catalog.updateRegion('child', { parentRegionId: 'ghost' }), NotFound);
  });

  it('refuses loops in the hierarchy and keeps what an update leaves out', async () => {
    await catalog.createRegion({ id: 'a', description: 'A', extra: { x: 1 } });
    await catalog.createRegion({ id: 'b', parentRegionId: 'a' });
    await catalog.createRegion({ id: 'c', parentRegionId: 'b' });
    await assert.rejects(catalog.updateRegion('a', { parentRegionId: 'c' }), (e: unknown) =>
      e instanceof CircularRegionHierarchy && e.status === 400 && e.message === 'The specified parent region c would create a circular region hierarchy.');
    await assert.rejects(catalog.updateRegion('a', { parentRegionId: 'a' }), CircularRegionHierarchy);
    assert.deepEqual(await catalog.updateRegion('a', { extra: { y: 2 } }), { id: 'a', description: 'A', parentRegionId: null, extra: { x: 1, y: 2 } });
    assert.equal((await catalog.updateRegion('a', { description: null })).description, '');
    assert.equal((await catalog.updateRegion('c', { parentRegionId: null })).parentRegionId, null);
    assert.equal((await catalog.updateRegion('a', { parentRegionId: 'c' })).parentRegionId, 'c');
  });
});

describe('CatalogManager endpoints', () => {
  let catalog: CatalogManager;
  beforeEach(async () => { catalog = await newManager(); });

  it('checks the URL, the service and the region', async () => {
    const svc = await catalog.createService({ type: 'compute', name: 'nova' });
    await assert.rejects(catalog.createEndpoint({ interface: 'public', serviceId: svc.id, url: 'http://h/$(nope)s' }), InvalidEndpointUrl);
    await assert.rejects(catalog.createEndpoint({ interface: 'public', serviceId: 'ghost', url: 'http://h' }), (e: unknown) =>
      e instanceof MissingReference && e.status === 400 && e.message.startsWith('Expecting to find endpoint service_id in service table.'));
    await assert.rejects(catalog.createEndpoint({ interface: 'public', serviceId: svc.id, url: 'http://h', regionId: 'ghost' }), (e: unknown) =>
      e instanceof MissingReference && e.message.startsWith('Expecting to find endpoint region_id in region table.'));
    const ep = await catalog.createEndpoint({ interface: 'public', serviceId: svc.id, url: 'http://h' });
    assert.deepEqual(ep, { id: ep.id, interface: 'public', regionId: null, serviceId: svc.id, url: 'http://h', enabled: true, extra: {} });
    await assert.rejects(catalog.updateEndpoint(ep.id, { serviceId: 'ghost' }), MissingReference);
    await assert.rejects(catalog.updateEndpoint('ghost', { url: 'http://x' }), NotFound);
  });

  it('creates the region named by the legacy `region` attribute', async () => {
    const svc = await catalog.createService({ type: 'compute' });
    const ep = await catalog.createEndpoint({ interface: 'internal', serviceId: svc.id, url: 'http://h', legacyRegion: 'Old' });
    assert.equal(ep.regionId, 'Old');
    assert.equal((await catalog.getRegion('Old')).id, 'Old');
    assert.equal((await catalog.updateEndpoint(ep.id, { legacyRegion: 'Older' })).regionId, 'Older');
    assert.equal((await catalog.updateEndpoint(ep.id, { enabled: false })).regionId, 'Older');
    assert.equal((await catalog.updateEndpoint(ep.id, { regionId: null })).regionId, null);
  });
});

describe('CatalogManager.getV3Catalog', () => {
  it('lists enabled services with enabled endpoints, URLs filled in for the project', async () => {
    const catalog = await newManager();
    await catalog.createRegion({ id: 'RegionOne' });
    const swift = await catalog.createService({ type: 'object-store', name: 'swift' });
    const off = await catalog.createService({ type: 'off', name: 'off', enabled: false });
    const bare = await catalog.createService({ type: 'bare' });
    const pub = await catalog.createEndpoint({ interface: 'public', serviceId: swift.id, url: 'http://s/v1/AUTH_$(tenant_id)s', regionId: 'RegionOne' });
    const adm = await catalog.createEndpoint({ interface: 'admin', serviceId: swift.id, url: 'http://s/v1' });
    await catalog.createEndpoint({ interface: 'internal', serviceId: swift.id, url: 'http://s/v1', enabled: false });
    await catalog.createEndpoint({ interface: 'public', serviceId: off.id, url: 'http://off' });

    assert.deepEqual(await catalog.getV3Catalog('u1', 'p1'), [
      { id: swift.id, type: 'object-store', name: 'swift', endpoints: [
        { id: pub.id, interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: 'http://s/v1/AUTH_p1' },
        { id: adm.id, interface: 'admin', region: null, region_id: null, url: 'http://s/v1' },
      ] },
      { id: bare.id, type: 'bare', name: '', endpoints: [] },
    ].sort((a, b) => a.id.localeCompare(b.id)));
    const domainScoped = await catalog.getV3Catalog('u1');
    assert.deepEqual(domainScoped.find((s) => s.id === swift.id)?.endpoints.map((e) => e.id), [adm.id]);
  });
});

describe('CatalogManager ensure*', () => {
  it('creates once, then finds, and follows a changed URL', async () => {
    const catalog = await newManager();
    const svc = await catalog.ensureService({ type: 'identity', name: 'keystone' });
    assert.equal((await catalog.ensureService({ type: 'identity', name: 'keystone' })).id, svc.id);
    // keystone-manage bootstrap reuses a service of the same type under another name.
    assert.equal((await catalog.ensureService({ type: 'identity', name: 'renamed' })).id, svc.id);
    const first = await catalog.ensureEndpoint({ serviceId: svc.id, interface: 'public', url: 'http://a:5000/v3', regionId: 'RegionOne' });
    assert.equal((await catalog.getRegion('RegionOne')).id, 'RegionOne');
    const again = await catalog.ensureEndpoint({ serviceId: svc.id, interface: 'public', url: 'http://a:5000/v3', regionId: 'RegionOne' });
    assert.deepEqual(again, first);
    const moved = await catalog.ensureEndpoint({ serviceId: svc.id, interface: 'public', url: 'http://b:5000/v3', regionId: 'RegionOne' });
    assert.equal(moved.id, first.id);
    assert.equal(moved.url, 'http://b:5000/v3');
    await catalog.ensureEndpoint({ serviceId: svc.id, interface: 'internal', url: 'http://b:5000/v3', regionId: 'RegionOne' });
    assert.equal((await catalog.listEndpoints({ serviceId: svc.id })).length, 2);
    assert.equal((await catalog.ensureRegion('RegionOne', { description: 'ignored' })).description, '');
  });
});
