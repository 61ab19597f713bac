// /v2/images, /v2/images/{id} and the deactivate/reactivate actions (glance/api/v2/images.py,
// image_actions.py): query parsing, JSON-patch updates, and thin handlers over ImageManager.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { requireAuth } from '../../common/auth/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import { BadRequest, Conflict, Forbidden } from '../../common/errors/index.js';
import { addJsonBodyParser, createSchemaCompiler, parseLimit, parseMarker, parseSort, parseTagFilter, parseTimeFilters } from '../../common/http/index.js';
import type { ApiServer, SchemaCheck } from '../../common/http/index.js';
import { SORT_KEYS } from '../images/index.js';
import type { Image, ImageVisibility, MemberStatus } from '../model.js';
import { IMAGE_STATUSES, IMAGE_VISIBILITIES, MEMBER_STATUSES } from '../model.js';
import type { ImageFilters, ImageListQuery, ImageManager, ImageUpdate } from '../images/index.js';
import { UnsupportedMediaType, authorize, imageTarget, queryString } from './common.js';
import type { Authorizer } from './common.js';
import { CORE_ATTRIBUTES, IMAGE_BODY, checkAllowed, checkWritable, imageAttributes } from './schemas.js';
import type { ImageBody } from './schemas.js';
import { imageView } from './views.js';

export interface ImageRouteDeps {
  /** Checks Glance's named policy rules (imagePolicies) against the image as target. */
  readonly policy: Authorizer;
  /** Visibility, ownership and state rules; every read and change goes through it. */
  readonly images: ImageManager;
  /** Page size without `limit`; Glance's limit_param_default, 25. */
  readonly limitDefault?: number;
  /** Largest page whatever `limit` says; Glance's api_limit_max, 1000. */
  readonly limitMax?: number;
}

/** The PATCH media types Glance accepts; v2.0 is the older draft syntax. */
export const JSON_PATCH_V21 = 'application/openstack-images-v2.1-json-patch';
export const JSON_PATCH_V20 = 'application/openstack-images-v2.0-json-patch';

const idParams = Type.Object({ image_id: Type.String() });

// List query parsing (glance/api/v2/images.py RequestDeserializer.index).

const RESERVED_QUERY = new Set(['limit', 'marker', 'sort', 'sort_key', 'sort_dir', 'tag', 'member_status', 'visibility', 'size_min', 'size_max',
  'created_at', 'updated_at', 'os_hidden', 'protected', 'id', 'name', 'status', 'disk_format', 'container_format', 'owner',
  'size', 'checksum', 'min_disk', 'min_ram']);

/** `in:a,"b,c"` → ['a', 'b,c']; anything else → [value]. */
function inValues(value: string): string[] {
  if (!value.startsWith('in:')) return [value];
  const values: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of value.slice(3)) {
    if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) { values.push(current); current = ''; } else current += char;
  }
  values.push(current);
  return values;
}

function booleanQuery(query: unknown, name: string): boolean | undefined {
  const text = queryString(query, name);
  if (text === undefined) return undefined;
  if (['true', 'false'].includes(text.toLowerCase())) return text.toLowerCase() === 'true';
  throw new BadRequest(`Invalid value for ${name}: '${text}'. It must be true or false.`);
}

function sizeQuery(query: unknown, name: string): number | undefined {
  const text = queryString(query, name);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new BadRequest(`Invalid value for ${name}: '${text}'. It must be a non-negative integer.`);
  return Number(text);
}

function listFilter(query: unknown, name: string): string[] | undefined {
  const text = queryString(query, name);
  return text === undefined ? undefined : inValues(text);
}

