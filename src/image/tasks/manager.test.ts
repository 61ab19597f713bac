import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { RequestContext } from '../../common/auth/index.js';
import { Forbidden } from '../../common/errors/index.js';
import { createAuthorizer } from '../../common/http/index.js';
import { Enforcer } from '../../common/policy/index.js';
import { imagePolicies } from '../images/index.js';
import type { TaskManager } from './manager.js';
import { inMemoryTaskManager } from './testing.js';

function context(projectId: string, roles: string[] = ['member']): RequestContext {
  return { requestId: 'req-1', authToken: 't', userId: `user-${projectId}`, userName: 'u', userDomainId: 'default', userDomainName: 'Default',
    projectId, roles, isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 3600_000) };
}

let tasks: TaskManager;
let close: () => Promise<void>;
let clock = new Date('2026-11-22T16:00:00.000Z');
before(async () => ({ tasks, close } = await inMemoryTaskManager({ now: () => clock, timeToLiveMs: 1000 })));
after(() => close());

it('creates pending tasks owned by the caller, hidden from other projects but not from admins', async () => {
  const task = await tasks.create(context('p1'), { type: 'import', input: { a: 1 } });
  assert.equal(task.status, 'pending');
  assert.equal(task.owner, 'p1');
  assert.equal(task.userId, 'user-p1');
  assert.equal((await tasks.get(context('p1'), task.id)).id, task.id);
  await assert.rejects(tasks.get(context('p2'), task.id), { status: 404 });
  assert.equal((await tasks.get(context('p2', ['admin']), task.id)).id, task.id);
  assert.deepEqual((await tasks.list(context('p2'), {})).length, 0);
});

it('runs pending → processing → success and expires after the time to live', async () => {
  const task = await tasks.create(context('p1'), { type: 'import', input: {} });
  assert.equal((await tasks.start(task.id)).status, 'processing');
  const done = await tasks.succeed(task.id, { image_id: 'i' });
  assert.equal(done.status, 'success');
  assert.deepEqual(done.expiresAt, new Date(clock.getTime() + 1000));
  clock = new Date(clock.getTime() + 2000);
  assert.ok(await tasks.deleteExpired() >= 1);
  await assert.rejects(tasks.get(context('p1'), task.id), { status: 404 });
});

it('records failures with their message', async () => {
  const task = await tasks.create(context('p1'), { type: 'import', input: {} });
  const failed = await tasks.fail(task.id, 'boom');
  assert.equal(failed.status, 'failure');
  assert.equal(failed.message, 'boom');
});

it('lets whoever context_is_admin names see every project\'s tasks, as policy.yaml says', async () => {
  const enforcer = new Enforcer({ defaults: imagePolicies, overrides: { context_is_admin: 'role:image_admin' } });
  const policy = createAuthorizer(enforcer, { denied: (action) => new Forbidden(action) });
  const own = await inMemoryTaskManager({ isAdmin: policy.isAdmin });
  try {
    const task = await own.tasks.create(context('p1'), { type: 'import', input: {} });
    assert.equal((await own.tasks.get(context('p2', ['image_admin']), task.id)).id, task.id);
    await assert.rejects(own.tasks.get(context('p2', ['admin']), task.id), { status: 404 });
    assert.equal((await own.tasks.list(context('p2', ['image_admin']), {})).length, 1);
  } finally {
    await own.close();
  }
});
