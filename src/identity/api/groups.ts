// /v3/groups and memberships (/v3/groups/{id}/users[/{user_id}], /v3/users/{id}/groups).
// Mirrors keystone/api/groups.py and UserGroupsResource of keystone/api/users.py.

import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Static } from 'typebox';
import { requireAuth } from '../../common/auth/index.js';
import { Nullable } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import { EntityNotFound, ValidationError } from '../errors.js';
import type { Group, GroupCreate, GroupFilter, GroupUpdate, IdentityManager } from '../users/index.js';
import { authorize, entityLinks, listBody, queryString } from './common.js';
import type { Authorizer } from './common.js';
import {
  DOMAIN_ID_SCHEMA, NAME_SCHEMA, extraAttributes, inCallerDomain, optional, userFilter, userTarget, userView,
} from './users.js';

export interface GroupRouteDeps {
  readonly policy: Authorizer;
  readonly identity: IdentityManager;
}

// keystone/identity/schema.py; groups keep any other attribute as an extra one.
const GROUP_PROPERTIES = {
  name: Type.Optional(NAME_SCHEMA),
  domain_id: Type.Optional(DOMAIN_ID_SCHEMA),
  description: Type.Optional(Nullable(Type.String())),
  // Refused unless it is the group's own (400 "Cannot change ID").
  id: Type.Optional(Type.Unknown()),
};
const GROUP_BODY = Type.Object(GROUP_PROPERTIES, { additionalProperties: true });

const CREATE_GROUP_BODY = Type.Object({
  group: Type.Object({ ...GROUP_PROPERTIES, name: NAME_SCHEMA }, { additionalProperties: true }),
}, { additionalProperties: false });

const UPDATE_GROUP_BODY = Type.Object({
  group: Type.Object(GROUP_PROPERTIES, { minProperties: 1, additionalProperties: true }),
}, { additionalProperties: false });

type GroupBody = Static<typeof GROUP_BODY>;

const GROUP_PARAMS = Type.Object({ group_id: Type.String() });
const MEMBERSHIP_PARAMS = Type.Object({ group_id: Type.String(), user_id: Type.String() });
const USER_PARAMS = Type.Object({ user_id: Type.String() });
type GroupParams = Static<typeof GROUP_PARAMS>;
type MembershipParams = Static<typeof MEMBERSHIP_PARAMS>;

const GROUP_CORE_FIELDS = new Set(['id', 'name', 'domain_id', 'description', 'links']);

/** The wire form of a group: extra attributes at the top level. */
export function groupView(request: FastifyRequest, group: Group): Record<string, unknown> {
  return {
    ...group.extra,
    id: group.id,
    name: group.name,
    domain_id: group.domainId,
    description: group.description,
    links: entityLinks(request, `groups/${group.id}`),
  };
}

function groupTarget(group: Group): Record<string, unknown> {
  return { id: group.id, name: group.name, domain_id: group.domainId, description: group.description };
}

function groupFilter(query: unknown): GroupFilter {
  const name = queryString(query, 'name');
  const domainId = queryString(query, 'domain_id');
  return { ...(name !== undefined ? { name } : {}), ...(domainId !== undefined ? { domainId } : {}) };
}