function parseFilters(query: unknown): ImageFilters {
  const visibility = queryString(query, 'visibility');
  if (visibility !== undefined && visibility !== 'all' && !IMAGE_VISIBILITIES.includes(visibility as ImageVisibility)) {
    throw new BadRequest(`Invalid visibility value: ${visibility}`);
  }
  const memberStatus = queryString(query, 'member_status');
  if (memberStatus !== undefined && memberStatus !== 'all' && !MEMBER_STATUSES.includes(memberStatus as MemberStatus)) {
    throw new BadRequest(`Invalid status: ${memberStatus}`);
  }
  const status = listFilter(query, 'status');
  const badStatus = status?.find((s) => !(IMAGE_STATUSES as readonly string[]).includes(s));
  if (badStatus !== undefined) throw new BadRequest(`Invalid status value: ${badStatus}`);
  const properties: Record<string, string> = {};
  for (const key of Object.keys(query as Record<string, unknown>)) {
    if (!RESERVED_QUERY.has(key)) properties[key] = queryString(query, key) ?? '';
  }
  const filters: Record<string, unknown> = {
    id: listFilter(query, 'id'), name: listFilter(query, 'name'), status, diskFormat: listFilter(query, 'disk_format'),
    containerFormat: listFilter(query, 'container_format'), owner: listFilter(query, 'owner'), visibility, memberStatus,
    tags: parseTagFilter(query, 'glance'),
    sizeMin: sizeQuery(query, 'size_min'), sizeMax: sizeQuery(query, 'size_max'), size: sizeQuery(query, 'size'),
    checksum: listFilter(query, 'checksum'), minDisk: sizeQuery(query, 'min_disk'), minRam: sizeQuery(query, 'min_ram'),
    createdAt: parseTimeFilters(query, 'created_at'), updatedAt: parseTimeFilters(query, 'updated_at'),
    osHidden: booleanQuery(query, 'os_hidden'), protected: booleanQuery(query, 'protected'),
    properties: Object.keys(properties).length ? properties : undefined,
  };
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as ImageFilters;
}

/** The `first` and `next` links: the request's own query with the marker replaced. */
function pageLinks(request: FastifyRequest, nextMarker: string | undefined): { first: string; next?: string } {
  const params = new URLSearchParams(request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '');
  params.delete('marker');
  const first = params.size ? `/v2/images?${params.toString()}` : '/v2/images';
  if (nextMarker === undefined) return { first };
  params.set('marker', nextMarker);
  return { first, next: `/v2/images?${params.toString()}` };
}

// JSON patch (glance/api/v2/images.py RequestDeserializer.update and ImagesController._do_*).

type PatchOp = { readonly op: 'add' | 'replace' | 'remove'; readonly name: string; readonly value?: unknown };

