// Storage contract of image tasks (glance/db/sqlalchemy/api.py task_* functions).
import type { Task, TaskStatus } from '../model.js';

export interface TaskFilters {
  /** Only tasks of this project; undefined for every project (admins). */
  readonly owner?: string;
  readonly status?: TaskStatus;
  readonly type?: string;
  readonly imageId?: string;
  /** Newest first unless 'asc'. */
  readonly sortDir?: 'asc' | 'desc';
  /** Start after the task with this id (it must exist, else TaskNotFound). */
  readonly marker?: string;
  readonly limit?: number;
}

export type TaskChanges = Partial<Pick<Task, 'status' | 'result' | 'message' | 'expiresAt' | 'imageId'>> & { readonly updatedAt: Date };

export interface TaskBackend {
  /** Stores a new task. */
  create(task: Task): Promise<void>;
  /** The task; throws TaskNotFound. */
  get(taskId: string): Promise<Task>;
  /** Tasks matching `filters`, ordered by created_at then id; throws TaskNotFound for an unknown marker. */
  list(filters: TaskFilters): Promise<Task[]>;
  /** Applies `changes` and returns the task; throws TaskNotFound. */
  update(taskId: string, changes: TaskChanges): Promise<Task>;
  /** Removes tasks that expired before `now`; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}
