// /v2/tasks and /v2/images/{id}/tasks (glance/api/v2/tasks.py, images.py get_task_info): task
// records of imports. POST /v2/tasks accepts the legacy `import` type only.

import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Static } from 'typebox';
import { requireAuth } from '../../common/auth/index.js';
import { Enum } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import { BadRequest } from '../../common/errors/index.js';
import type { Task, TaskStatus } from '../model.js';
import type { TaskManager } from '../tasks/index.js';
import { imageTarget, queryString } from './common.js';
import type { Authorizer, ImageTargetSource } from './common.js';

export interface TaskRouteDeps {
  readonly policy: Authorizer;
  readonly tasks: TaskManager;
  /** The image as the caller may see it (404 otherwise), for /v2/images/{id}/tasks. */
  readonly getImage: (context: RequestContext, imageId: string) => Promise<ImageTargetSource & { readonly id: string }>;
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

async function listTasks(deps: TaskRouteDeps, request: FastifyRequest): Promise<Record<string, unknown>> {
  const context = requireAuth(request);
  deps.policy.authorize('get_tasks', {}, context);
  const status = queryString(request.query, 'status');
  if (status !== undefined && !STATUSES.includes(status as TaskStatus)) throw new BadRequest(`Invalid status value: ${status}`);
  const sortDir = queryString(request.query, 'sort_dir') ?? 'desc';
  if (sortDir !== 'asc' && sortDir !== 'desc') throw new BadRequest(`Invalid sort direction: ${sortDir}`);
  const limitText = queryString(request.query, 'limit');
  const limit = limitText === undefined ? MAX_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 0) throw new BadRequest('limit param must be an integer');
  const type = queryString(request.query, 'type');
  const marker = queryString(request.query, 'marker');
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

/** POST /v2/tasks: the legacy `import` task only, with the input fields it needs. */
const createTaskBody = Type.Object({
  type: Enum(['import'], { errorMessage: 'Invalid value for option type: {text}. Supported types: import.' }),
  input: Type.Object({
    import_from: Type.Unknown(),
    import_from_format: Type.Unknown(),
    image_properties: Type.Unknown(),
  }, { additionalProperties: true, errorMessage: { type: 'Task input is required and must be an object.', required: "Input does not contain '{missing}' field" } }),
}, {
  additionalProperties: true,
  errorMessage: {
    type: 'Body expected in request.',
    required: { type: 'Invalid value for option type: undefined. Supported types: import.', input: 'Task input is required and must be an object.' },
  },
});
type CreateTaskBody = Static<typeof createTaskBody>;

async function createTask(deps: TaskRouteDeps, request: FastifyRequest, body: CreateTaskBody, reply: FastifyReply): Promise<FastifyReply> {
  const context = requireAuth(request);
  deps.policy.authorize('add_task', {}, context);
  const task = await deps.tasks.create(context, { type: body.type, input: body.input });
  deps.runTask?.(context, task);
  return reply.status(201).header('location', `/v2/tasks/${task.id}`).send(taskView(task));
}

/** Registers GET/POST /v2/tasks, GET /v2/tasks/:task_id and GET /v2/images/:image_id/tasks. */
export function registerTaskRoutes(app: ApiServer, deps: TaskRouteDeps): void {
  app.get('/v2/tasks', (request) => listTasks(deps, request));
  app.post('/v2/tasks', { schema: { body: createTaskBody } }, (request, reply) => createTask(deps, request, request.body, reply));
  app.get('/v2/tasks/:task_id', { schema: { params: Type.Object({ task_id: Type.String() }) } }, async (request) => {
    const context = requireAuth(request);
    deps.policy.authorize('get_task', {}, context);
    return taskView(await deps.tasks.get(context, request.params.task_id));
  });
  app.get('/v2/images/:image_id/tasks', { schema: { params: Type.Object({ image_id: Type.String() }) } }, async (request) => {
    const context = requireAuth(request);
    const image = await deps.getImage(context, request.params.image_id);
    deps.policy.authorize('get_image', imageTarget(image), context);
    return { tasks: (await deps.tasks.list(context, { imageId: image.id, sortDir: 'desc' })).map(imageTaskView) };
  });
}