function decodePointer(pointer: unknown): string {
  if (typeof pointer !== 'string') throw new BadRequest("Unable to find 'path' in JSON Schema change");
  const bad = (why: string) => new BadRequest(`Pointer \`${pointer}\` ${why}`);
  if (!pointer.startsWith('/')) throw bad('does not start with "/".');
  if (/\/\s*?\//.test(pointer.slice(1))) throw bad('contains adjacent "/".');
  if (pointer.length > 1 && pointer.endsWith('/')) throw bad('end with "/".');
  if (/~[^01]/.test(pointer) || pointer.endsWith('~')) throw bad('contains "~" not part of a recognized escape sequence.');
  const parts = pointer.slice(1).split('/').map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~').trim());
  // Locations are not shown (show_multiple_locations is off), so no client may edit them.
  if (parts[0] === 'locations') throw new Forbidden("It's not allowed to add locations if locations are invisible.");
  if (parts.length !== 1) throw new BadRequest(`Invalid JSON pointer for this resource: '/${parts.join('/')}'`);
  return parts[0]!;
}

const VERBS = ['add', 'remove', 'replace'] as const;

function operationOf(entry: Record<string, unknown>, v20: boolean): PatchOp['op'] {
  if (v20) {
    const present = VERBS.filter((verb) => verb in entry);
    if (present.length > 1) throw new BadRequest('Operation objects must contain only one member named "add", "remove", or "replace".');
    if (present.length === 0) throw new BadRequest('Operation objects must contain exactly one member named "add", "remove", or "replace".');
    return present[0]!;
  }
  if (entry.op === undefined) throw new BadRequest('Unable to find `op` in JSON Schema change. It must be one of the following: add, remove, replace.');
  if (!VERBS.includes(entry.op as PatchOp['op'])) throw new BadRequest(`Invalid operation: \`${String(entry.op)}\`. It must be one of the following: add, remove, replace.`);
  return entry.op as PatchOp['op'];
}

function parseOperation(raw: unknown, v20: boolean): PatchOp {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new BadRequest('Operations must be JSON objects.');
  const entry = raw as Record<string, unknown>;
  const op = operationOf(entry, v20);
  const name = decodePointer(v20 ? entry[op] : entry.path);
  if (op !== 'remove' && !('value' in entry)) throw new BadRequest(`Operation "${op}" requires a member named "value".`);
  return op === 'remove' ? { op, name } : { op, name, value: entry.value };
}

/** The image as a flat wire-named record of everything a patch may touch. */
function patchable(image: Image): Record<string, unknown> {
  return {
    ...image.properties, name: image.name, visibility: image.visibility, protected: image.protected, os_hidden: image.osHidden,
    owner: image.owner, disk_format: image.diskFormat, container_format: image.containerFormat, min_disk: image.minDisk,
    min_ram: image.minRam, tags: [...image.tags],
  };
}

function applyOperation(doc: Record<string, unknown>, op: PatchOp, v20: boolean): void {
  checkWritable(op.name, 'update');
  if (op.name === 'locations') throw new Forbidden("It's not allowed to add locations if locations are invisible.");
  const isCore = CORE_ATTRIBUTES.has(op.name);
  const exists = Object.hasOwn(doc, op.name);
  switch (op.op) {
    case 'add':
      if (v20 && exists) throw new Conflict(`Property ${op.name} already present.`);
      doc[op.name] = op.value;
      return;
    case 'replace':
      if (!isCore && !exists) throw new Conflict(`Property ${op.name} does not exist.`);
      doc[op.name] = op.value;
      return;
    case 'remove':
      if (isCore) throw new Forbidden(`Property ${op.name} may not be removed.`);
      if (!exists) throw new Conflict(`Property ${op.name} does not exist.`);
      delete doc[op.name];
  }
}

function parsePatch(request: FastifyRequest, image: Image, checkImage: SchemaCheck<typeof IMAGE_BODY>): ImageUpdate {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== JSON_PATCH_V21 && type !== JSON_PATCH_V20) {
    throw new UnsupportedMediaType('The request media type is not supported by this resource.', [JSON_PATCH_V20, JSON_PATCH_V21]);
  }
  const v20 = type === JSON_PATCH_V20;
  if (!Array.isArray(request.body)) throw new BadRequest('Request body must be a JSON array of operation objects.');
  // Glance's own properties (os_glance_import_task...) are kept as they are; no patch may touch them.
  const system = Object.fromEntries(Object.entries(image.properties).filter(([key]) => key.startsWith('os_glance')));
  const doc = Object.fromEntries(Object.entries(patchable(image)).filter(([key]) => !Object.hasOwn(system, key)));
  for (const raw of request.body) applyOperation(doc, parseOperation(raw, v20), v20);
  // The patched image must still match Glance's image schema, as Glance validates it.
  const checked = checkImage(doc);
  if (!checked.ok) throw checked.violation;
  const { id: _id, ...update } = imageAttributes(checked.value);
  return { ...update, properties: { ...update.properties, ...system } };
}

// Handlers.

function checkVisibilityPolicy(deps: ImageRouteDeps, context: RequestContext, target: Record<string, unknown>, visibility: ImageVisibility | undefined): void {
  if (visibility === 'public') deps.policy.authorize('publicize_image', target, context);
  if (visibility === 'community') deps.policy.authorize('communitize_image', target, context);
}

async function createImage(deps: ImageRouteDeps, request: FastifyRequest, body: ImageBody): Promise<Image> {
  const context = requireAuth(request);
  const input = imageAttributes(body);
  const owner = input.owner ?? context.projectId ?? null;
  const target = { ...input.properties, project_id: owner, owner, visibility: input.visibility ?? 'shared' };
  deps.policy.authorize('add_image', target, context);
  checkVisibilityPolicy(deps, context, target, input.visibility);
  return deps.images.createImage(context, input);
}

