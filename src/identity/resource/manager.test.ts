// Keystone's resource rules in the manager: domains, the project hierarchy, tags and events.
import { beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { IdentityEvents } from '../events.js';
import type { IdentityEventMap } from '../events.js';
import { EntityNotFound, ForbiddenAction, ImmutableProjectTags, ImmutableResource, ProjectConflict, ValidationError } from './errors.js';
import { ResourceManager } from './manager.js';
import { resourceMigrations } from './migrations.js';
import { SqlResourceBackend } from './backends/sql.js';
import type { ResourceTables } from './backends/sql.js';

interface Fixture {
  readonly resource: ResourceManager;
  readonly emitted: string[];
}

async function fixture(options: { maxProjectTreeDepth?: number } = {}): Promise<Fixture> {
  const database = openDatabase<ResourceTables>('sqlite:///:memory:');
  await migrateDatabase(database, 'identity', resourceMigrations);
  const events = new IdentityEvents();
  const emitted: string[] = [];
  const record = (name: keyof IdentityEventMap) => events.on(name, async (payload) => { emitted.push(`${name}:${Object.values(payload).join()}`); });
  record('project.deleted');
  record('domain.deleted');
  let counter = 0;
  const resource = new ResourceManager({ backend: new SqlResourceBackend(database.db), events, newId: () => `id${++counter}`, ...options });
  await resource.ensureDomain({ id: 'default', name: 'Default', description: 'The default domain' });
  return { resource, emitted };
}

describe('ResourceManager domains', () => {
  let f: Fixture;
  beforeEach(async () => { f = await fixture(); });

  it('creates the bootstrap domain once', async () => {
    const again = await f.resource.ensureDomain({ id: 'default', name: 'Default', description: 'other' });
    assert.deepEqual(again, { id: 'default', name: 'Default', description: 'The default domain', enabled: true, tags: [], options: {}, extra: {} });
    assert.equal((await f.resource.listDomains()).length, 1);
  });

  it('finds domains by id and name, and refuses duplicate names', async () => {
    const d = await f.resource.createDomain({ name: ' Eng ', extra: { team: 'x' } });
    assert.equal(d.name, 'Eng');
    assert.equal((await f.resource.getDomainByName('Eng')).id, d.id);
    await assert.rejects(f.resource.createDomain({ name: 'Eng' }), ProjectConflict);
    await assert.rejects(f.resource.getDomain('nope'), { message: 'Could not find domain: nope.' });
    await assert.rejects(f.resource.getDomainByName('nope'), EntityNotFound);
    assert.deepEqual((await f.resource.listDomains({ name: 'Eng' })).map((x) => x.extra), [{ team: 'x' }]);
    assert.deepEqual((await f.resource.listDomainsByIds(['default', 'nope'])).map((x) => x.id), ['default']);
  });

  it('a domain is not a project of the domain listing, and a project is not a domain', async () => {
    const p = await f.resource.createProject({ name: 'p' });
    await assert.rejects(f.resource.getDomain(p.id), EntityNotFound);
    const asProject = await f.resource.getProject('default');
    assert.equal(asProject.isDomain, true);
    assert.deepEqual((await f.resource.listProjects({ isDomain: false })).map((x) => x.id), [p.id]);
  });

  it('deletes only disabled domains, with their projects, leaves first, then announces it', async () => {
    const d = await f.resource.createDomain({ name: 'Eng' });
    const top = await f.resource.createProject({ name: 'top', domainId: d.id });
    const child = await f.resource.createProject({ name: 'child', parentId: top.id });
    await assert.rejects(f.resource.deleteDomain(d.id), { message: 'Cannot delete a domain that is enabled, please disable it first.' });
    await f.resource.updateDomain(d.id, { enabled: false });
    await f.resource.deleteDomain(d.id);
    assert.deepEqual(f.emitted, [`project.deleted:${child.id}`, `project.deleted:${top.id}`, `domain.deleted:${d.id}`]);
    await assert.rejects(f.resource.getProject(top.id), EntityNotFound);
    await assert.rejects(f.resource.deleteDomain(d.id), EntityNotFound);
  });

  it('protects immutable domains', async () => {
    const d = await f.resource.createDomain({ name: 'Eng', options: { immutable: true } });
    await assert.rejects(f.resource.updateDomain(d.id, { enabled: false }), ImmutableResource);
    await assert.rejects(f.resource.updateDomain(d.id, { enabled: false, options: { immutable: false } }), ImmutableResource);
    await f.resource.updateDomain(d.id, { options: { immutable: false } });
    assert.deepEqual((await f.resource.updateDomain(d.id, { enabled: false })).options, { immutable: false });
  });
});

describe('ResourceManager projects', () => {
  let f: Fixture;
  beforeEach(async () => { f = await fixture({ maxProjectTreeDepth: 3 }); });

  it('puts a project under the default domain by default', async () => {
    const p = await f.resource.createProject({ name: 'web', description: 'd', tags: ['a'] });
    assert.deepEqual({ ...p, id: 'x' }, {
      id: 'x', name: 'web', domainId: 'default', parentId: 'default', description: 'd', enabled: true,
      isDomain: false, tags: ['a'], options: {}, extra: {},
    });
    assert.equal((await f.resource.getProjectByName('web', 'default')).id, p.id);
    await assert.rejects(f.resource.getProjectByName('web', 'other'), { message: 'Could not find project: web.' });
  });

  it('keeps names unique per domain', async () => {
    await f.resource.createProject({ name: 'web' });
    await assert.rejects(f.resource.createProject({ name: 'web' }), { status: 409 });
    const d = await f.resource.createDomain({ name: 'Other' });
    await f.resource.createProject({ name: 'web', domainId: d.id });
    const parent = await f.resource.createProject({ name: 'parent' });
    await assert.rejects(f.resource.createProject({ name: 'web', parentId: parent.id }), ProjectConflict);
  });

  it('ensureProject is idempotent', async () => {
    const first = await f.resource.ensureProject({ name: 'admin', domainId: 'default' });
    const second = await f.resource.ensureProject({ name: 'admin', domainId: 'default', description: 'x' });
    assert.equal(first.id, second.id);
  });

  it('builds a hierarchy within one domain', async () => {
    const d = await f.resource.createDomain({ name: 'Eng' });
    const a = await f.resource.createProject({ name: 'a', domainId: d.id });
    const b = await f.resource.createProject({ name: 'b', parentId: a.id });
    assert.equal(b.domainId, d.id);
    await assert.rejects(f.resource.createProject({ name: 'c', parentId: a.id, domainId: 'default' }), ValidationError);
    await assert.rejects(f.resource.createProject({ name: 'c', parentId: 'default', domainId: d.id }), /is acting as a domain/);
    await assert.rejects(f.resource.createProject({ name: 'c', parentId: 'nope' }), { message: 'Could not find project: nope.' });
    await assert.rejects(f.resource.createProject({ name: 'c', domainId: 'nope' }), { message: 'Could not find domain: nope.' });
  });

  it('limits the depth of the tree', async () => {
    const p1 = await f.resource.createProject({ name: 'p1' });
    const p2 = await f.resource.createProject({ name: 'p2', parentId: p1.id });
    const p3 = await f.resource.createProject({ name: 'p3', parentId: p2.id });
    await assert.rejects(f.resource.createProject({ name: 'p4', parentId: p3.id }), (e: Error) =>
      e instanceof ForbiddenAction && e.message === `Max hierarchy depth reached for ${p3.id} branch.`);
  });

  it('answers parents and subtree as lists and as nested ids', async () => {
    const a = await f.resource.createProject({ name: 'a' });
    const b = await f.resource.createProject({ name: 'b', parentId: a.id });
    const c = await f.resource.createProject({ name: 'c', parentId: b.id });
    const d = await f.resource.createProject({ name: 'd', parentId: a.id });
    assert.deepEqual(await f.resource.getProjectParentIds(c.id), [b.id, a.id]);
    assert.deepEqual((await f.resource.listProjectParents(c.id)).map((p) => p.id), [b.id, a.id, 'default']);
    assert.deepEqual(await f.resource.getProjectParentsAsIds(c.id), { [b.id]: { [a.id]: { default: null } } });
    assert.deepEqual(await f.resource.getProjectSubtreeIds(a.id), [b.id, d.id, c.id]);
    assert.deepEqual(await f.resource.getProjectSubtreeAsIds(a.id), { [b.id]: { [c.id]: null }, [d.id]: null });
    assert.equal(await f.resource.getProjectSubtreeAsIds(c.id), null);
    assert.equal(await f.resource.getProjectParentsAsIds('default'), null);
    await assert.rejects(f.resource.getProjectSubtreeIds('nope'), EntityNotFound);
    assert.deepEqual((await f.resource.listProjectsByIds([c.id, 'nope'])).map((p) => p.id), [c.id]);
  });

  it('keeps the enabled flags of a branch consistent', async () => {
    const a = await f.resource.createProject({ name: 'a' });
    const b = await f.resource.createProject({ name: 'b', parentId: a.id });
    await assert.rejects(f.resource.updateProject(a.id, { enabled: false }), /subtree contains enabled projects/);
    await f.resource.updateProject(b.id, { enabled: false });
    await f.resource.updateProject(a.id, { enabled: false });
    await assert.rejects(f.resource.updateProject(b.id, { enabled: true }), /since it has disabled parents/);
    await assert.rejects(f.resource.createProject({ name: 'c', parentId: a.id }), /branch containing a disabled project/);
    assert.equal(await f.resource.isProjectEnabled(a.id), false);
  });

  it('reports a project of a disabled domain as not enabled', async () => {
    const d = await f.resource.createDomain({ name: 'Eng' });
    const p = await f.resource.createProject({ name: 'p', domainId: d.id });
    assert.equal(await f.resource.isProjectEnabled(p.id), true);
    await f.resource.updateDomain(d.id, { enabled: false });
    assert.equal(await f.resource.isProjectEnabled(p.id), false);
  });

  it('refuses to move projects and merges extra attributes', async () => {
    const a = await f.resource.createProject({ name: 'a', extra: { x: 1 } });
    const b = await f.resource.createProject({ name: 'b' });
    await assert.rejects(f.resource.updateProject(b.id, { parentId: a.id }), ForbiddenAction);
    await assert.rejects(f.resource.updateProject(b.id, { domainId: 'other' }), { message: 'Cannot change Domain ID' });
    await assert.rejects(f.resource.updateProject(b.id, { isDomain: true }), ValidationError);
    const updated = await f.resource.updateProject(a.id, { name: ' renamed ', extra: { y: 2 }, parentId: 'default', domainId: 'default' });
    assert.equal(updated.name, 'renamed');
    assert.deepEqual(updated.extra, { x: 1, y: 2 });
    await assert.rejects(f.resource.updateProject(a.id, { name: 'b' }), ProjectConflict);
    await assert.rejects(f.resource.updateProject('nope', { name: 'x' }), EntityNotFound);
  });

  it('deletes leaves only and announces each deletion', async () => {
    const a = await f.resource.createProject({ name: 'a' });
    const b = await f.resource.createProject({ name: 'b', parentId: a.id });
    await assert.rejects(f.resource.deleteProject(a.id), /since it is not a leaf in the hierarchy/);
    await f.resource.deleteProject(b.id);
    await f.resource.deleteProject(a.id);
    assert.deepEqual(f.emitted, [`project.deleted:${b.id}`, `project.deleted:${a.id}`]);
    await assert.rejects(f.resource.deleteProject(a.id), EntityNotFound);
  });

  it('creates a domain through the project API', async () => {
    const d = await f.resource.createProject({ name: 'AsDomain', isDomain: true });
    assert.equal(d.isDomain, true);
    assert.equal((await f.resource.getDomain(d.id)).name, 'AsDomain');
    await assert.rejects(f.resource.createProject({ name: 'x', isDomain: true, parentId: 'default' }), /only root projects/);
  });

  it('protects immutable projects', async () => {
    const p = await f.resource.createProject({ name: 'p', options: { immutable: true } });
    await assert.rejects(f.resource.deleteProject(p.id), ImmutableResource);
    await assert.rejects(f.resource.updateProject(p.id, { description: 'x' }), ImmutableResource);
    await assert.rejects(f.resource.addProjectTag(p.id, 'x'), ImmutableProjectTags);
    await f.resource.updateProject(p.id, { options: { immutable: null } });
    await f.resource.deleteProject(p.id);
  });
});

describe('ResourceManager tags', () => {
  let f: Fixture;
  let id: string;
  beforeEach(async () => {
    f = await fixture();
    id = (await f.resource.createProject({ name: 'p', tags: ['one'] })).id;
  });

  it('adds, checks, replaces and deletes tags', async () => {
    assert.equal(await f.resource.addProjectTag(id, ' two '), 'two');
    await f.resource.addProjectTag(id, 'two');
    assert.deepEqual(await f.resource.listProjectTags(id), ['one', 'two']);
    assert.equal(await f.resource.getProjectTag(id, 'two'), 'two');
    await assert.rejects(f.resource.getProjectTag(id, 'three'), { message: 'Could not find project tag: three.' });
    assert.deepEqual(await f.resource.replaceProjectTags(id, ['b', 'a']), ['a', 'b']);
    await f.resource.deleteProjectTag(id, 'a');
    await assert.rejects(f.resource.deleteProjectTag(id, 'a'), EntityNotFound);
    assert.deepEqual(await f.resource.listProjectTags(id), ['b']);
    await assert.rejects(f.resource.listProjectTags('nope'), EntityNotFound);
  });

  it('enforces Keystone tag rules', async () => {
    await assert.rejects(f.resource.addProjectTag(id, 'a,b'), ValidationError);
    await assert.rejects(f.resource.addProjectTag(id, 'x'.repeat(256)), ValidationError);
    await f.resource.replaceProjectTags(id, Array.from({ length: 80 }, (_, i) => `t${i}`));
    await assert.rejects(f.resource.addProjectTag(id, 'extra'), /at most 80 tags/);
  });
});
