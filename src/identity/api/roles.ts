// /v3/roles, /v3/roles/{prior_role_id}/implies[/{implied_role_id}] and /v3/role_inferences.
// Mirrors keystone/api/roles.py and keystone/api/role_inferences.py.

import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Static } from 'typebox';
import { Nullable } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import type { RoleManager } from '../assignment/index.js';
import type { Role, RoleCreate, RoleUpdate } from '../assignment/index.js';
import { ValidationError } from '../errors.js';
import { authorize, entityLinks, listBody, queryString, v3Url } from './common.js';
import type { Authorizer } from './common.js';

export interface RoleRouteDeps {
  readonly policy: Authorizer;
  readonly roles: RoleManager;
}

const ID_PATTERN = '^[a-zA-Z0-9-]+$';
const NAME = Type.String({ minLength: 1, maxLength: 255, pattern: '[\\S]+' });

const roleProperties = {
  name: Type.Optional(NAME),
  description: Type.Optional(Nullable(Type.String())),
  domain_id: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64, pattern: ID_PATTERN }))),
  options: Type.Optional(Type.Object({ immutable: Type.Optional(Nullable(Type.Boolean())) }, { additionalProperties: false })),
  // Refused unless it is the role's own (400 "Cannot change ID").
  id: Type.Optional(Type.Unknown()),
};

// Roles keep any other attribute as an extra one.
const roleBody = Type.Object(roleProperties, { additionalProperties: true });
const createSchema = Type.Object({
  role: Type.Object({ ...roleProperties, name: NAME }, { additionalProperties: true }),
}, { additionalProperties: false });
const updateSchema = Type.Object({
  role: Type.Object(roleProperties, { minProperties: 1, additionalProperties: true }),
}, { additionalProperties: false });

/** A role body after schema validation. */
type RoleBody = Static<typeof roleBody>;

const KNOWN_FIELDS = new Set(['id', 'name', 'description', 'domain_id', 'options', 'links']);

/** Unknown attributes, named as Keystone stores them (`:` and `-` become `_`). */
function extraOf(body: RoleBody): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!KNOWN_FIELDS.has(key)) extra[key.replace(/[:-]/g, '_')] = value;
  }
  return extra;
}

function toCreate(body: RoleBody & { readonly name: string }): RoleCreate {
  return {
    name: body.name, domainId: body.domain_id ?? null, description: body.description ?? null,
    ...(body.options ? { options: body.options } : {}), extra: extraOf(body),
  };
}

function toUpdate(body: RoleBody): RoleUpdate {
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.domain_id !== undefined ? { domainId: body.domain_id } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.options !== undefined ? { options: body.options } : {}),
    extra: extraOf(body),
  };
}

export function roleView(request: FastifyRequest, role: Role): Record<string, unknown> {
  return {
    ...role.extra, id: role.id, name: role.name, domain_id: role.domainId, description: role.description,
    options: role.options, links: entityLinks(request, `roles/${role.id}`),
  };
}

/** A role as policy rules see it (`%(target.role.domain_id)s`, `%(target.role.name)s`). */
export function roleTarget(role: Role): Record<string, unknown> {
  return { ...role.extra, id: role.id, name: role.name, domain_id: role.domainId, description: role.description, options: role.options };
}

/** `{id, links, name}` of a role inside a role_inference body. */
function inferenceRole(request: FastifyRequest, role: Role): Record<string, unknown> {
  return { id: role.id, links: entityLinks(request, `roles/${role.id}`), name: role.name };
}

/**
 * Looks the role up, then checks `globalAction` for global or missing roles and
 * `domainAction` for domain-specific ones, so a caller learns nothing of roles it may not see.
 */
async function authorizedRole(deps: RoleRouteDeps, request: FastifyRequest, roleId: string, globalAction: string, domainAction: string): Promise<Role> {
  let role: Role | undefined;
  let failure: unknown;
  try {
    role = await deps.roles.getRole(roleId);
  } catch (error) {
    failure = error;
  }
  if (role === undefined) {
    authorize(deps.policy, request, globalAction, { role_id: roleId, target: {} });
    throw failure;
  }
  const action = role.domainId === null ? globalAction : domainAction;
  authorize(deps.policy, request, action, { role_id: roleId, target: { role: roleTarget(role) } });
  return role;
}

function registerRoleCrud(app: ApiServer, deps: RoleRouteDeps): void {
  app.get('/v3/roles', async (request) => {
    const domainId = queryString(request.query, 'domain_id');
    const name = queryString(request.query, 'name');
    const action = domainId ? 'identity:list_domain_roles' : 'identity:list_roles';
    authorize(deps.policy, request, action, { filter_attr: { ...(name !== undefined ? { name } : {}), ...(domainId ? { domain_id: domainId } : {}) } });
    // Without a domain_id filter Keystone lists global roles only.
    const roles = await deps.roles.listRoles({ domainId: domainId || null, ...(name !== undefined ? { name } : {}) });
    return listBody(request, 'roles', roles.map((role) => roleView(request, role)));
  });

  app.post('/v3/roles', { schema: { body: createSchema } }, async (request, reply) => {
    const body = request.body.role;
    if (body.domain_id) {
      authorize(deps.policy, request, 'identity:create_domain_role', { target: { role: body } });
    } else {
      authorize(deps.policy, request, 'identity:create_role');
    }
    const role = await deps.roles.createRole(toCreate(body));
    return reply.code(201).send({ role: roleView(request, role) });
  });

  app.get('/v3/roles/:role_id', { schema: { params: roleParams } }, async (request) => {
    const role = await authorizedRole(deps, request, request.params.role_id, 'identity:get_role', 'identity:get_domain_role');
    return { role: roleView(request, role) };
  });

  app.patch('/v3/roles/:role_id', { schema: { params: roleParams, body: updateSchema } }, async (request) => {
    const roleId = request.params.role_id;
    await authorizedRole(deps, request, roleId, 'identity:update_role', 'identity:update_domain_role');
    const body = request.body.role;
    if (body.id !== undefined && body.id !== null && body.id !== roleId) throw new ValidationError('Cannot change ID');
    const role = await deps.roles.updateRole(roleId, toUpdate(body));
    return { role: roleView(request, role) };
  });

  app.delete('/v3/roles/:role_id', { schema: { params: roleParams } }, async (request, reply) => {
    const roleId = request.params.role_id;
    await authorizedRole(deps, request, roleId, 'identity:delete_role', 'identity:delete_domain_role');
    await deps.roles.deleteRole(roleId);
    return reply.code(204).send();
  });
}

