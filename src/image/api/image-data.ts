// PUT and GET /v2/images/{image_id}/file (glance/api/v2/image_data.py): image data streamed
// between the client and the store, never buffered whole.

import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAuth } from '../../common/auth/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import { BadRequest, Forbidden, RequestEntityTooLarge, TstackError } from '../../common/errors/index.js';
import { StoredDataNotFound } from '../stores/index.js';
import type { ByteRange, ImageStore, StoredImage } from '../stores/index.js';
import { UnsupportedMediaType } from './common.js';

/** The fields of an image the data routes read. */
export interface ImageDataImage {
  readonly id: string;
  readonly status: string;
  readonly owner: string | null;
  readonly visibility: string;
  readonly diskFormat: string | null;
  readonly size: number | null;
  readonly checksum: string | null;
  /** Where the data is, as the store returned it from `add`; null while there is none. */
  readonly storeLocation: string | null;
}

/** What an upload measured, recorded on the image as it becomes active. */
export type UploadResult = StoredImage & { readonly storeId: string };

/** The part of the image manager the data routes use. */
export interface ImageDataRecords {
  /** The image as `context` may see it; throws a 404 error when it does not exist or is not visible. */
  getImage(context: RequestContext, imageId: string): Promise<ImageDataImage>;
  /** queued → saving; throws a 409 error when the image is in any other state. */
  beginUpload(context: RequestContext, imageId: string): Promise<void>;
  /** saving → active with the measured data; throws a 404/410 error when the image was deleted meanwhile. */
  completeUpload(imageId: string, result: UploadResult): Promise<void>;
  /** saving → queued after a failed or interrupted upload (glance's `_restore`); resolves when the image is gone. */
  failUpload(imageId: string): Promise<void>;
  /** Bytes the owner may still store (image_size_total quota), or null when unlimited. */
  remainingStorage(context: RequestContext, owner: string | null): Promise<number | null>;
}

/** Decides whether a caller may perform a named Glance action on an image. */
export interface ImagePolicy {
  /** Throws a 403 error when `context` may not perform `action` on `target`. */
  authorize(action: string, target: Readonly<Record<string, unknown>>, context: RequestContext): void | Promise<void>;
}

export interface ImageDataRouteDeps {
  readonly policy: ImagePolicy;
  readonly records: ImageDataRecords;
  readonly store: ImageStore;
  /** `image_size_cap`: largest image accepted, in bytes; also the body limit of the upload route. */
  readonly imageSizeCap: number;
  /** Glance's `context.is_admin`; admins may download deactivated images. Default: has the admin role. */
  readonly isAdmin?: (context: RequestContext) => boolean;
}

/** 416 for a Range the image cannot satisfy. */
export class RangeNotSatisfiable extends TstackError {
  readonly status = 416;
  readonly title = 'Requested Range Not Satisfiable';
}

/** What policy rules read of an image (glance.api.policy.ImageTarget). */
export function imageTarget(image: ImageDataImage): Record<string, unknown> {
  return { id: image.id, owner: image.owner, project_id: image.owner, visibility: image.visibility, status: image.status };
}

/**
 * Lets `application/octet-stream` bodies reach handlers as the raw request stream, so Fastify
 * never buffers image data. Safe to call from several route files.
 */
export function acceptOctetStreams(app: FastifyInstance): void {
  if (app.hasContentTypeParser('application/octet-stream')) return;
  app.addContentTypeParser('application/octet-stream', (_request, payload, done) => done(null, payload));
}

/**
 * Route hook: 415 unless the body is sent as application/octet-stream. It runs before any body
 * parser, so a JSON content type with a non-JSON body is a 415 as in Glance, not a 400.
 */
export async function requireOctetStream(request: FastifyRequest): Promise<void> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/octet-stream') throw new UnsupportedMediaType('The request body must be sent as application/octet-stream.');
}

/** The request body as a stream (routes guarded by `requireOctetStream`). */
export function bodyStream(request: FastifyRequest): Readable {
  return request.body instanceof Readable ? request.body : Readable.from([]);
}

/** The smaller of the size cap and the owner's remaining quota; 413 early when Content-Length already exceeds it. */
export async function uploadLimit(request: FastifyRequest, cap: number, remaining: number | null): Promise<number> {
  const maxBytes = remaining === null ? cap : Math.max(0, Math.min(cap, remaining));
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new RequestEntityTooLarge(`The incoming image is too large: ${declared} bytes exceed the limit of ${maxBytes} bytes.`);
  }
  return maxBytes;
}

