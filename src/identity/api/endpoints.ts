// /v3/endpoints: where each service is reached, per interface and region. Mirrors
// keystone/api/endpoints.py; bodies follow keystone/catalog/schema.py.

import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { Enum, Nullable } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import { ENDPOINT_INTERFACES, extraAttributes } from '../catalog/index.js';
import type { CatalogManager, Endpoint, EndpointFilter, EndpointInterface } from '../catalog/index.js';
import { ValidationError } from '../errors.js';
import { authorize, entityLinks, listBody, queryString } from './common.js';
import type { Authorizer } from './common.js';

export interface EndpointRouteDeps {
  readonly policy: Authorizer;
  readonly catalog: CatalogManager;
}

const endpointProperties = {
  enabled: Type.Optional(Type.Boolean()),
  interface: Type.Optional(Enum(ENDPOINT_INTERFACES)),
  region_id: Type.Optional(Nullable(Type.String())),
  region: Type.Optional(Nullable(Type.String())),
  service_id: Type.Optional(Type.String()),
  url: Type.Optional(Type.String({ minLength: 0, maxLength: 225, pattern: '^[a-zA-Z0-9+.-]+:.+' })),
  name: Type.Optional(Type.String()),
  description: Type.Optional(Nullable(Type.String())),
  // Refused on update unless it is the endpoint's own (400 "Cannot change ID").
  id: Type.Optional(Type.Unknown()),
};
// Endpoints keep any other attribute as an extra one.
const createSchema = Type.Object({
  endpoint: Type.Object({
    ...endpointProperties,
    id: Type.Optional(Type.String()),
    interface: Enum(ENDPOINT_INTERFACES),
    service_id: Type.String(),
    url: Type.String({ minLength: 0, maxLength: 225, pattern: '^[a-zA-Z0-9+.-]+:.+' }),
  }, { additionalProperties: true }),
}, { additionalProperties: false });
const updateSchema = Type.Object({
  endpoint: Type.Object(endpointProperties, { minProperties: 1, additionalProperties: true }),
}, { additionalProperties: false });
const listQuerySchema = Type.Object({
  interface: Type.Optional(Enum(ENDPOINT_INTERFACES)),
  region_id: Type.Optional(Type.String()),
  service_id: Type.Optional(Type.String()),
}, { additionalProperties: true });
const idParams = Type.Object({ endpoint_id: Type.String() });
// `legacy_endpoint_id` belonged to v2 endpoints and is never shown.
const KNOWN = ['interface', 'region_id', 'region', 'service_id', 'url', 'enabled', 'legacy_endpoint_id'];

function endpointView(request: FastifyRequest, endpoint: Endpoint): Record<string, unknown> {
  return {
    ...endpoint.extra,
    id: endpoint.id,
    interface: endpoint.interface,
    region_id: endpoint.regionId,
    region: endpoint.regionId,
    service_id: endpoint.serviceId,
    url: endpoint.url,
    enabled: endpoint.enabled,
    links: entityLinks(request, `endpoints/${endpoint.id}`),
  };
}

function listFilter(query: unknown): EndpointFilter {
  const iface = queryString(query, 'interface') as EndpointInterface | undefined;
  const serviceId = queryString(query, 'service_id');
  const regionId = queryString(query, 'region_id');
  return {
    ...(iface === undefined ? {} : { interface: iface }),
    ...(serviceId === undefined ? {} : { serviceId }),
    ...(regionId === undefined ? {} : { regionId }),
  };
}

export function registerEndpointRoutes(app: ApiServer, deps: EndpointRouteDeps): void {
  app.get('/v3/endpoints', { schema: { querystring: listQuerySchema } }, async (request) => {
    authorize(deps.policy, request, 'identity:list_endpoints');
    const endpoints = await deps.catalog.listEndpoints(listFilter(request.query));
    return listBody(request, 'endpoints', endpoints.map((e) => endpointView(request, e)));
  });

  app.post('/v3/endpoints', { schema: { body: createSchema } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:create_endpoint');
    const body = request.body.endpoint;
    const endpoint = await deps.catalog.createEndpoint({
      interface: body.interface,
      serviceId: body.service_id,
      url: body.url,
      regionId: body.region_id,
      legacyRegion: body.region,
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      extra: extraAttributes(body, KNOWN),
    });
    return reply.status(201).send({ endpoint: endpointView(request, endpoint) });
  });

  app.get('/v3/endpoints/:endpoint_id', { schema: { params: idParams } }, async (request) => {
    authorize(deps.policy, request, 'identity:get_endpoint');
    return { endpoint: endpointView(request, await deps.catalog.getEndpoint(request.params.endpoint_id)) };
  });

  app.patch('/v3/endpoints/:endpoint_id', { schema: { params: idParams, body: updateSchema } }, async (request) => {
    authorize(deps.policy, request, 'identity:update_endpoint');
    const body = request.body.endpoint;
    if (body.id != null && body.id !== request.params.endpoint_id) throw new ValidationError('Cannot change ID');
    const endpoint = await deps.catalog.updateEndpoint(request.params.endpoint_id, {
      ...(body.interface === undefined ? {} : { interface: body.interface }),
      ...(body.service_id === undefined ? {} : { serviceId: body.service_id }),
      ...(body.url === undefined ? {} : { url: body.url }),
      ...('region_id' in body ? { regionId: body.region_id } : {}),
      ...('region' in body ? { legacyRegion: body.region } : {}),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      extra: extraAttributes(body, KNOWN),
    });
    return { endpoint: endpointView(request, endpoint) };
  });

  app.delete('/v3/endpoints/:endpoint_id', { schema: { params: idParams } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:delete_endpoint');
    await deps.catalog.deleteEndpoint(request.params.endpoint_id);
    return reply.status(204).send();
  });
}
