// PUT and GET /v2/images/{image_id}/file (glance/api/v2/image_data.py): image data streamed
// between the client and the store, never buffered whole.

import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireAuth } from '../../common/auth/index.js';
import { BadRequest, Forbidden, TstackError } from '../../common/errors/index.js';
import type { ImageManager, ImageUploads } from '../images/index.js';
import { StoredDataNotFound } from '../stores/index.js';
import type { ByteRange, ImageStore } from '../stores/index.js';
import { UnsupportedMediaType, imageTarget } from './common.js';
import type { Authorizer } from './common.js';

/** The image manager's parts the data routes use. */
export type ImageDataImages = Pick<ImageManager, 'getImage' | 'isAdmin'>;

export interface ImageDataRouteDeps {
  readonly policy: Authorizer;
  readonly images: ImageDataImages;
  /** Runs the upload flow (queued → saving → active, or back to queued). */
  readonly uploads: Pick<ImageUploads, 'upload'>;
  /** Serves downloads. */
  readonly store: ImageStore;
  /** `image_size_cap`: largest image accepted, in bytes; also the body limit of the upload route. */
  readonly imageSizeCap: number;
}

/** 416 for a Range the image cannot satisfy. */
export class RangeNotSatisfiable extends TstackError {
  readonly status = 416;
  readonly title = 'Requested Range Not Satisfiable';
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

/** The Content-Length of the request, when it sent a valid one. */
export function declaredSize(request: FastifyRequest): number | undefined {
  const declared = Number(request.headers['content-length']);
  return Number.isSafeInteger(declared) && declared >= 0 ? declared : undefined;
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
  const image = await deps.images.getImage(context, request.params.image_id);
  deps.policy.authorize('upload_image', imageTarget(image), context);
  const expected = expectedSize(request);
  const declared = declaredSize(request);
  await deps.uploads.upload(context, image.id, bodyStream(request), {
    ...(expected === undefined ? {} : { expectedSize: expected }),
    ...(declared === undefined ? {} : { declaredSize: declared }),
  });
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
  const image = await deps.images.getImage(context, request.params.image_id);
  deps.policy.authorize('download_image', imageTarget(image), context);
  if (image.status === 'deactivated' && !deps.images.isAdmin(context)) {
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
