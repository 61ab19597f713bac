// Image tasks in the image database (glance/db/sqlalchemy/api.py task_*). Input and result are
// JSON text, timestamps ISO 8601 text.

import type { Kysely } from 'kysely';
import type { TaskBackend, TaskChanges, TaskFilters } from '../backend.js';
import { TaskNotFound } from '../errors.js';
import type { Task, TaskStatus } from '../../model.js';

export interface TaskTables {
  tasks: {
    id: string;
    type: string;
    status: string;
    owner: string;
    input: string;
    result: string | null;
    message: string;
    image_id: string | null;
    request_id: string | null;
    user_id: string | null;
    expires_at: string | null;
    created_at: string;
    updated_at: string;
  };
}

type TaskRow = TaskTables['tasks'];

function toRow(task: Task): TaskRow {
  return {
    id: task.id, type: task.type, status: task.status, owner: task.owner,
    input: JSON.stringify(task.input), result: task.result === null ? null : JSON.stringify(task.result),
    message: task.message, image_id: task.imageId, request_id: task.requestId, user_id: task.userId,
    expires_at: task.expiresAt?.toISOString() ?? null,
    created_at: task.createdAt.toISOString(), updated_at: task.updatedAt.toISOString(),
  };
}

function toTask(row: TaskRow): Task {
  return {
    id: row.id, type: row.type, status: row.status as TaskStatus, owner: row.owner,
    input: JSON.parse(row.input) as Record<string, unknown>,
    result: row.result === null ? null : (JSON.parse(row.result) as Record<string, unknown>),
    message: row.message, imageId: row.image_id, requestId: row.request_id, userId: row.user_id,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at),
  };
}

export class SqlTaskBackend implements TaskBackend {
  constructor(private readonly db: Kysely<TaskTables>) {}

  async create(task: Task): Promise<void> {
    await this.db.insertInto('tasks').values(toRow(task)).execute();
  }

  async get(taskId: string): Promise<Task> {
    const row = await this.db.selectFrom('tasks').selectAll().where('id', '=', taskId).executeTakeFirst();
    if (!row) throw new TaskNotFound({ taskId });
    return toTask(row);
  }

  async list(filters: TaskFilters): Promise<Task[]> {
    const direction = filters.sortDir ?? 'desc';
    let query = this.db.selectFrom('tasks').selectAll();
    if (filters.owner !== undefined) query = query.where('owner', '=', filters.owner);
    if (filters.status !== undefined) query = query.where('status', '=', filters.status);
    if (filters.type !== undefined) query = query.where('type', '=', filters.type);
    if (filters.imageId !== undefined) query = query.where('image_id', '=', filters.imageId);
    if (filters.marker !== undefined) {
      const marker = toRow(await this.get(filters.marker));
      const after = direction === 'desc' ? '<' : '>';
      query = query.where((eb) => eb.or([
        eb('created_at', after, marker.created_at),
        eb.and([eb('created_at', '=', marker.created_at), eb('id', after, marker.id)]),
      ]));
    }
    query = query.orderBy('created_at', direction).orderBy('id', direction);
    if (filters.limit !== undefined) query = query.limit(filters.limit);
    return (await query.execute()).map(toTask);
  }

  async update(taskId: string, changes: TaskChanges): Promise<Task> {
    const row: Partial<TaskRow> = { updated_at: changes.updatedAt.toISOString() };
    if (changes.status !== undefined) row.status = changes.status;
    if (changes.result !== undefined) row.result = changes.result === null ? null : JSON.stringify(changes.result);
    if (changes.message !== undefined) row.message = changes.message;
    if (changes.imageId !== undefined) row.image_id = changes.imageId;
    if (changes.expiresAt !== undefined) row.expires_at = changes.expiresAt?.toISOString() ?? null;
    await this.get(taskId);
    await this.db.updateTable('tasks').set(row).where('id', '=', taskId).execute();
    return this.get(taskId);
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.db.deleteFrom('tasks').where('expires_at', '<', now.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
