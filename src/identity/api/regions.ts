// /v3/regions: create (POST, or PUT with the id in the path), list, show, update, delete.
// Mirrors keystone/api/regions.py; bodies follow keystone/catalog/schema.py.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { extraAttributes } from '../catalog/index.js';
import type { CatalogManager, Region } from '../catalog/index.js';
import { ValidationError } from '../errors.js';
import { authorize, entityLinks, listBody } from './common.js';
import type { Authorizer } from './common.js';

export interface RegionRouteDeps {
  readonly policy: Authorizer;
  readonly catalog: CatalogManager;
}

interface RegionBody {
  readonly id?: string | null;
  readonly description?: string | null;
  readonly parent_region_id?: string | null;
  readonly [extra: string]: unknown;
}

const regionId = { type: ['string', 'null'], minLength: 1, maxLength: 255 };
const regionProperties = {
  description: { type: ['string', 'null'], maxLength: 255 },
  id: regionId,
  parent_region_id: regionId,
};
const createSchema = {
  type: 'object',
  required: ['region'],
  properties: {
    region: { type: 'object', properties: { ...regionProperties, id: { ...regionId, minLength: 0 } }, additionalProperties: true },
  },
};
const updateSchema = {
  type: 'object',
  required: ['region'],
  properties: { region: { type: 'object', properties: regionProperties, minProperties: 1, additionalProperties: true } },
  additionalProperties: false,
};
const listQuerySchema = { type: 'object', properties: { parent_region_id: { type: 'string', minLength: 1, maxLength: 255 } }, additionalProperties: false };
const putParamsSchema = { type: 'object', properties: { region_id: { type: 'string', maxLength: 255 } } };
const KNOWN = ['description', 'parent_region_id'];

type RegionParams = { region_id: string };

function regionView(request: FastifyRequest, region: Region): Record<string, unknown> {
  return {
    ...region.extra,
    id: region.id,
    description: region.description,
    parent_region_id: region.parentRegionId,
    links: entityLinks(request, `regions/${region.id}`),
  };
}

async function createFromBody(deps: RegionRouteDeps, body: RegionBody, id: string | null | undefined): Promise<Region> {
  return deps.catalog.createRegion({
    id, description: body.description, parentRegionId: body.parent_region_id, extra: extraAttributes(body, KNOWN),
  });
}

export function registerRegionRoutes(app: FastifyInstance, deps: RegionRouteDeps): void {
  app.get<{ Querystring: { parent_region_id?: string } }>('/v3/regions', { schema: { querystring: listQuerySchema } }, async (request) => {
    authorize(deps.policy, request, 'identity:list_regions');
    const parentRegionId = request.query.parent_region_id;
    const regions = await deps.catalog.listRegions(parentRegionId === undefined ? {} : { parentRegionId });
    return listBody(request, 'regions', regions.map((r) => regionView(request, r)));
  });

  app.post<{ Body: { region: RegionBody } }>('/v3/regions', { schema: { body: createSchema } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:create_region');
    const body = request.body.region;
    // An empty id means "generate one", as Keystone has always allowed on POST.
    const region = await createFromBody(deps, body, body.id || undefined);
    return reply.status(201).send({ region: regionView(request, region) });
  });

  app.get<{ Params: RegionParams }>('/v3/regions/:region_id', async (request) => {
    authorize(deps.policy, request, 'identity:get_region');
    return { region: regionView(request, await deps.catalog.getRegion(request.params.region_id)) };
  });

  app.put<{ Params: RegionParams; Body: { region: RegionBody } }>('/v3/regions/:region_id', { schema: { params: putParamsSchema, body: createSchema } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:create_region');
    const body = request.body.region;
    const id = request.params.region_id;
    if ('id' in body && body.id !== id) {
      throw new ValidationError(`Conflicting region IDs specified: "${id}" != "${String(body.id)}"`);
    }
    const region = await createFromBody(deps, body, id);
    return reply.status(201).send({ region: regionView(request, region) });
  });

  app.patch<{ Params: RegionParams; Body: { region: RegionBody } }>('/v3/regions/:region_id', { schema: { body: updateSchema } }, async (request) => {
    authorize(deps.policy, request, 'identity:update_region');
    const body = request.body.region;
    if (body.id != null && body.id !== request.params.region_id) throw new ValidationError('Cannot change ID');
    const region = await deps.catalog.updateRegion(request.params.region_id, {
      ...('description' in body ? { description: body.description } : {}),
      ...('parent_region_id' in body ? { parentRegionId: body.parent_region_id } : {}),
      extra: extraAttributes(body, KNOWN),
    });
    return { region: regionView(request, region) };
  });

  app.delete<{ Params: RegionParams }>('/v3/regions/:region_id', async (request, reply) => {
    authorize(deps.policy, request, 'identity:delete_region');
    await deps.catalog.deleteRegion(request.params.region_id);
    return reply.status(204).send();
  });
}
