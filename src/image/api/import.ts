// Interoperable image import (glance/api/v2/images.py import_image, image_data.py stage,
// discovery.py): /v2/info/{import,stores,usage}, PUT /v2/images/{id}/stage and
// POST /v2/images/{id}/import. Only glance-direct is offered; copy-image needs several stores
// and web-download/glance-download are not implemented.

import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAuth } from '../../common/auth/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import { BadRequest } from '../../common/errors/index.js';
import type { ImageManager, ImageUploads } from '../images/index.js';
import type { TaskManager } from '../tasks/index.js';
import { imageTarget } from './common.js';
import type { Authorizer } from './common.js';
import { acceptOctetStreams, bodyStream, declaredSize, requireOctetStream } from './image-data.js';

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

/** What /v2/info/usage reads. */
export interface ImportRecords {
  /** The caller's project usage and limits. */
  usage(context: RequestContext): Promise<ImageUsage>;
}

export interface ImportRouteDeps {
  readonly policy: Authorizer;
  readonly images: Pick<ImageManager, 'getImage'>;
  /** Runs the stage and import flows (the state machine and its undo live there). */
  readonly uploads: Pick<ImageUploads, 'stage' | 'startImport'>;
  readonly records: ImportRecords;
  /** The store imports go to, for /v2/info/stores. */
  readonly store: { readonly id: string };
  /** `image_size_cap`, in bytes; the body limit of the stage route. */
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
  const image = await deps.images.getImage(context, request.params.image_id);
  // Glance has no stage policy of its own: staging modifies the image.
  deps.policy.authorize('modify_image', imageTarget(image), context);
  const declared = declaredSize(request);
  await deps.uploads.stage(context, image.id, bodyStream(request), declared === undefined ? {} : { declaredSize: declared });
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

async function importImage(deps: ImportRouteDeps, request: FastifyRequest<{ Params: { image_id: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const context = requireAuth(request);
  const image = await deps.images.getImage(context, request.params.image_id);
  deps.policy.authorize('modify_image', imageTarget(image), context);
  const method = requestedMethod(request.body);
  const tasks = deps.tasks;
  const started = await deps.uploads.startImport(context, image.id, {
    method,
    ...(tasks ? { newTask: async () => (await tasks.create(context, {
      type: 'api_image_import', input: { image_id: image.id, import_req: request.body, backend: [deps.store.id] }, imageId: image.id,
    })).id } : {}),
  });
  const run = deps.runInBackground ?? ((job) => {
    job().catch((error: unknown) => deps.log.error({ err: error, imageId: image.id }, 'image import failed'));
  });
  run(async () => { await started.run(); });
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
