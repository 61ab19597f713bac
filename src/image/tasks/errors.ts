// Errors of the task subsystem (glance.common.exception.TaskNotFound).
import { NotFound } from '../../common/errors/index.js';
import type { TstackErrorOptions } from '../../common/errors/index.js';

export class TaskNotFound extends NotFound {
  constructor(readonly fields: { readonly taskId: string }, options?: TstackErrorOptions) {
    super(`Task with the given ID ${fields.taskId} not found`, options);
  }
}