async function updateImage(deps: ImageRouteDeps, request: FastifyRequest, imageId: string, checkImage: SchemaCheck<typeof IMAGE_BODY>): Promise<Image> {
  const context = requireAuth(request);
  const image = await deps.images.getImage(context, imageId);
  const target = imageTarget(image);
  deps.policy.authorize('modify_image', target, context);
  const update = parsePatch(request, image, checkImage);
  if (update.visibility !== image.visibility) checkVisibilityPolicy(deps, context, target, update.visibility);
  return deps.images.updateImage(context, image.id, update);
}

/**
 * Route hook: 415 for a body in any media type but JSON. A request without Content-Type has
 * no body to refuse; the schema then answers "Body expected in request.".
 */
async function requireJsonBody(request: FastifyRequest): Promise<void> {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== undefined && type !== 'application/json') {
    throw new UnsupportedMediaType(`The request media type ${type} is not supported by this server.`);
  }
}

/** Registers the JSON-patch media types as JSON bodies, refused like any JSON body when malformed. */
export function registerJsonPatchParser(app: FastifyInstance): void {
  for (const type of [JSON_PATCH_V21, JSON_PATCH_V20]) {
    if (!app.hasContentTypeParser(type)) addJsonBodyParser(app, type);
  }
}

/** Registers /v2/images, /v2/images/{id} and /v2/images/{id}/actions/{deactivate,reactivate}. */
export function registerImageRoutes(app: ApiServer, deps: ImageRouteDeps): void {
  registerJsonPatchParser(app);
  const checkImage = createSchemaCompiler().compile(IMAGE_BODY);

  app.get('/v2/images', async (request) => {
    const context = authorize(deps.policy, request, 'get_images');
    const marker = parseMarker(request.query);
    const query: ImageListQuery = {
      filters: parseFilters(request.query),
      sort: parseSort(request.query, { keys: SORT_KEYS, defaultSort: [{ key: 'created_at', dir: 'desc' }] }),
      limit: parseLimit(request.query, { default: deps.limitDefault ?? 25, max: deps.limitMax ?? 1000 }),
      ...(marker === undefined ? {} : { marker }),
    };
    const page = await deps.images.listImages(context, query);
    return { images: page.images.map(imageView), ...pageLinks(request, page.nextMarker), schema: '/v2/schemas/images' };
  });

  app.post('/v2/images', {
    schema: { body: IMAGE_BODY },
    // Image attributes come as JSON only (Glance answers 415 otherwise), and read-only or
    // reserved ones are refused (403) before the schema is checked, as Glance's _check_allowed.
    onRequest: requireJsonBody,
    preValidation: async (request) => checkAllowed(request.body, 'create'),
  }, async (request, reply) => {
    const image = await createImage(deps, request, request.body);
    return reply.status(201).header('location', `/v2/images/${image.id}`).send(imageView(image));
  });

  app.get('/v2/images/:image_id', { schema: { params: idParams } }, async (request) => {
    const context = requireAuth(request);
    const image = await deps.images.getImage(context, request.params.image_id);
    deps.policy.authorize('get_image', imageTarget(image), context);
    return imageView(image);
  });

  app.patch('/v2/images/:image_id', { schema: { params: idParams } }, async (request) => imageView(await updateImage(deps, request, request.params.image_id, checkImage)));

  app.delete('/v2/images/:image_id', { schema: { params: idParams } }, async (request, reply) => {
    const context = requireAuth(request);
    const image = await deps.images.getImage(context, request.params.image_id);
    deps.policy.authorize('delete_image', imageTarget(image), context);
    await deps.images.deleteImage(context, image.id);
    return reply.status(204).send();
  });

  for (const action of ['deactivate', 'reactivate'] as const) {
    app.post(`/v2/images/:image_id/actions/${action}`, { schema: { params: idParams } }, async (request, reply) => {
      const context = requireAuth(request);
      const image = await deps.images.getImage(context, request.params.image_id);
      deps.policy.authorize(action, imageTarget(image), context);
      await deps.images[action](context, image.id);
      return reply.status(204).send();
    });
  }
}
