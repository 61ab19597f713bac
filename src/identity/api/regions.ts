// /v3/regions: create (POST, or PUT with the id in the path), list, show, update, delete.
// Mirrors keystone/api/regions.py; bodies follow keystone/catalog/schema.py.

import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Static } from 'typebox';
import { Nullable } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import { extraAttributes } from '../catalog/index.js';
import type { CatalogManager, Region } from '../catalog/index.js';
import { ValidationError } from '../errors.js';
import { authorize, entityLinks, listBody } from './common.js';
import type { Authorizer } from './common.js';

export interface RegionRouteDeps {
  readonly policy: Authorizer;
  readonly catalog: CatalogManager;
}

const regionId = Nullable(Type.String({ minLength: 1, maxLength: 255 }));
const regionProperties = {
  description: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  id: Type.Optional(regionId),
  parent_region_id: Type.Optional(regionId),
};
// Regions keep any other attribute as an extra one; on create an empty id means "generate one".
const createSchema = Type.Object({
  region: Type.Object({ ...regionProperties, id: Type.Optional(Nullable(Type.String({ minLength: 0, maxLength: 255 }))) }, { additionalProperties: true }),
});
const updateSchema = Type.Object({
  region: Type.Object(regionProperties, { minProperties: 1, additionalProperties: true }),
}, { additionalProperties: false });
const listQuerySchema = Type.Object({ parent_region_id: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })) }, { additionalProperties: false });
const idParams = Type.Object({ region_id: Type.String() });
const putParamsSchema = Type.Object({ region_id: Type.String({ maxLength: 255 }) });
const KNOWN = ['description', 'parent_region_id'];

/** A region body once validated (create or update). */
type RegionBody = Static<typeof createSchema>['region'];

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

export function registerRegionRoutes(app: ApiServer, deps: RegionRouteDeps): void {
  app.get('/v3/regions', { schema: { querystring: listQuerySchema } }, async (request) => {
    authorize(deps.policy, request, 'identity:list_regions');
    const parentRegionId = request.query.parent_region_id;
    const regions = await deps.catalog.listRegions(parentRegionId === undefined ? {} : { parentRegionId });
    return listBody(request, 'regions', regions.map((r) => regionView(request, r)));
  });

  app.post('/v3/regions', { schema: { body: createSchema } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:create_region');
    const body = request.body.region;
    // An empty id means "generate one", as Keystone has always allowed on POST.
    const region = await createFromBody(deps, body, body.id || undefined);
    return reply.status(201).send({ region: regionView(request, region) });
  });

  app.get('/v3/regions/:region_id', { schema: { params: idParams } }, async (request) => {
    authorize(deps.policy, request, 'identity:get_region');
    return { region: regionView(request, await deps.catalog.getRegion(request.params.region_id)) };
  });

  app.put('/v3/regions/:region_id', { schema: { params: putParamsSchema, body: createSchema } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:create_region');
    const body = request.body.region;
    const id = request.params.region_id;
    if ('id' in body && body.id !== id) {
      throw new ValidationError(`Conflicting region IDs specified: "${id}" != "${String(body.id)}"`);
    }
    const region = await createFromBody(deps, body, id);
    return reply.status(201).send({ region: regionView(request, region) });
  });

  app.patch('/v3/regions/:region_id', { schema: { params: idParams, body: updateSchema } }, async (request) => {
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

  app.delete('/v3/regions/:region_id', { schema: { params: idParams } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:delete_region');
    await deps.catalog.deleteRegion(request.params.region_id);
    return reply.status(204).send();
  });
}