function groupCreate(body: GroupBody & { readonly name: string }, callerDomainId: string | undefined): GroupCreate {
  const domainId = body.domain_id ?? callerDomainId;
  return {
    name: body.name,
    ...(domainId !== undefined ? { domainId } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    extra: extraAttributes(body, GROUP_CORE_FIELDS),
  };
}

function groupUpdate(body: GroupBody): GroupUpdate {
  const extra = extraAttributes(body, GROUP_CORE_FIELDS);
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.domain_id !== undefined ? { domainId: body.domain_id } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

/** Loads the group after authentication, authorizes with it as target, then 404s if it is missing. */
async function authorizeOnGroup(deps: GroupRouteDeps, request: FastifyRequest<{ Params: GroupParams }>, action: string): Promise<Group> {
  requireAuth(request);
  const groupId = request.params.group_id;
  const group = await optional(deps.identity.getGroup(groupId));
  authorize(deps.policy, request, action, { group_id: groupId, target: group ? { group: groupTarget(group) } : {} });
  if (!group) throw new EntityNotFound('group', groupId);
  return group;
}

/** Membership calls: the target carries whichever of the group and the user exist. */
async function authorizeOnMembership(deps: GroupRouteDeps, request: FastifyRequest<{ Params: MembershipParams }>, action: string): Promise<void> {
  requireAuth(request);
  const { group_id: groupId, user_id: userId } = request.params;
  const group = await optional(deps.identity.getGroup(groupId));
  const user = await optional(deps.identity.getUser(userId));
  authorize(deps.policy, request, action, {
    group_id: groupId, user_id: userId,
    target: { ...(group ? { group: groupTarget(group) } : {}), ...(user ? { user: userTarget(user) } : {}) },
  });
}

function registerGroupCrud(app: ApiServer, deps: GroupRouteDeps): void {
  app.get('/v3/groups', async (request) => {
    const context = requireAuth(request);
    authorize(deps.policy, request, 'identity:list_groups', context.domainId ? { target: { group: { domain_id: context.domainId } } } : {});
    const groups = await deps.identity.listGroups(groupFilter(request.query));
    return listBody(request, 'groups', inCallerDomain(context, groups).map((group) => groupView(request, group)));
  });

  app.post('/v3/groups', { schema: { body: CREATE_GROUP_BODY } }, async (request, reply) => {
    const body = request.body.group;
    const context = authorize(deps.policy, request, 'identity:create_group', { target: { group: body } });
    const group = await deps.identity.createGroup(groupCreate(body, context.domainId));
    return reply.status(201).send({ group: groupView(request, group) });
  });

  app.get('/v3/groups/:group_id', { schema: { params: GROUP_PARAMS } }, async (request) => {
    const group = await authorizeOnGroup(deps, request, 'identity:get_group');
    return { group: groupView(request, group) };
  });

  app.patch('/v3/groups/:group_id', { schema: { params: GROUP_PARAMS, body: UPDATE_GROUP_BODY } }, async (request) => {
    const group = await authorizeOnGroup(deps, request, 'identity:update_group');
    const body = request.body.group;
    if (body.id !== undefined && body.id !== null && body.id !== group.id) throw new ValidationError('Cannot change ID');
    return { group: groupView(request, await deps.identity.updateGroup(group.id, groupUpdate(body))) };
  });

  app.delete('/v3/groups/:group_id', { schema: { params: GROUP_PARAMS } }, async (request, reply) => {
    const group = await authorizeOnGroup(deps, request, 'identity:delete_group');
    await deps.identity.deleteGroup(group.id);
    return reply.status(204).send();
  });
}

function registerMemberships(app: ApiServer, deps: GroupRouteDeps): void {
  app.get('/v3/groups/:group_id/users', { schema: { params: GROUP_PARAMS } }, async (request) => {
    const group = await authorizeOnGroup(deps, request, 'identity:list_users_in_group');
    const users = await deps.identity.listUsersInGroup(group.id, userFilter(request.query));
    return listBody(request, 'users', inCallerDomain(requireAuth(request), users).map((user) => userView(request, user)));
  });

  app.get('/v3/groups/:group_id/users/:user_id', { schema: { params: MEMBERSHIP_PARAMS } }, async (request, reply) => {
    await authorizeOnMembership(deps, request, 'identity:check_user_in_group');
    await deps.identity.checkUserInGroup(request.params.user_id, request.params.group_id);
    return reply.status(204).send();
  });

  app.put('/v3/groups/:group_id/users/:user_id', { schema: { params: MEMBERSHIP_PARAMS } }, async (request, reply) => {
    await authorizeOnMembership(deps, request, 'identity:add_user_to_group');
    await deps.identity.addUserToGroup(request.params.user_id, request.params.group_id);
    return reply.status(204).send();
  });

  app.delete('/v3/groups/:group_id/users/:user_id', { schema: { params: MEMBERSHIP_PARAMS } }, async (request, reply) => {
    await authorizeOnMembership(deps, request, 'identity:remove_user_from_group');
    await deps.identity.removeUserFromGroup(request.params.user_id, request.params.group_id);
    return reply.status(204).send();
  });

  app.get('/v3/users/:user_id/groups', { schema: { params: USER_PARAMS } }, async (request) => {
    const context = requireAuth(request);
    const userId = request.params.user_id;
    const user = await optional(deps.identity.getUser(userId));
    authorize(deps.policy, request, 'identity:list_groups_for_user', { user_id: userId, target: user ? { user: userTarget(user) } : {} });
    if (!user) throw new EntityNotFound('user', userId);
    const name = queryString(request.query, 'name');
    const groups = await deps.identity.listGroupsForUser(user.id, name !== undefined ? { name } : {});
    // Keystone reports when a federated (expiring) membership ends; local ones never do.
    const body = inCallerDomain(context, groups).map((group) => ({ ...groupView(request, group), membership_expires_at: null }));
    return listBody(request, 'groups', body);
  });
}

/** Registers /v3/groups, its membership routes and GET /v3/users/{user_id}/groups. */
export function registerGroupRoutes(app: ApiServer, deps: GroupRouteDeps): void {
  registerGroupCrud(app, deps);
  registerMemberships(app, deps);
}
