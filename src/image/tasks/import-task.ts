// The legacy `import` task of POST /v2/tasks (glance/async_/flows/base_import.py, reduced): create
// an image with the given properties, fetch `import_from` over HTTP(S) and stream it into the
// store, then record {"image_id"} as the task result.

import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { RequestContext } from '../../common/auth/index.js';
import type { ImageStore, StoredImage } from '../stores/index.js';
import type { Task } from '../model.js';
import type { TaskManager } from './manager.js';

/** The part of the image manager an import task uses. */
export interface TaskImageRecords {
  /** Creates a queued image owned by the caller's project from wire-style properties (name, disk_format...); returns its id and disk format. */
  createImage(context: RequestContext, properties: Readonly<Record<string, unknown>>): Promise<{ id: string; diskFormat: string | null }>;
  /** queued → saving; throws a 409 error from any other state. */
  beginUpload(context: RequestContext, imageId: string): Promise<void>;
  /** saving → active with the measured data. */
  completeUpload(imageId: string, result: StoredImage & { readonly storeId: string }): Promise<void>;
  /** saving → queued; resolves when the image is gone. */
  failUpload(imageId: string): Promise<void>;
}

export interface ImportTaskDeps {
  readonly tasks: TaskManager;
  readonly records: TaskImageRecords;
  readonly store: ImageStore;
  readonly imageSizeCap: number;
  /** Injected so tests need no network. */
  readonly fetch: typeof fetch;
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
    await deps.records.beginUpload(context, image.id);
    let stored: StoredImage;
    try {
      stored = await deps.store.add(image.id, Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), { maxBytes: deps.imageSizeCap, diskFormat: image.diskFormat });
    } catch (error) {
      await deps.records.failUpload(image.id);
      throw error;
    }
    await deps.records.completeUpload(image.id, { ...stored, storeId: deps.store.id });
    await deps.tasks.succeed(task.id, { image_id: image.id });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.tasks.fail(task.id, imageId ? `${message} (image ${imageId})` : message).catch(() => undefined);
  }
}
