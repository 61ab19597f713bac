// The legacy `import` task of POST /v2/tasks (glance/async_/flows/base_import.py, reduced): create
// an image with the given properties, fetch `import_from` over HTTP(S) and stream it into the
// store through the image manager's upload flow, then record {"image_id"} as the task result.

import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { RequestContext } from '../../common/auth/index.js';
import type { Task } from '../model.js';
import type { TaskManager } from './manager.js';

/** The part of the image manager an import task uses. */
export interface TaskImageRecords {
  /** Creates a queued image owned by the caller's project from wire-style properties (name, disk_format...); returns its id and disk format. */
  createImage(context: RequestContext, properties: Readonly<Record<string, unknown>>): Promise<{ id: string; diskFormat: string | null }>;
  /**
   * Streams `data` in as the image's data (the upload flow: queued → saving → active); on
   * failure nothing stays stored and the image is queued again. Rejects with the failure.
   */
  upload(context: RequestContext, imageId: string, data: Readable): Promise<unknown>;
}

export interface ImportTaskDeps {
  readonly tasks: TaskManager;
  readonly records: TaskImageRecords;
  /** Injected so tests need no network. */
  readonly fetch: typeof fetch;
  /** Where a task that could not be marked failed is reported. */
  readonly logger: { error(details: Readonly<Record<string, unknown>>, message: string): void };
}

/** Runs a pending `import` task to success or failure; never rejects. */
export async function runImportTask(deps: ImportTaskDeps, context: RequestContext, task: Task): Promise<void> {
  await deps.tasks.start(task.id);
  let imageId: string | null = null;
  try {
    const image = await deps.records.createImage(context, (task.input.image_properties ?? {}) as Record<string, unknown>);
    imageId = image.id;
    const source = new URL(String(task.input.import_from));
    if (source.protocol !== 'http:' && source.protocol !== 'https:') throw new Error(`Unsupported import_from scheme ${source.protocol}`);
    const response = await deps.fetch(source);
    if (!response.ok || !response.body) throw new Error(`Fetching ${source.href} failed with HTTP ${response.status}`);
    await deps.records.upload(context, image.id, Readable.fromWeb(response.body as WebReadableStream<Uint8Array>));
    await deps.tasks.succeed(task.id, { image_id: image.id });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.tasks.fail(task.id, imageId ? `${message} (image ${imageId})` : message).catch((failError: unknown) => {
      deps.logger.error({ err: failError, taskId: task.id, cause: message }, 'could not mark an import task failed');
    });
  }
}
