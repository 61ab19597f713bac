// /v3/domains (keystone/api/domains.py): request schemas, the wire view of a domain, thin handlers.
// Domain configuration (/v3/domains/{id}/config) and grants live elsewhere.

import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Static } from 'typebox';
import { NotFound } from '../../common/errors/index.js';
import { Nullable } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import { ValidationError } from '../errors.js';
import type { Domain, DomainUpdate, ResourceManager } from '../resource/index.js';
import { authorize, entityLinks, listBody, queryBoolean, queryString } from './common.js';
import type { Authorizer } from './common.js';
import { bodyBool, bodyOptions, booleanSchema, extraAttributes, nameSchema, optionsSchema, tagListSchema } from './projects.js';

export interface DomainRouteDeps {
  readonly policy: Authorizer;
  readonly resource: ResourceManager;
}

const domainProperties = {
  name: Type.Optional(nameSchema),
  description: Type.Optional(Nullable(Type.String({ maxLength: 255 }))),
  enabled: Type.Optional(booleanSchema),
  options: Type.Optional(optionsSchema),
  tags: Type.Optional(tagListSchema),
};

// Domains keep any other attribute as an extra one.
const createBody = Type.Object({
  ...domainProperties,
  name: nameSchema,
  explicit_domain_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' })),
}, { additionalProperties: true });
const updateBody = Type.Object(domainProperties, { minProperties: 1, additionalProperties: true });
const createSchema = Type.Object({ domain: createBody }, { additionalProperties: false });
const updateSchema = Type.Object({ domain: updateBody }, { additionalProperties: false });

const KNOWN_DOMAIN_ATTRIBUTES = [...Object.keys(domainProperties), 'explicit_domain_id'];

type DomainBody = Static<typeof updateBody>;

/** The wire form of a domain; extra attributes first so known ones win. */
export function domainView(request: FastifyRequest, domain: Domain): Record<string, unknown> {
  return {
    ...domain.extra,
    id: domain.id,
    name: domain.name,
    description: domain.description,
    enabled: domain.enabled,
    tags: [...domain.tags],
    options: { ...domain.options },
    links: entityLinks(request, `domains/${domain.id}`),
  };
}

/** `{target: {domain}}`, or no target when the domain does not exist (the 404 comes after the policy check). */
async function targetOf(resource: ResourceManager, domainId: string): Promise<Record<string, unknown>> {
  try {
    const domain = await resource.getDomain(domainId);
    return { target: { domain: { id: domain.id, name: domain.name, enabled: domain.enabled } } };
  } catch (error) {
    if (error instanceof NotFound) return {};
    throw error;
  }
}

/** Keystone accepts an explicit id only in its own format: uuid4 as 32 lowercase hex digits. */
function explicitId(value: string | undefined): string | undefined {
  if (value !== undefined && !/^[0-9a-f]{32}$/.test(value)) throw new ValidationError('Domain ID does not conform to required UUID format.');
  return value;
}

function updateOf(body: DomainBody): DomainUpdate {
  const extra = extraAttributes(body, KNOWN_DOMAIN_ATTRIBUTES);
  const enabled = bodyBool(body.enabled);
  const options = bodyOptions(body.options);
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.description !== undefined ? { description: body.description ?? '' } : {}),
    ...(enabled !== undefined ? { enabled } : {}),
    ...(body.tags !== undefined ? { tags: body.tags } : {}),
    ...(options !== undefined ? { options } : {}),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

const idParams = Type.Object({ domain_id: Type.String() });

/** Registers /v3/domains and /v3/domains/{domain_id}. */
export function registerDomainRoutes(app: ApiServer, deps: DomainRouteDeps): void {
  app.get('/v3/domains', async (request) => {
    const scoped = request.auth?.domainId;
    const context = authorize(deps.policy, request, 'identity:list_domains', scoped ? { target: { domain: { id: scoped } } } : {});
    const name = queryString(request.query, 'name');
    const enabled = queryBoolean(request.query, 'enabled');
    const domains = await deps.resource.listDomains({ ...(name !== undefined ? { name } : {}), ...(enabled !== undefined ? { enabled } : {}) });
    const visible = context.domainId ? domains.filter((d) => d.id === context.domainId) : domains;
    return listBody(request, 'domains', visible.map((d) => domainView(request, d)));
  });

  app.post('/v3/domains', { schema: { body: createSchema } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:create_domain');
    const body = request.body.domain;
    const id = explicitId(body.explicit_domain_id);
    const enabled = bodyBool(body.enabled);
    const domain = await deps.resource.createDomain({
      name: body.name,
      ...(id !== undefined ? { id } : {}),
      ...(body.description ? { description: body.description } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
      ...(body.tags !== undefined ? { tags: body.tags } : {}),
      ...(bodyOptions(body.options)?.immutable ? { options: { immutable: true } } : {}),
      extra: extraAttributes(body, KNOWN_DOMAIN_ATTRIBUTES),
    });
    return reply.status(201).send({ domain: domainView(request, domain) });
  });

  app.get('/v3/domains/:domain_id', { schema: { params: idParams } }, async (request) => {
    const id = request.params.domain_id;
    authorize(deps.policy, request, 'identity:get_domain', await targetOf(deps.resource, id));
    return { domain: domainView(request, await deps.resource.getDomain(id)) };
  });

  app.patch('/v3/domains/:domain_id', { schema: { params: idParams, body: updateSchema } }, async (request) => {
    authorize(deps.policy, request, 'identity:update_domain');
    const body = request.body.domain;
    return { domain: domainView(request, await deps.resource.updateDomain(request.params.domain_id, updateOf(body))) };
  });

  app.delete('/v3/domains/:domain_id', { schema: { params: idParams } }, async (request, reply) => {
    authorize(deps.policy, request, 'identity:delete_domain');
    await deps.resource.deleteDomain(request.params.domain_id);
    return reply.status(204).send();
  });
}
