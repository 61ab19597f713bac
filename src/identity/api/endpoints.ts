// /v3/endpoints: where each service is reached, per interface and region. Mirrors
// keystone/api/endpoints.py; bodies follow keystone/catalog/schema.py.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ENDPOINT_INTERFACES, extraAttributes } from '../catalog/index.js';
import type { CatalogManager, Endpoint, EndpointFilter, EndpointInterface } from '../catalog/index.js';
import { ValidationError } from '../errors.js';
import { authorize, entityLinks, listBody, queryString } from './common.js';
import type { Authorizer } from './common.js';

export interface EndpointRouteDeps {
  readonly policy: Authorizer;
  readonly catalog: CatalogManager;
}

interface EndpointBody {
  readonly id?: unknown;
  readonly interface?: EndpointInterface;
  readonly region_id?: string | null;
  readonly region?: string | null;
  readonly service_id?: string;
  readonly url?: string;
  readonly enabled?: boolean;
  readonly [extra: string]: unknown;
}

type NewEndpointBody = EndpointBody & { interface: EndpointInterface; service_id: string; url: string };

const endpointProperties = {
  enabled: { type: 'boolean' },
  interface: { type: 'string', enum: ENDPOINT_INTERFACES },
  region_id: { type: ['string', 'null'] },
  region: { type: ['string', 'null'] },
  service_id: { type: 'string' },
  url: { type: 'string', minLength: 0, maxLength: 225, pattern: '^[a-zA-Z0-9+.-]+:.+' },
  name: { type: 'string' },
  description: { type: ['string', 'null'] },
};
const createSchema = {
  type: 'object',
  required: ['endpoint'],
  properties: {
    endpoint: {
      type: 'object', properties: { id: { type: 'string' }, ...endpointProperties },
      required: ['interface', 'service_id', 'url'], additionalProperties: true,
    },
  },
  additionalProperties: false,
};
const updateSchema = {
  type: 'object',
  required: ['endpoint'],
  properties: { endpoint: { type: 'object', properties: endpointProperties, minProperties: 1, additionalProperties: true } },
  additionalProperties: false,
};
const listQuerySchema = {
  type: 'object',
  properties: { interface: { type: 'string', enum: ENDPOINT_INTERFACES }, region_id: { type: 'string' }, service_id: { type: 'string' } },
  additionalProperties: true,
};
// `legacy_endpoint_id` belonged to v2 endpoints and is never shown.
const KNOWN = ['interface', 'region_id', 'region', 'service_id', 'url', 'enabled', 'legacy_endpoint_id'];

type EndpointParams = { endpoint_id: string };

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

export function registerEndpointRoutes(app: FastifyInstance, deps: EndpointRouteDeps): void {
  app.get('/v3/endpoints', { schema: { querystring: listQuerySchema } }, async (request) => {
    authorize(deps.policy, request, 'identity:list_endpoints');
    const endpoints = await deps.catalog.listEndpoints(listFilter(request.query));
    return listBody(request, 'endpoints', endpoints.map((e) => endpointView(request, e)));
  });

  app.post<{ Body: { endpoint: NewEndpointBody } }>('/v3/endpoints', { schema: { body: createSchema } }, async (request, reply) => {
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

  app.get<{ Params: EndpointParams }>('/v3/endpoints/:endpoint_id', async (request) => {
    authorize(deps.policy, request, 'identity:get_endpoint');
    return { endpoint: endpointView(request, await deps.catalog.getEndpoint(request.params.endpoint_id)) };
  });

  app.patch<{ Params: EndpointParams; Body: { endpoint: EndpointBody } }>('/v3/endpoints/:endpoint_id', { schema: { body: updateSchema } }, async (request) => {
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

  app.delete<{ Params: EndpointParams }>('/v3/endpoints/:endpoint_id', async (request, reply) => {
    authorize(deps.policy, request, 'identity:delete_endpoint');
    await deps.catalog.deleteEndpoint(request.params.endpoint_id);
    return reply.status(204).send();
  });
}
