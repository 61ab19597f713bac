// Interoperable image import (glance/api/v2/images.py import_image, image_data.py stage,
// discovery.py): /v2/info/{import,stores,usage}, PUT /v2/images/{id}/stage and
// POST /v2/images/{id}/import. Only glance-direct is offered; copy-image needs several stores
// and web-download/glance-download are not implemented.

import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAuth } from '../../common/auth/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import { BadRequest, Conflict } from '../../common/errors/index.js';
import type { ImageStore, StagingArea } from '../stores/index.js';
import type { TaskManager } from '../tasks/index.js';
import { acceptOctetStreams, bodyStream, imageTarget, requireOctetStream, uploadLimit } from './image-data.js';
import type { ImageDataImage, ImagePolicy, UploadResult } from './image-data.js';

/** One quota line of /v2/info/usage; limit -1 means unlimited. */
export interface QuotaUsage {
  readonly limit: number;
  readonly usage: number;
}

/** The caller's project usage against its image quotas (glance/api/v2/discovery.py get_usage). */
export interface ImageUsage {
  readonly imageSizeTotal: QuotaUsage;
  readonly imageStageTotal: QuotaUsage;
  readonly imageCountTotal: QuotaUsage;
  readonly imageCountUploading: QuotaUsage;
}

/** The part of the image manager the import routes use. */
export interface ImportRecords {
  /** The image as `context` may see it; throws a 404 error when it does not exist or is not visible. */
  getImage(context: RequestContext, imageId: string): Promise<ImageDataImage>;
  /** queued → uploading before data is staged; throws a 409 error from any other state. */
  beginStage(context: RequestContext, imageId: string): Promise<void>;
  /** uploading → queued after staging failed or was interrupted; resolves when the image is gone. */
  failStage(imageId: string): Promise<void>;
  /**
   * uploading → importing for `method`, recording `taskId` as the image's os_glance_import_task;
   * throws a 409 error when the image is not uploading.
   */
  beginImport(context: RequestContext, imageId: string, method: string, taskId: string | null): Promise<void>;
  /** importing → active with the measured data; throws a 404/410 error when the image was deleted meanwhile. */
  completeUpload(imageId: string, result: UploadResult): Promise<void>;
  /** importing → queued after the import failed, with os_glance_failed_import set; resolves when the image is gone. */
  failImport(imageId: string, message: string): Promise<void>;
  /** Bytes the owner may still store (image_size_total), or null when unlimited. */
  remainingStorage(context: RequestContext, owner: string | null): Promise<number | null>;
  /** Bytes the owner may still stage (image_stage_total), or null when unlimited. */
  remainingStaging(context: RequestContext, owner: string | null): Promise<number | null>;
  /** The caller's project usage and limits. */
  usage(context: RequestContext): Promise<ImageUsage>;
}

export interface ImportRouteDeps {
  readonly policy: ImagePolicy;
  readonly records: ImportRecords;
  readonly store: ImageStore;
  readonly staging: StagingArea;
  /** `image_size_cap`, in bytes; also the body limit of the stage route. */
  readonly imageSizeCap: number;
  /** Records each import as an `api_image_import` task when given. */
  readonly tasks?: TaskManager;
  readonly log: FastifyBaseLogger;
  /** Runs the import after the 202 is sent. Default: starts it and logs a failure. */
  readonly runInBackground?: (job: () => Promise<void>) => void;
}

/** The import methods offered (Glance `enabled_import_methods`). */
export const IMPORT_METHODS = ['glance-direct'] as const;

function quota(line: QuotaUsage): { limit: number; usage: number } {
  return { limit: line.limit, usage: line.usage };
}

/** The `usage` body of /v2/info/usage. */
export function usageView(usage: ImageUsage): Record<string, unknown> {
  return {
    usage: {
      image_size_total: quota(usage.imageSizeTotal),
      image_stage_total: quota(usage.imageStageTotal),
      image_count_total: quota(usage.imageCountTotal),
      image_count_uploading: quota(usage.imageCountUploading),
    },
  };
}

