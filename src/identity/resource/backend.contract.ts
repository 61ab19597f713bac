// The contract every ResourceBackend meets, as one suite its implementations' tests call
// (mirrors keystone/tests/unit/resource/test_backends.py).

import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResourceBackend } from './backend.js';
import { EntityNotFound, ProjectConflict } from './errors.js';
import type { Project } from './model.js';

function domain(id: string, name = id): Project {
  return { id, name, domainId: null, parentId: null, description: '', enabled: true, isDomain: true, tags: [], options: {}, extra: {} };
}

function project(id: string, fields: Partial<Project> = {}): Project {
  return { id, name: id, domainId: 'd1', parentId: 'd1', description: `about ${id}`, enabled: true, isDomain: false, tags: [], options: {}, extra: {}, ...fields };
}

/** Registers the contract's tests; `open` gives a backend over empty storage for each test. */
export function resourceBackendContract(open: () => Promise<ResourceBackend>): void {
  it('round-trips projects and domains with tags, options and extra attributes', async () => {
    const backend = await open();
    await backend.createProject(domain('d1', 'Dom'));
    const created = await backend.createProject(project('p1', { tags: ['b', 'a', 'b'], options: { immutable: true }, extra: { email: 'x@y', n: 1 } }));
    assert.deepEqual(created.tags, ['a', 'b']);
    assert.deepEqual(await backend.getProject('p1'), created);
    assert.deepEqual(created.extra, { email: 'x@y', n: 1 });
    assert.equal(created.options.immutable, true);
    const d = await backend.getProject('d1');
    assert.equal(d?.isDomain, true);
    assert.equal(d?.domainId, null);
    assert.equal(await backend.getProject('P1'), undefined);
    assert.equal(await backend.getProject('missing'), undefined);
  });

  it('finds by name within a domain, and domains by name', async () => {
    const backend = await open();
    await backend.createProject(domain('d1', 'Dom'));
    await backend.createProject(project('p1', { name: 'web' }));
    assert.equal((await backend.getProjectByName('web', 'd1'))?.id, 'p1');
    assert.equal(await backend.getProjectByName('WEB', 'd1'), undefined);
    assert.equal(await backend.getProjectByName('web', 'd2'), undefined);
    assert.equal((await backend.getProjectByName('Dom', null))?.id, 'd1');
    assert.equal(await backend.getProjectByName('web', null), undefined);
  });

  it('refuses a taken id or a taken name in the same domain', async () => {
    const backend = await open();
    await backend.createProject(domain('d1', 'Dom'));
    await backend.createProject(domain('d2', 'Other'));
    await backend.createProject(project('p1', { name: 'web' }));
    await assert.rejects(backend.createProject(project('p1', { name: 'api' })), ProjectConflict);
    await assert.rejects(backend.createProject(project('p2', { name: 'web' })), ProjectConflict);
    await assert.rejects(backend.createProject(domain('d3', 'Dom')), /acting as domains with the same name: Dom/);
    await backend.createProject(project('p3', { name: 'web', domainId: 'd2', parentId: 'd2' }));
    await backend.createProject(project('p4', { name: 'Dom' }));
    assert.equal((await backend.listProjects({})).length, 5);
  });

  it('lists with filters, sorted by id', async () => {
    const backend = await open();
    await backend.createProject(domain('d1'));
    await backend.createProject(domain('d2'));
    await backend.createProject(project('pb', { enabled: false }));
    await backend.createProject(project('pa', { name: 'same', domainId: 'd2', parentId: 'd2' }));
    await backend.createProject(project('pc', { parentId: 'pb', name: 'same' }));
    const ids = async (filters: Parameters<ResourceBackend['listProjects']>[0]) => (await backend.listProjects(filters)).map((p) => p.id);
    assert.deepEqual(await ids({}), ['d1', 'd2', 'pa', 'pb', 'pc']);
    assert.deepEqual(await ids({ isDomain: true }), ['d1', 'd2']);
    assert.deepEqual(await ids({ isDomain: false, domainId: 'd1' }), ['pb', 'pc']);
    assert.deepEqual(await ids({ name: 'same' }), ['pa', 'pc']);
    assert.deepEqual(await ids({ enabled: false }), ['pb']);
    assert.deepEqual(await ids({ parentId: 'pb' }), ['pc']);
    assert.deepEqual(await ids({ ids: ['pc', 'd2', 'nope'] }), ['d2', 'pc']);
    assert.deepEqual(await ids({ ids: [] }), []);
    assert.deepEqual((await backend.listChildren(['d1', 'pb'])).map((p) => p.id), ['pb', 'pc']);
    assert.deepEqual(await backend.listChildren([]), []);
  });

  it('filters by tags: all, any, not all, not any', async () => {
    const backend = await open();
    await backend.createProject(domain('d1'));
    await backend.createProject(project('p1', { tags: ['a', 'b'] }));
    await backend.createProject(project('p2', { tags: ['a'] }));
    await backend.createProject(project('p3', { tags: ['c'] }));
    await backend.createProject(project('p4'));
    const ids = async (tags: Parameters<ResourceBackend['listProjects']>[0]['tags']) =>
      (await backend.listProjects({ isDomain: false, ...(tags ? { tags } : {}) })).map((p) => p.id);
    assert.deepEqual(await ids({ all: ['a', 'b'] }), ['p1']);
    assert.deepEqual(await ids({ all: ['a'] }), ['p1', 'p2']);
    assert.deepEqual(await ids({ any: ['b', 'c'] }), ['p1', 'p3']);
    assert.deepEqual(await ids({ notAll: ['a', 'b'] }), ['p2', 'p3', 'p4']);
    assert.deepEqual(await ids({ notAny: ['a', 'c'] }), ['p4']);
    assert.deepEqual(await ids({ all: ['a'], notAny: ['b'] }), ['p2']);
  });

  it('updates fields, replaces tags, and reports conflicts and missing projects', async () => {
    const backend = await open();
    await backend.createProject(domain('d1'));
    await backend.createProject(project('p1', { name: 'one', tags: ['x'] }));
    await backend.createProject(project('p2', { name: 'two' }));
    const updated = await backend.updateProject('p1', { name: 'uno', enabled: false, description: 'new', tags: ['y', 'z'], options: { immutable: true }, extra: { k: 'v' } });
    assert.deepEqual(
      { name: updated.name, enabled: updated.enabled, description: updated.description, tags: updated.tags, options: updated.options, extra: updated.extra },
      { name: 'uno', enabled: false, description: 'new', tags: ['y', 'z'], options: { immutable: true }, extra: { k: 'v' } });
    assert.deepEqual((await backend.updateProject('p1', {})).name, 'uno');
    await assert.rejects(backend.updateProject('p1', { name: 'two' }), ProjectConflict);
    assert.equal((await backend.getProject('p1'))?.name, 'uno');
    await assert.rejects(backend.updateProject('nope', { name: 'x' }), EntityNotFound);
  });

  it('deletes projects with their tags', async () => {
    const backend = await open();
    await backend.createProject(domain('d1'));
    await backend.createProject(project('p1', { tags: ['t'] }));
    await backend.createProject(project('p2', { tags: ['t'] }));
    await backend.deleteProjects(['p1', 'unknown']);
    await backend.deleteProjects([]);
    assert.equal(await backend.getProject('p1'), undefined);
    assert.deepEqual((await backend.listProjects({ tags: { any: ['t'] } })).map((p) => p.id), ['p2']);
    await backend.createProject(project('p1'));
    assert.deepEqual((await backend.getProject('p1'))?.tags, []);
  });
}
