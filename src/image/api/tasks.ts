// /v2/tasks and /v2/images/{id}/tasks (glance/api/v2/tasks.py, images.py get_task_info): task
// records of imports. POST /v2/tasks accepts the legacy `import` type only.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAuth } from '../../common/auth/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import { BadRequest } from '../../common/errors/index.js';
import type { Image, Task, TaskStatus } from '../model.js';
import type { TaskManager } from '../tasks/index.js';
import { imageTarget } from './common.js';
import type { Authorizer } from './common.js';

export interface TaskRouteDeps {
  readonly policy: Authorizer;
  readonly tasks: TaskManager;
  /** The image as the caller may see it (404 otherwise), for /v2/images/{id}/tasks. */
  readonly getImage: (context: RequestContext, imageId: string) => Promise<Image>;
  /** Starts executing a new `import` task after the 201 is sent; without it tasks stay pending. */
  readonly runTask?: (context: RequestContext, task: Task) => void;
}

const STATUSES: readonly TaskStatus[] = ['pending', 'processing', 'success', 'failure'];
const MAX_LIMIT = 1000;

/** "2026-11-22T16:00:00Z", as Glance prints timestamps. */
function wireTime(date: Date | null): string | null {
  return date === null ? null : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A task's summary, as in task lists (glance's _format_task_stub). */
export function taskStubView(task: Task): Record<string, unknown> {
  return {
    id: task.id, type: task.type, status: task.status, owner: task.owner,
    expires_at: wireTime(task.expiresAt), created_at: wireTime(task.createdAt), updated_at: wireTime(task.updatedAt),
    self: `/v2/tasks/${task.id}`, schema: '/v2/schemas/task',
  };
}

/** A task in full. */
export function taskView(task: Task): Record<string, unknown> {
  return { ...taskStubView(task), input: task.input, result: task.result, message: task.message };
}

/** A task as /v2/images/{id}/tasks lists it (API 2.12): with image, request and user ids. */
export function imageTaskView(task: Task): Record<string, unknown> {
  return { ...taskView(task), image_id: task.imageId, request_id: task.requestId, user_id: task.userId };
}

function queryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  return value === undefined ? undefined : String(Array.isArray(value) ? value[0] : value);
}

async function listTasks(deps: TaskRouteDeps, request: FastifyRequest): Promise<Record<string, unknown>> {
  const context = requireAuth(request);
  await deps.policy.authorize('get_tasks', {}, context);
  const status = queryValue(request.query, 'status');
  if (status !== undefined && !STATUSES.includes(status as TaskStatus)) throw new BadRequest(`Invalid status value: ${status}`);
  const sortDir = queryValue(request.query, 'sort_dir') ?? 'desc';
  if (sortDir !== 'asc' && sortDir !== 'desc') throw new BadRequest(`Invalid sort direction: ${sortDir}`);
  const limitText = queryValue(request.query, 'limit');
  const limit = limitText === undefined ? MAX_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0) throw new BadRequest('limit param must be an integer');
  const type = queryValue(request.query, 'type');
  const marker = queryValue(request.query, 'marker');
  const tasks = await deps.tasks.list(context, {
    sortDir, limit: Math.min(limit, MAX_LIMIT),
    ...(status === undefined ? {} : { status: status as TaskStatus }),
    ...(type === undefined ? {} : { type }),
    ...(marker === undefined ? {} : { marker }),
  });
  const body: Record<string, unknown> = { tasks: tasks.map(taskStubView), first: '/v2/tasks', schema: '/v2/schemas/tasks' };
  const last = tasks.at(-1);
  if (last && tasks.length === Math.min(limit, MAX_LIMIT)) body.next = `/v2/tasks?marker=${last.id}&limit=${limit}`;
  return body;
}

function importInput(body: unknown): { type: string; input: Record<string, unknown> } {
  const { type, input } = (body ?? {}) as { type?: unknown; input?: unknown };
  if (type !== 'import') throw new BadRequest(`Invalid value for option type: ${String(type)}. Supported types: import.`);
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new BadRequest('Task input is required and must be an object.');
  const fields = input as Record<string, unknown>;
  for (const key of ['import_from', 'import_from_format', 'image_properties']) {
    if (!(key in fields)) throw new BadRequest(`Input does not contain '${key}' field`);
  }
  return { type, input: fields };
}

async function createTask(deps: TaskRouteDeps, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const context = requireAuth(request);
  await deps.policy.authorize('add_task', {}, context);
  const task = await deps.tasks.create(context, importInput(request.body));
  deps.runTask?.(context, task);
  return reply.status(201).header('location', `/v2/tasks/${task.id}`).send(taskView(task));
}

/** Registers GET/POST /v2/tasks, GET /v2/tasks/:task_id and GET /v2/images/:image_id/tasks. */
export function registerTaskRoutes(app: FastifyInstance, deps: TaskRouteDeps): void {
  app.get('/v2/tasks', (request) => listTasks(deps, request));
  app.post('/v2/tasks', (request, reply) => createTask(deps, request, reply));
  app.get<{ Params: { task_id: string } }>('/v2/tasks/:task_id', async (request) => {
    const context = requireAuth(request);
    await deps.policy.authorize('get_task', {}, context);
    return taskView(await deps.tasks.get(context, request.params.task_id));
  });
  app.get<{ Params: { image_id: string } }>('/v2/images/:image_id/tasks', async (request) => {
    const context = requireAuth(request);
    const image = await deps.getImage(context, request.params.image_id);
    await deps.policy.authorize('get_image', imageTarget(image), context);
    return { tasks: (await deps.tasks.list(context, { imageId: image.id, sortDir: 'desc' })).map(imageTaskView) };
  });
}
