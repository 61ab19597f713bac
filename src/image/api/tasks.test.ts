// /v2/tasks and /v2/images/{id}/tasks against a real TaskManager on SQLite in memory.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { installAuthHook } from '../../common/auth/index.js';
import type { RequestContext, ValidatedToken } from '../../common/auth/index.js';
import { Forbidden, NotFound, Unauthorized } from '../../common/errors/index.js';
import { createHttpServer } from '../../common/http/index.js';
import { createLogger } from '../../common/log/index.js';
import { sampleImage } from '../images/backend.contract.js';
import type { Task } from '../model.js';
import type { TaskManager } from '../tasks/index.js';
import { inMemoryTaskManager } from '../tasks/testing.js';
import { registerTaskRoutes } from './tasks.js';

const token = (projectId: string, roles: string[]): ValidatedToken => ({ userId: `u-${projectId}`, userName: 'u', userDomainId: 'default', userDomainName: 'Default',
  projectId, roles, isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 3600_000) });
const TOKENS: Record<string, ValidatedToken> = { p1: token('p1', ['member']), p2: token('p2', ['member']), admin: token('p0', ['admin']) };
const IMAGE_ID = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

describe('task routes', () => {
  let tasks: TaskManager;
  let close: () => Promise<void>;
  let app: FastifyInstance;
  const started: Task[] = [];
  const denied = new Set<string>();

  before(async () => {
    ({ tasks, close } = await inMemoryTaskManager());
    app = createHttpServer({ logger: createLogger({ service: 'image-test', level: 'silent' }), renderError: (e) => ({ body: e.message, contentType: 'text/plain' }) });
    installAuthHook(app, { cacheTtlMs: 0, isPublic: () => false, validator: { validate: async (t) => { const v = TOKENS[t]; if (!v) throw new Unauthorized(); return v; } } });
    registerTaskRoutes(app, {
      policy: { authorize: (action, _t, context) => { if (denied.has(`${action}:${context.projectId}`)) throw new Forbidden(); }, isAdmin: () => false },
      tasks,
      getImage: async (_c: RequestContext, id: string) => {
        if (id !== IMAGE_ID) throw new NotFound(`No image found with ID ${id}`);
        return sampleImage({ id, status: 'active', owner: 'p1', visibility: 'private', diskFormat: 'raw', size: 1 });
      },
      runTask: (_c, task) => { started.push(task); },
    });
    await app.ready();
  });
  after(async () => { await app.close(); await close(); });

  const create = (as: string, payload: unknown) => app.inject({ method: 'POST', url: '/v2/tasks', headers: { 'x-auth-token': as }, payload: payload as object });
  const importTask = { type: 'import', input: { import_from: 'http://example.test/i.qcow2', import_from_format: 'qcow2', image_properties: { name: 'x', disk_format: 'qcow2', container_format: 'bare' } } };

  it('creates an import task (201, pending), starts it and shows it in full', async () => {
    const response = await create('p1', importTask);
    assert.equal(response.statusCode, 201);
    const body = response.json();
    assert.equal(body.status, 'pending');
    assert.equal(body.type, 'import');
    assert.equal(body.owner, 'p1');
    assert.equal(body.self, `/v2/tasks/${body.id}`);
    assert.equal(body.schema, '/v2/schemas/task');
    assert.match(body.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(body.input, importTask.input);
    assert.equal(started.at(-1)?.id, body.id);
    const shown = await app.inject({ url: `/v2/tasks/${body.id}`, headers: { 'x-auth-token': 'p1' } });
    assert.equal(shown.statusCode, 200);
    assert.deepEqual(shown.json(), body);
  });

  it('rejects other task types and incomplete input with 400', async () => {
    assert.equal((await create('p1', { type: 'export', input: {} })).statusCode, 400);
    assert.equal((await create('p1', { type: 'import', input: { import_from: 'http://x' } })).statusCode, 400);
    assert.equal((await create('p1', { type: 'import' })).statusCode, 400);
    const said = async (payload: unknown) => {
      const response = await create('p1', payload);
      assert.equal(response.statusCode, 400);
      return response.body;
    };
    assert.equal(await said({ type: 'export', input: {} }), 'Invalid value for option type: export. Supported types: import.');
    assert.equal(await said({ input: {} }), 'Invalid value for option type: undefined. Supported types: import.');
    assert.equal(await said({ type: 'import' }), 'Task input is required and must be an object.');
    assert.equal(await said({ type: 'import', input: 'x' }), 'Task input is required and must be an object.');
    assert.equal(await said({ type: 'import', input: { import_from: 'http://x' } }), "Input does not contain 'import_from_format' field");
  });

  it('lists stubs of the caller project only, with filters and paging', async () => {
    await create('p1', importTask);
    await create('p2', importTask);
    const list = (await app.inject({ url: '/v2/tasks', headers: { 'x-auth-token': 'p1' } })).json();
    assert.ok(list.tasks.length >= 2);
    assert.ok(list.tasks.every((t: Record<string, unknown>) => t.owner === 'p1' && !('input' in t)));
    assert.equal(list.first, '/v2/tasks');
    assert.equal(list.schema, '/v2/schemas/tasks');
    const page = (await app.inject({ url: '/v2/tasks?limit=1', headers: { 'x-auth-token': 'p1' } })).json();
    assert.equal(page.tasks.length, 1);
    assert.match(page.next, /marker=/);
    const all = (await app.inject({ url: '/v2/tasks', headers: { 'x-auth-token': 'admin' } })).json();
    assert.ok(all.tasks.some((t: Record<string, unknown>) => t.owner === 'p2'));
    assert.equal((await app.inject({ url: '/v2/tasks?status=done', headers: { 'x-auth-token': 'p1' } })).statusCode, 400);
    assert.equal((await app.inject({ url: '/v2/tasks?status=pending', headers: { 'x-auth-token': 'p1' } })).json().tasks.length, list.tasks.length);
  });

  it('hides a task of another project (404) and applies policy (403)', async () => {
    const id = (await create('p1', importTask)).json().id;
    assert.equal((await app.inject({ url: `/v2/tasks/${id}`, headers: { 'x-auth-token': 'p2' } })).statusCode, 404);
    denied.add('get_tasks:p2');
    assert.equal((await app.inject({ url: '/v2/tasks', headers: { 'x-auth-token': 'p2' } })).statusCode, 403);
    denied.clear();
  });

  it('lists the tasks of an image with image, request and user ids', async () => {
    const context = { ...TOKENS.p1!, requestId: 'req-9', authToken: 'p1' };
    await tasks.create(context, { type: 'api_image_import', input: { image_id: IMAGE_ID }, imageId: IMAGE_ID });
    const response = await app.inject({ url: `/v2/images/${IMAGE_ID}/tasks`, headers: { 'x-auth-token': 'p1' } });
    assert.equal(response.statusCode, 200);
    const [task] = response.json().tasks;
    assert.equal(task.image_id, IMAGE_ID);
    assert.equal(task.request_id, 'req-9');
    assert.equal(task.user_id, 'u-p1');
    assert.equal((await app.inject({ url: '/v2/images/unknown/tasks', headers: { 'x-auth-token': 'p1' } })).statusCode, 404);
  });
});