async function stage(deps: ImportRouteDeps, request: FastifyRequest<{ Params: { image_id: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const context = requireAuth(request);
  const image = await deps.records.getImage(context, request.params.image_id);
  // Glance has no stage policy of its own: staging modifies the image.
  await deps.policy.authorize('modify_image', imageTarget(image), context);
  const data = bodyStream(request);
  const remaining = await deps.records.remainingStaging(context, image.owner);
  const maxBytes = await uploadLimit(request, deps.imageSizeCap, remaining);
  await deps.records.beginStage(context, image.id);
  try {
    await deps.staging.write(image.id, data, { maxBytes });
  } catch (error) {
    await deps.records.failStage(image.id);
    throw error;
  }
  return reply.status(204).send();
}

function requestedMethod(body: unknown): string {
  const method = (body as { method?: { name?: unknown } } | undefined)?.method;
  if (typeof method !== 'object' || method === null || typeof method.name !== 'string') {
    throw new BadRequest('Import request requires a method: {"method": {"name": "glance-direct"}}.');
  }
  if (!(IMPORT_METHODS as readonly string[]).includes(method.name)) {
    throw new BadRequest(`Import method ${method.name} is not valid. Valid methods: ${IMPORT_METHODS.join(', ')}.`);
  }
  return method.name;
}

/** Moves staged data into the store, hashing it, and activates the image; on failure queues it again. */
async function importStaged(deps: ImportRouteDeps, context: RequestContext, image: ImageDataImage, taskId: string | null): Promise<void> {
  if (taskId && deps.tasks) await deps.tasks.start(taskId);
  try {
    const maxBytes = Math.min(deps.imageSizeCap, (await deps.records.remainingStorage(context, image.owner)) ?? Infinity);
    const stored = await deps.store.add(image.id, await deps.staging.read(image.id), { maxBytes, diskFormat: image.diskFormat });
    try {
      await deps.records.completeUpload(image.id, { ...stored, storeId: deps.store.id });
    } catch (error) {
      await deps.store.delete(stored.location);
      throw error;
    }
    await deps.staging.remove(image.id);
    if (taskId && deps.tasks) await deps.tasks.succeed(taskId, { image_id: image.id });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await deps.staging.remove(image.id);
    await deps.records.failImport(image.id, message);
    if (taskId && deps.tasks) await deps.tasks.fail(taskId, message);
    throw error;
  }
}

async function importImage(deps: ImportRouteDeps, request: FastifyRequest<{ Params: { image_id: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const context = requireAuth(request);
  const image = await deps.records.getImage(context, request.params.image_id);
  await deps.policy.authorize('modify_image', imageTarget(image), context);
  const method = requestedMethod(request.body);
  if (image.status !== 'uploading' || (await deps.staging.size(image.id)) === null) {
    throw new Conflict(`Image ${image.id} needs to be staged before the ${method} import can start.`);
  }
  const task = deps.tasks
    ? await deps.tasks.create(context, { type: 'api_image_import', input: { image_id: image.id, import_req: request.body, backend: [deps.store.id] }, imageId: image.id })
    : null;
  await deps.records.beginImport(context, image.id, method, task?.id ?? null);
  const run = deps.runInBackground ?? ((job) => {
    job().catch((error: unknown) => deps.log.error({ err: error, imageId: image.id }, 'image import failed'));
  });
  run(() => importStaged(deps, context, image, task?.id ?? null));
  return reply.status(202).send();
}

/** Registers /v2/info/import, /v2/info/stores, /v2/info/usage, PUT /stage and POST /import. */
export function registerImportRoutes(app: FastifyInstance, deps: ImportRouteDeps): void {
  acceptOctetStreams(app);
  app.get('/v2/info/import', async (request) => {
    requireAuth(request);
    return { 'import-methods': { description: 'Import methods available.', type: 'array', value: [...IMPORT_METHODS] } };
  });
  app.get('/v2/info/stores', async (request) => {
    requireAuth(request);
    return { stores: [{ id: deps.store.id, description: 'Local filesystem store.', default: true }] };
  });
  app.get('/v2/info/usage', async (request) => usageView(await deps.records.usage(requireAuth(request))));
  app.put<{ Params: { image_id: string } }>('/v2/images/:image_id/stage', { bodyLimit: deps.imageSizeCap, onRequest: requireOctetStream }, (request, reply) => stage(deps, request, reply));
  app.post<{ Params: { image_id: string } }>('/v2/images/:image_id/import', (request, reply) => importImage(deps, request, reply));
}