const roleParams = Type.Object({ role_id: Type.String() });
const priorParams = Type.Object({ prior_role_id: Type.String() });
const impliesParams = Type.Object({ prior_role_id: Type.String(), implied_role_id: Type.String() });
type ImpliesParams = Static<typeof impliesParams>;

/** Both roles of a rule, looked up before the policy check as Keystone does (404 first). */
async function ruleTarget(deps: RoleRouteDeps, params: Partial<ImpliesParams>): Promise<{ prior: Role; implied?: Role; policyTarget: Record<string, unknown> }> {
  const prior = await deps.roles.getRole(params.prior_role_id ?? '');
  const implied = params.implied_role_id === undefined ? undefined : await deps.roles.getRole(params.implied_role_id);
  const target = { prior_role: roleTarget(prior), ...(implied ? { implied_role: roleTarget(implied) } : {}) };
  return { prior, ...(implied ? { implied } : {}), policyTarget: { ...params, target } };
}

function inferenceBody(request: FastifyRequest, prior: Role, implied: Role): Record<string, unknown> {
  return {
    role_inference: { prior_role: inferenceRole(request, prior), implies: inferenceRole(request, implied) },
    links: { self: v3Url(request, `roles/${prior.id}/implies/${implied.id}`) },
  };
}

function registerImpliedRoles(app: ApiServer, deps: RoleRouteDeps): void {
  const path = '/v3/roles/:prior_role_id/implies/:implied_role_id';

  app.get('/v3/roles/:prior_role_id/implies', { schema: { params: priorParams } }, async (request) => {
    const { prior, policyTarget } = await ruleTarget(deps, request.params);
    authorize(deps.policy, request, 'identity:list_implied_roles', policyTarget);
    const implied = await deps.roles.listImpliedRoles(prior.id);
    return {
      role_inference: { prior_role: inferenceRole(request, prior), implies: implied.map((role) => inferenceRole(request, role)) },
      links: { self: v3Url(request, `roles/${prior.id}/implies`) },
    };
  });

  app.put(path, { schema: { params: impliesParams } }, async (request, reply) => {
    const { prior, implied, policyTarget } = await ruleTarget(deps, request.params);
    authorize(deps.policy, request, 'identity:create_implied_role', policyTarget);
    await deps.roles.createImpliedRole(prior.id, request.params.implied_role_id);
    return reply.code(201).send(inferenceBody(request, prior, implied as Role));
  });

  app.get(path, { schema: { params: impliesParams }, exposeHeadRoute: false }, async (request) => {
    const { prior, implied, policyTarget } = await ruleTarget(deps, request.params);
    authorize(deps.policy, request, 'identity:get_implied_role', policyTarget);
    await deps.roles.getImpliedRole(prior.id, request.params.implied_role_id);
    return inferenceBody(request, prior, implied as Role);
  });

  // Keystone answers HEAD with 204 and checks both check_implied_role and get_implied_role.
  app.head(path, { schema: { params: impliesParams } }, async (request, reply) => {
    const { prior, policyTarget } = await ruleTarget(deps, request.params);
    authorize(deps.policy, request, 'identity:check_implied_role', policyTarget);
    authorize(deps.policy, request, 'identity:get_implied_role', policyTarget);
    await deps.roles.getImpliedRole(prior.id, request.params.implied_role_id);
    return reply.code(204).send();
  });

  app.delete(path, { schema: { params: impliesParams } }, async (request, reply) => {
    const { prior, policyTarget } = await ruleTarget(deps, request.params);
    authorize(deps.policy, request, 'identity:delete_implied_role', policyTarget);
    await deps.roles.deleteImpliedRole(prior.id, request.params.implied_role_id);
    return reply.code(204).send();
  });

  app.get('/v3/role_inferences', async (request) => {
    authorize(deps.policy, request, 'identity:list_role_inference_rules');
    const inferences = await deps.roles.listRoleInferences();
    return {
      role_inferences: inferences.map((inference) => ({
        prior_role: inferenceRole(request, inference.priorRole),
        implies: inference.implies.map((role) => inferenceRole(request, role)),
      })),
    };
  });
}

/** Registers the role and implied-role routes. */
export function registerRoleRoutes(app: ApiServer, deps: RoleRouteDeps): void {
  registerRoleCrud(app, deps);
  registerImpliedRoles(app, deps);
}
