// /v3/users: create, show, list, update, delete, and the self-service password change.
// Mirrors keystone/api/users.py (UserResource, UsersResource, UserChangePasswordResource).

import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Static } from 'typebox';
import { requireAuth } from '../../common/auth/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import { Nullable } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import { EntityNotFound, ValidationError } from '../errors.js';
import type { ExtraAttributes, IdentityManager, User, UserCreate, UserFilter, UserOptionName, UserUpdate } from '../users/index.js';
import { MAX_PASSWORD_LENGTH, PASSWORD_TOO_LONG } from '../users/index.js';
import { authorize, entityLinks, listBody, queryBoolean, queryString } from './common.js';
import type { Authorizer } from './common.js';

export interface UserRouteDeps {
  readonly policy: Authorizer;
  readonly identity: IdentityManager;
}

// ---- request schemas (keystone/identity/schema.py): Ajv checks them, handlers get their types.

export const NAME_SCHEMA = Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' });
export const DOMAIN_ID_SCHEMA = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' });

/** A password: Keystone's length cap, in its own words. */
export const PASSWORD_SCHEMA = Type.String({ maxLength: MAX_PASSWORD_LENGTH, errorMessage: { maxLength: PASSWORD_TOO_LONG } });

const NULLABLE_BOOLEAN = Type.Optional(Nullable(Type.Boolean()));

/** keystone/identity/backends/resource_options.py: every option a nullable boolean but the MFA rules. */
const OPTIONS_SCHEMA = Type.Object({
  ignore_change_password_upon_first_use: NULLABLE_BOOLEAN,
  ignore_password_expiry: NULLABLE_BOOLEAN,
  ignore_lockout_failure_attempts: NULLABLE_BOOLEAN,
  lock_password: NULLABLE_BOOLEAN,
  ignore_user_inactivity: NULLABLE_BOOLEAN,
  multi_factor_auth_rules: Type.Optional(Nullable(Type.Array(Type.Array(Type.String(), { minItems: 1, uniqueItems: true }), { uniqueItems: true }))),
  multi_factor_auth_enabled: NULLABLE_BOOLEAN,
}, { additionalProperties: false });
// Every option Keystone registers, and no other.
OPTIONS_SCHEMA.properties satisfies Record<UserOptionName, unknown>;

const USER_PROPERTIES = {
  name: Type.Optional(NAME_SCHEMA),
  domain_id: Type.Optional(DOMAIN_ID_SCHEMA),
  enabled: Type.Optional(Type.Boolean()),
  default_project_id: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  description: Type.Optional(Nullable(Type.String())),
  // Null means no password; an empty one is refused rather than stored.
  password: Type.Optional(Nullable(Type.String({ ...PASSWORD_SCHEMA, minLength: 1 }))),
  options: Type.Optional(OPTIONS_SCHEMA),
  federated: Type.Optional(Type.Array(Type.Unknown())),
  // Refused unless it is the user's own (400 "Cannot change ID").
  id: Type.Optional(Type.Unknown()),
};

// Users keep any other attribute as an extra one (Keystone stores them in `extra`).
const USER_BODY = Type.Object(USER_PROPERTIES, { additionalProperties: true });

const CREATE_USER_BODY = Type.Object({
  user: Type.Object({ ...USER_PROPERTIES, name: NAME_SCHEMA }, { additionalProperties: true }),
}, { additionalProperties: false });

const UPDATE_USER_BODY = Type.Object({
  user: Type.Object(USER_PROPERTIES, { minProperties: 1, additionalProperties: true }),
}, { additionalProperties: false });

const CHANGE_PASSWORD_BODY = Type.Object({
  user: Type.Object({
    original_password: PASSWORD_SCHEMA,
    password: Type.String({ ...PASSWORD_SCHEMA, minLength: 1 }),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

/** The `user` member of a create or update body once validated. */
type UserBody = Static<typeof USER_BODY>;

const USER_PARAMS = Type.Object({ user_id: Type.String() });
type UserParams = Static<typeof USER_PARAMS>;

// ---- translation between wire bodies and the model

/** Attributes with a meaning of their own; everything else is kept in `extra`. */
const USER_CORE_FIELDS = new Set(['id', 'name', 'domain_id', 'enabled', 'default_project_id', 'password',
  'password_expires_at', 'options', 'federated', 'links']);

export function extraAttributes(body: Readonly<Record<string, unknown>>, core: ReadonlySet<string>): ExtraAttributes {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !core.has(key)));
}

function userCreate(body: UserBody & { readonly name: string }, context: RequestContext): UserCreate {
  return {
    name: body.name,
    // Keystone: the domain of a domain-scoped token, else the default domain.
    ...(body.domain_id !== undefined ? { domainId: body.domain_id } : context.domainId ? { domainId: context.domainId } : {}),
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    ...(body.default_project_id !== undefined ? { defaultProjectId: body.default_project_id } : {}),
    ...(body.password !== undefined ? { password: body.password } : {}),
    ...(body.options !== undefined ? { options: body.options } : {}),
    extra: extraAttributes(body, USER_CORE_FIELDS),
  };
}

function userUpdate(body: UserBody): UserUpdate {
  const extra = extraAttributes(body, USER_CORE_FIELDS);
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.domain_id !== undefined ? { domainId: body.domain_id } : {}),
    ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    ...(body.default_project_id !== undefined ? { defaultProjectId: body.default_project_id } : {}),
    ...(body.password !== undefined ? { password: body.password } : {}),
    ...(body.options !== undefined ? { options: body.options } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

/** The wire form of a user: extra attributes at the top level, never the password. */
export function userView(request: FastifyRequest, user: User): Record<string, unknown> {
  return {
    ...user.extra,
    id: user.id,
    name: user.name,
    domain_id: user.domainId,
    enabled: user.enabled,
    // Keystone leaves default_project_id out when it is unset.
    ...(user.defaultProjectId === null ? {} : { default_project_id: user.defaultProjectId }),
    password_expires_at: user.passwordExpiresAt,
    options: user.options,
    links: entityLinks(request, `users/${user.id}`),
  };
}

/** What policy rules see of a user (`%(target.user.domain_id)s`...). */
export function userTarget(user: User): Record<string, unknown> {
  return { id: user.id, name: user.name, domain_id: user.domainId, enabled: user.enabled, default_project_id: user.defaultProjectId };
}

/** The entity, or undefined when it does not exist; Keystone builds policy targets this way. */
export async function optional<T>(lookup: Promise<T>): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof EntityNotFound) return undefined;
    throw error;
  }
}

