// Image tasks (glance/domain Task and TaskFactory, glance/db task repo): creation, visibility,
// and the pending → processing → success | failure lifecycle with an expiry once finished.

import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../common/auth/index.js';
import type { Task } from '../model.js';
import type { TaskBackend, TaskFilters } from './backend.js';
import { TaskNotFound } from './errors.js';

export interface TaskManagerDeps {
  readonly backend: TaskBackend;
  /** How long a finished task is kept (Glance task_time_to_live, 48 hours). */
  readonly timeToLiveMs: number;
  readonly now?: () => Date;
  readonly newId?: () => string;
  /** Admins see every project's tasks: the `context_is_admin` policy rule (Authorizer.isAdmin). */
  readonly isAdmin: (context: RequestContext) => boolean;
}

export interface NewTask {
  readonly type: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly imageId?: string | null;
}

export class TaskManager {
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(private readonly deps: TaskManagerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  /** A new pending task owned by the caller's project. */
  async create(context: RequestContext, fields: NewTask): Promise<Task> {
    const now = this.now();
    const task: Task = {
      id: this.newId(), type: fields.type, status: 'pending', owner: context.projectId ?? '',
      input: fields.input, result: null, message: '', imageId: fields.imageId ?? null,
      requestId: context.requestId, userId: context.userId, expiresAt: null, createdAt: now, updatedAt: now,
    };
    await this.deps.backend.create(task);
    return task;
  }

  /** The task when the caller may see it (its project's, or any for admins); TaskNotFound otherwise. */
  async get(context: RequestContext, taskId: string): Promise<Task> {
    const task = await this.deps.backend.get(taskId);
    if (!this.deps.isAdmin(context) && task.owner !== context.projectId) throw new TaskNotFound({ taskId });
    return task;
  }

  /** Tasks the caller may see; non-admins only their project's. */
  async list(context: RequestContext, filters: Omit<TaskFilters, 'owner'>): Promise<Task[]> {
    return this.deps.backend.list(this.deps.isAdmin(context) ? filters : { ...filters, owner: context.projectId ?? '' });
  }

  /** pending → processing. */
  async start(taskId: string): Promise<Task> {
    return this.deps.backend.update(taskId, { status: 'processing', updatedAt: this.now() });
  }

  /** → success with `result`; the task expires after the time to live. */
  async succeed(taskId: string, result: Readonly<Record<string, unknown>>): Promise<Task> {
    return this.finish(taskId, { status: 'success', result });
  }

  /** → failure with a message for the user; the task expires after the time to live. */
  async fail(taskId: string, message: string): Promise<Task> {
    return this.finish(taskId, { status: 'failure', message });
  }

  /** Drops expired tasks; meant for a periodic job. */
  async deleteExpired(): Promise<number> {
    return this.deps.backend.deleteExpired(this.now());
  }

  private async finish(taskId: string, changes: { status: 'success' | 'failure'; result?: Readonly<Record<string, unknown>>; message?: string }): Promise<Task> {
    const now = this.now();
    return this.deps.backend.update(taskId, { ...changes, updatedAt: now, expiresAt: new Date(now.getTime() + this.deps.timeToLiveMs) });
  }
}
