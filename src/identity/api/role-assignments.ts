// GET /v3/role_assignments (plain, effective, with names, for a project tree) and
// GET /v3/users/{user_id}/projects. Mirrors keystone/api/role_assignments.py and
// UserProjectsResource of keystone/api/users.py.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound } from '../../common/errors/index.js';
import { requireAuth } from '../../common/auth/index.js';
import type { ActorRef, AssignmentManager, IdentityLookup, NamedRoleAssignment, ResourceLookup, RoleAssignmentQuery } from '../assignment/index.js';
import { ValidationError } from '../errors.js';
import { authorize, listBody, queryBool, queryString, v3Url } from './common.js';
import type { Authorizer } from './common.js';

export interface RoleAssignmentRouteDeps {
  readonly policy: Authorizer;
  readonly assignment: AssignmentManager;
  /** Users, for the policy target of /v3/users/{user_id}/projects. */
  readonly identity: Pick<IdentityLookup, 'getUser'>;
  /** Projects, for the policy target of role assignments of a project tree. */
  readonly resources: Pick<ResourceLookup, 'getProject'>;
  /** Renders projects by id as GET /v3/projects shows them (the resource subsystem's view), skipping missing ones. */
  readonly renderProjects: (request: FastifyRequest, projectIds: readonly string[]) => Promise<readonly Record<string, unknown>[]>;
}

const ID = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' };

const querySchema = {
  type: 'object', additionalProperties: true,
  properties: { 'group.id': ID, 'role.id': ID, 'scope.domain.id': ID, 'scope.project.id': ID },
};

/** Keystone's reading of flag parameters: present means true, unless its value is `0`. */
function queryFlag(query: unknown, name: string): boolean {
  const value = queryString(query, name);
  return value !== undefined && value !== '0';
}

/** Keystone's 400s for filter combinations that are contradictory or always empty. */
function assertFilters(query: unknown, effective: boolean, inherited: boolean | undefined): void {
  const has = (name: string): boolean => Boolean(queryString(query, name));
  if (has('scope.domain.id') && has('scope.project.id')) throw new ValidationError('Specify a domain or project, not both');
  if (has('scope.domain.id') && has('scope.system')) throw new ValidationError('Specify system or domain, not both');
  if (has('scope.project.id') && has('scope.system')) throw new ValidationError('Specify system or project, not both');
  if (has('user.id') && has('group.id')) throw new ValidationError('Specify a user or group, not both');
  if (effective && has('group.id')) throw new ValidationError('Combining effective and group filter will always result in an empty list.');
  if (effective && inherited === true && has('scope.domain.id')) {
    throw new ValidationError('Combining effective, domain and inherited filters will always result in an empty list.');
  }
}

function filterAttr(query: unknown): Record<string, string> {
  const names = ['group.id', 'role.id', 'scope.domain.id', 'scope.project.id', 'scope.OS-INHERIT:inherited_to', 'user.id', 'scope.system'];
  const attrs: Record<string, string> = {};
  for (const name of names) {
    const value = queryString(query, name);
    if (value !== undefined) attrs[name] = value;
  }
  return attrs;
}

