// /v3/services: the catalog's services. Mirrors keystone/api/services.py; bodies follow
// keystone/catalog/schema.py. Deleting a service deletes its endpoints.

import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { ApiServer } from '../../common/http/index.js';
import { extraAttributes } from '../catalog/index.js';
import type { CatalogManager, Service, ServiceFilter } from '../catalog/index.js';
import { ValidationError } from '../errors.js';
import { authorize, entityLinks, listBody, queryString } from './common.js';
import type { Authorizer } from './common.js';

export interface ServiceRouteDeps {
  readonly policy: Authorizer;
  readonly catalog: CatalogManager;
}

const serviceProperties = {
  enabled: Type.Optional(Type.Boolean()),
  type: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  // Refused unless it is the service's own (400 "Cannot change ID").
  id: Type.Optional(Type.Unknown()),
};
// Services keep any other attribute as an extra one.
const createSchema = Type.Object({
  service: Type.Object({ ...serviceProperties, type: Type.String({ minLength: 1, maxLength: 255 }) }, { additionalProperties: true }),
});
const updateSchema = Type.Object({
  service: Type.Object(serviceProperties, { minProperties: 1, additionalProperties: true }),
});
const idParams = Type.Object({ service_id: Type.String() });
const KNOWN = ['type', 'name', 'enabled'];

function serviceView(request: FastifyRequest, service: Service): Record<string, unknown> {
  return {
    ...service.extra,
    id: service.id,
    type: service.type,
    name: service.name,
    enabled: service.enabled,
    links: entityLinks(request, `services/${service.id}`),
  };
}

function listFilter(query: unknown): ServiceFilter {
  const type = queryString(query, 'type');
  const name = queryString(query, 'name');
  return { ...(type === undefined ? {} : { type }), ...(name === undefined ? {} : { name }) };
}

export function registerServiceRoutes(app: ApiServer, deps: ServiceRouteDeps): void {
  app.get('/v3/services', async (request) => {
    authorize(deps.policy, request, 'identity:list_services');
    const services = await deps.catalog.listServices(listFilter(request.query));
    return listBody(request, 'services', services.map((s) => serviceView(request, s)));
  });

  app.post('/v3/services', { schema: { body: createSchema } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:create_service');
    const body = request.body.service;
    const service = await deps.catalog.createService({
      type: body.type,
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      extra: extraAttributes(body, KNOWN),
    });
    return reply.status(201).send({ service: serviceView(request, service) });
  });

  app.get('/v3/services/:service_id', { schema: { params: idParams } }, async (request) => {
    authorize(deps.policy, request, 'identity:get_service');
    return { service: serviceView(request, await deps.catalog.getService(request.params.service_id)) };
  });

  app.patch('/v3/services/:service_id', { schema: { params: idParams, body: updateSchema } }, async (request) => {
    authorize(deps.policy, request, 'identity:update_service');
    const body = request.body.service;
    if (body.id != null && body.id !== request.params.service_id) throw new ValidationError('Cannot change ID');
    const service = await deps.catalog.updateService(request.params.service_id, {
      ...(body.type === undefined ? {} : { type: body.type }),
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      extra: extraAttributes(body, KNOWN),
    });
    return { service: serviceView(request, service) };
  });

  app.delete('/v3/services/:service_id', { schema: { params: idParams } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:delete_service');
    await deps.catalog.deleteService(request.params.service_id);
    return reply.status(204).send();
  });
}