function expectedSize(request: FastifyRequest): number | undefined {
  const header = request.headers['x-openstack-image-size'];
  if (header === undefined) return undefined;
  const value = Number(Array.isArray(header) ? header[0] : header);
  if (!Number.isInteger(value) || value < 0) throw new BadRequest('x-openstack-image-size must be a non-negative integer.');
  return value;
}

async function upload(deps: ImageDataRouteDeps, request: FastifyRequest<{ Params: { image_id: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const context = requireAuth(request);
  const image = await deps.records.getImage(context, request.params.image_id);
  await deps.policy.authorize('upload_image', imageTarget(image), context);
  const data = bodyStream(request);
  const wantedSize = expectedSize(request);
  const maxBytes = await uploadLimit(request, deps.imageSizeCap, await deps.records.remainingStorage(context, image.owner));
  await deps.records.beginUpload(context, image.id);
  let stored: StoredImage;
  try {
    stored = await deps.store.add(image.id, data, { maxBytes, diskFormat: image.diskFormat });
  } catch (error) {
    await deps.records.failUpload(image.id);
    throw error;
  }
  try {
    if (wantedSize !== undefined && wantedSize !== stored.size) {
      throw new BadRequest(`Image size mismatch: x-openstack-image-size is ${wantedSize} but ${stored.size} bytes were received.`);
    }
    await deps.records.completeUpload(image.id, { ...stored, storeId: deps.store.id });
  } catch (error) {
    await deps.store.delete(stored.location);
    await deps.records.failUpload(image.id);
    throw error;
  }
  return reply.status(204).send();
}

/**
 * The range asked for by `Range: bytes=a-b`, `bytes=a-` or `bytes=-n` (webob's reading), or
 * undefined without a Range header. Throws RangeNotSatisfiable for anything else.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) throw new RangeNotSatisfiable(`Invalid range: ${header}.`);
  const [, first = '', last = ''] = match;
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) throw new RangeNotSatisfiable(`Requested range ${header} cannot be satisfied for ${size} bytes.`);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) throw new RangeNotSatisfiable(`Requested range ${header} cannot be satisfied for ${size} bytes.`);
  return { start, end };
}

async function download(deps: ImageDataRouteDeps, request: FastifyRequest<{ Params: { image_id: string } }>, reply: FastifyReply): Promise<FastifyReply> {
  const context = requireAuth(request);
  const image = await deps.records.getImage(context, request.params.image_id);
  await deps.policy.authorize('download_image', imageTarget(image), context);
  const isAdmin = deps.isAdmin ?? ((c: RequestContext) => c.roles.includes('admin'));
  if (image.status === 'deactivated' && !isAdmin(context)) {
    throw new Forbidden('The requested image has been deactivated. Image data download is forbidden.');
  }
  // Glance answers 204 No Content when the image has no data (glance_store.NotFound).
  if (image.storeLocation === null || image.size === null) return reply.status(204).send();
  let range: ByteRange | undefined;
  try {
    range = parseRange(request.headers.range, image.size);
  } catch (error) {
    reply.header('content-range', `bytes */${image.size}`);
    throw error;
  }
  let data: Readable;
  try {
    data = await deps.store.get(image.storeLocation, range);
  } catch (error) {
    if (error instanceof StoredDataNotFound) return reply.status(204).send();
    throw error;
  }
  reply.header('content-type', 'application/octet-stream');
  // Glance sends the hex md5 here, not RFC 1864's base64; glanceclient compares it as hex.
  if (image.checksum) reply.header('content-md5', image.checksum);
  if (range) {
    reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${image.size}`);
    reply.header('content-length', String(range.end - range.start + 1));
  } else {
    reply.status(200).header('content-length', String(image.size));
  }
  return reply.send(data);
}

/** Registers PUT and GET /v2/images/:image_id/file. */
export function registerImageDataRoutes(app: FastifyInstance, deps: ImageDataRouteDeps): void {
  acceptOctetStreams(app);
  app.put<{ Params: { image_id: string } }>('/v2/images/:image_id/file', { bodyLimit: deps.imageSizeCap, onRequest: requireOctetStream }, (request, reply) => upload(deps, request, reply));
  app.get<{ Params: { image_id: string } }>('/v2/images/:image_id/file', (request, reply) => download(deps, request, reply));
}