function toQuery(query: unknown, includeSubtree: boolean, withinDomainId: string | undefined): RoleAssignmentQuery {
  const inheritedTo = queryString(query, 'scope.OS-INHERIT:inherited_to');
  const value = (name: string): string | undefined => queryString(query, name) || undefined;
  const fields: Record<string, unknown> = {
    roleId: value('role.id'), userId: value('user.id'), groupId: value('group.id'),
    domainId: value('scope.domain.id'), projectId: value('scope.project.id'),
    system: queryString(query, 'scope.system') === 'all', includeSubtree,
    inherited: inheritedTo === undefined ? undefined : inheritedTo === 'projects',
    effective: queryFlag(query, 'effective'), includeNames: queryFlag(query, 'include_names'), withinDomainId,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as RoleAssignmentQuery;
}

function named(id: string, names: { name: string; domainId: string; domainName: string } | undefined): Record<string, unknown> {
  return names ? { id, name: names.name, domain: { id: names.domainId, name: names.domainName } } : { id };
}

/** The scope block and the start of the assignment link, as _format_entity builds them. */
function scopeOf(entry: NamedRoleAssignment): { scope: Record<string, unknown>; link: string; inherited: boolean } {
  const target = entry.names?.target;
  if (entry.targetType === 'system') return { scope: { system: { all: true } }, link: '/system', inherited: entry.inherited };
  if (entry.targetType === 'domain') {
    return { scope: { domain: target ? { id: entry.targetId, name: target.name } : { id: entry.targetId } }, link: `/domains/${entry.targetId}`, inherited: entry.inherited };
  }
  const project = target ? { id: entry.targetId, name: target.name, domain: { id: target.domainId, name: target.domainName } } : { id: entry.targetId };
  const source = entry.indirect;
  if (source?.domainId !== undefined) return { scope: { project }, link: `/domains/${source.domainId}`, inherited: true };
  if (source?.projectId !== undefined) return { scope: { project }, link: `/projects/${source.projectId}`, inherited: true };
  return { scope: { project }, link: `/projects/${entry.targetId}`, inherited: entry.inherited };
}

/** One entry of the role_assignments collection, with Keystone's links. */
export function roleAssignmentView(request: FastifyRequest, entry: NamedRoleAssignment): Record<string, unknown> {
  const { scope, link: targetLink, inherited } = scopeOf(entry);
  const links: Record<string, string> = {};
  const body: Record<string, unknown> = { scope };
  let link = targetLink;
  const groupId = entry.indirect?.groupId;
  if (entry.actorType === 'user') {
    body.user = named(entry.actorId, entry.names?.actor);
    if (groupId !== undefined) links.membership = v3Url(request, `groups/${groupId}/users/${entry.actorId}`);
    link += groupId !== undefined ? `/groups/${groupId}` : `/users/${entry.actorId}`;
  } else {
    body.group = named(entry.actorId, entry.names?.actor);
    link += `/groups/${entry.actorId}`;
  }
  const role = entry.names?.role;
  body.role = role === undefined ? { id: entry.roleId }
    : { id: entry.roleId, name: role.name, ...(role.domainId !== null ? { domain: { id: role.domainId, name: role.domainName } } : {}) };
  const priorRoleId = entry.indirect?.roleId;
  link += `/roles/${priorRoleId ?? entry.roleId}`;
  if (inherited) {
    scope['OS-INHERIT:inherited_to'] = 'projects';
    link = `/OS-INHERIT${link}/inherited_to_projects`;
  }
  links.assignment = v3Url(request, link);
  // Keystone's prior_role link names the implied role first; kept as clients see it.
  if (priorRoleId !== undefined) links.prior_role = v3Url(request, `prior_role/${entry.roleId}/implies/${priorRoleId}`);
  return { ...body, links };
}

function registerRoleAssignments(app: FastifyInstance, deps: RoleAssignmentRouteDeps): void {
  app.get('/v3/role_assignments', { schema: { querystring: querySchema } }, async (request) => {
    const query = request.query;
    const projectId = queryString(query, 'scope.project.id');
    const includeSubtree = queryFlag(query, 'include_subtree');
    let withinDomainId: string | undefined;
    if (includeSubtree) {
      if (!projectId) throw new ValidationError('scope.project.id must be specified if include_subtree is also specified');
      const project = await deps.resources.getProject(projectId);
      const target = { project: { id: project.id, name: project.name, domain_id: project.domainId, parent_id: project.parentId }, domain_id: project.domainId };
      authorize(deps.policy, request, 'identity:list_role_assignments_for_tree', { filter_attr: filterAttr(query), target });
    } else {
      // Domain-scoped callers see only what concerns their domain.
      withinDomainId = requireAuth(request).domainId;
      const target = withinDomainId === undefined ? {} : { domain_id: withinDomainId };
      authorize(deps.policy, request, 'identity:list_role_assignments', { filter_attr: filterAttr(query), target });
    }
    const parsed = toQuery(query, includeSubtree, withinDomainId);
    assertFilters(query, parsed.effective === true, parsed.inherited);
    const entries = await deps.assignment.listRoleAssignments(parsed);
    return listBody(request, 'role_assignments', entries.map((entry) => roleAssignmentView(request, entry)));
  });
}

/** Keystone's in-memory filters of /v3/users/{id}/projects: exact, booleans read from strings. */
function matchesFilters(project: Readonly<Record<string, unknown>>, query: unknown): boolean {
  for (const name of ['domain_id', 'enabled', 'name']) {
    const wanted = queryString(query, name);
    if (wanted === undefined) continue;
    const actual = project[name];
    if (typeof actual === 'boolean' ? actual !== queryBool(wanted) : actual !== wanted) return false;
  }
  return true;
}

async function findUser(deps: RoleAssignmentRouteDeps, userId: string): Promise<{ user?: ActorRef; missing?: unknown }> {
  try {
    return { user: await deps.identity.getUser(userId) };
  } catch (error) {
    if (error instanceof NotFound) return { missing: error };
    throw error;
  }
}

function registerUserProjects(app: FastifyInstance, deps: RoleAssignmentRouteDeps): void {
  app.get<{ Params: { user_id: string } }>('/v3/users/:user_id/projects', async (request) => {
    const userId = request.params.user_id;
    const { user, missing } = await findUser(deps, userId);
    const target = user ? { user: { id: user.id, name: user.name, domain_id: user.domainId } } : {};
    authorize(deps.policy, request, 'identity:list_user_projects', { user_id: userId, target });
    if (missing !== undefined) throw missing;
    const projects = await deps.renderProjects(request, await deps.assignment.listProjectIdsForUser(userId));
    return listBody(request, 'projects', projects.filter((project) => matchesFilters(project, request.query)));
  });
}

/** Registers GET /v3/role_assignments and GET /v3/users/{user_id}/projects. */
export function registerRoleAssignmentRoutes(app: FastifyInstance, deps: RoleAssignmentRouteDeps): void {
  registerRoleAssignments(app, deps);
  registerUserProjects(app, deps);
}