/** Loads the user after authentication, authorizes with it as target, then 404s if it is missing. */
async function authorizeOnUser(deps: UserRouteDeps, request: FastifyRequest<{ Params: UserParams }>, action: string): Promise<User> {
  requireAuth(request);
  const userId = request.params.user_id;
  const user = await optional(deps.identity.getUser(userId));
  authorize(deps.policy, request, action, { user_id: userId, target: user ? { user: userTarget(user) } : {} });
  if (!user) throw new EntityNotFound('user', userId);
  return user;
}

/** The `name`, `domain_id` and `enabled` filters of user lists. */
export function userFilter(query: unknown): UserFilter {
  const name = queryString(query, 'name');
  const domainId = queryString(query, 'domain_id');
  const enabled = queryBoolean(query, 'enabled');
  return { ...(name !== undefined ? { name } : {}), ...(domainId !== undefined ? { domainId } : {}), ...(enabled !== undefined ? { enabled } : {}) };
}

/** A domain-scoped caller only ever sees its own domain's entries. */
export function inCallerDomain<T extends { readonly domainId: string }>(context: RequestContext, items: readonly T[]): readonly T[] {
  return context.domainId ? items.filter((item) => item.domainId === context.domainId) : items;
}

// ---- routes

/**
 * Registers /v3/users, /v3/users/{user_id} (GET/HEAD/PATCH/DELETE) and
 * POST /v3/users/{user_id}/password, which the auth hook must treat as public.
 */
export function registerUserRoutes(app: ApiServer, deps: UserRouteDeps): void {
  app.get('/v3/users', async (request) => {
    const context = requireAuth(request);
    authorize(deps.policy, request, 'identity:list_users', context.domainId ? { target: { domain_id: context.domainId } } : {});
    const filter = userFilter(request.query);
    const users = await deps.identity.listUsers(context.domainId && !filter.domainId ? { ...filter, domainId: context.domainId } : filter);
    return listBody(request, 'users', inCallerDomain(context, users).map((user) => userView(request, user)));
  });

  app.post('/v3/users', { schema: { body: CREATE_USER_BODY } }, async (request, reply) => {
    const body = request.body.user;
    const { password: _secret, ...visible } = body;
    const context = authorize(deps.policy, request, 'identity:create_user', { target: { user: visible } });
    const user = await deps.identity.createUser(userCreate(body, context));
    return reply.status(201).send({ user: userView(request, user) });
  });

  app.get('/v3/users/:user_id', { schema: { params: USER_PARAMS } }, async (request) => {
    const user = await authorizeOnUser(deps, request, 'identity:get_user');
    return { user: userView(request, user) };
  });

  app.patch('/v3/users/:user_id', { schema: { params: USER_PARAMS, body: UPDATE_USER_BODY } }, async (request) => {
    const user = await authorizeOnUser(deps, request, 'identity:update_user');
    const body = request.body.user;
    if (body.id !== undefined && body.id !== null && body.id !== user.id) throw new ValidationError('Cannot change ID');
    return { user: userView(request, await deps.identity.updateUser(user.id, userUpdate(body))) };
  });

  app.delete('/v3/users/:user_id', { schema: { params: USER_PARAMS } }, async (request, reply) => {
    const user = await authorizeOnUser(deps, request, 'identity:delete_user');
    await deps.identity.deleteUser(user.id);
    return reply.status(204).send();
  });

  // No policy and no token needed, as in Keystone: proving the original password is the
  // authorization, and a user whose password expired has no other way to get a token.
  app.post('/v3/users/:user_id/password', { schema: { params: USER_PARAMS, body: CHANGE_PASSWORD_BODY } }, async (request, reply) => {
    const body = request.body.user;
    await deps.identity.changePassword(request.params.user_id, body.original_password, body.password);
    return reply.status(204).send();
  });
}
