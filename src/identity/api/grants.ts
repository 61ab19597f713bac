// Role grants on projects, domains and the system, for users and groups, with the OS-INHERIT
// variants inherited to projects. Mirrors the grant resources of keystone/api/projects.py,
// keystone/api/domains.py, keystone/api/system.py and keystone/api/os_inherit.py.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SYSTEM_TARGET_ID } from '../assignment/index.js';
import type { ActorType, AssignmentManager, DescribeOptions, Grant, GrantParties, GrantSubject, TargetType } from '../assignment/index.js';
import { authorize, listBody } from './common.js';
import type { Authorizer } from './common.js';
import { roleTarget, roleView } from './roles.js';

export interface GrantRouteDeps {
  readonly policy: Authorizer;
  readonly assignment: AssignmentManager;
}

/** Policy actions of one family of grant routes. */
interface GrantActions {
  readonly check: string;
  readonly create: string;
  readonly revoke: string;
  readonly list: string;
}

const GRANT_ACTIONS: GrantActions = {
  check: 'identity:check_grant', create: 'identity:create_grant', revoke: 'identity:revoke_grant', list: 'identity:list_grants',
};

function systemActions(actor: ActorType): GrantActions {
  return {
    check: `identity:check_system_grant_for_${actor}`, create: `identity:create_system_grant_for_${actor}`,
    revoke: `identity:revoke_system_grant_for_${actor}`, list: `identity:list_system_grants_for_${actor}`,
  };
}

/** One family of routes: an actor kind on a target kind, plain or inherited to projects. */
interface GrantFamily {
  readonly actorType: ActorType;
  readonly targetType: TargetType;
  readonly inherited: boolean;
  /** Path up to `/roles`, e.g. `/v3/projects/:project_id/users/:user_id/roles`. */
  readonly rolesPath: string;
  /** Appended after `/roles/:role_id` (and after `/roles` for lists). */
  readonly suffix: string;
  readonly actions: GrantActions;
  /** OS-INHERIT looks entities up leniently so unauthorised callers get 403, not 404. */
  readonly lenientTarget: boolean;
}

type Params = Record<string, string>;

function familyGrant(family: GrantFamily, params: Params, roleId: string): Grant {
  const targetId = family.targetType === 'system' ? SYSTEM_TARGET_ID : params[`${family.targetType}_id`] ?? '';
  return {
    roleId, actorType: family.actorType, actorId: params[`${family.actorType}_id`] ?? '',
    targetType: family.targetType, targetId, inherited: family.inherited,
  };
}

function partiesTarget(parties: GrantParties): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  if (parties.role) target.role = roleTarget(parties.role);
  for (const kind of ['user', 'group'] as const) {
    const actor = parties[kind];
    if (actor) target[kind] = { id: actor.id, name: actor.name, domain_id: actor.domainId };
  }
  if (parties.project) {
    const p = parties.project;
    target.project = { id: p.id, name: p.name, domain_id: p.domainId, parent_id: p.parentId };
  }
  if (parties.domain) target.domain = { id: parties.domain.id, name: parties.domain.name };
  return target;
}

/** Looks up what the grant names, then checks `action` against it. */
async function authorizeGrant(deps: GrantRouteDeps, request: FastifyRequest, action: string, grant: GrantSubject, options: DescribeOptions): Promise<void> {
  const parties = await deps.assignment.describeGrant(grant, options);
  authorize(deps.policy, request, action, { ...(request.params as Params), target: partiesTarget(parties) });
}

function registerFamily(app: FastifyInstance, deps: GrantRouteDeps, family: GrantFamily): void {
  const memberPath = `${family.rolesPath}/:role_id${family.suffix}`;
  const lenient = { lenient: family.lenientTarget };
  const grantOf = (request: FastifyRequest): Grant => {
    const params = request.params as Params;
    return familyGrant(family, params, params.role_id ?? '');
  };

  app.put(memberPath, async (request, reply: FastifyReply) => {
    const grant = grantOf(request);
    await authorizeGrant(deps, request, family.actions.create, grant, lenient);
    await deps.assignment.createGrant(grant);
    return reply.code(204).send();
  });

  app.get(memberPath, async (request, reply: FastifyReply) => {
    const grant = grantOf(request);
    await authorizeGrant(deps, request, family.actions.check, grant, lenient);
    await deps.assignment.checkGrant(grant);
    return reply.code(204).send();
  });

  app.delete(memberPath, async (request, reply: FastifyReply) => {
    const grant = grantOf(request);
    await authorizeGrant(deps, request, family.actions.revoke, grant, { ...lenient, allowMissingActor: true });
    await deps.assignment.deleteGrant(grant);
    return reply.code(204).send();
  });

  // Keystone has no list for inherited grants on projects.
  if (family.inherited && family.targetType === 'project') return;
  app.get(`${family.rolesPath}${family.suffix}`, async (request) => {
    const { roleId: _roleId, ...holder } = familyGrant(family, request.params as Params, '');
    await authorizeGrant(deps, request, family.actions.list, holder, lenient);
    const roles = await deps.assignment.listGrants(holder);
    return listBody(request, 'roles', roles.map((role) => roleView(request, role)));
  });
}

function families(): GrantFamily[] {
  const list: GrantFamily[] = [];
  for (const actorType of ['user', 'group'] as const) {
    const actor = `${actorType}s/:${actorType}_id`;
    for (const targetType of ['project', 'domain'] as const) {
      const target = `${targetType}s/:${targetType}_id`;
      list.push({ actorType, targetType, inherited: false, rolesPath: `/v3/${target}/${actor}/roles`, suffix: '', actions: GRANT_ACTIONS, lenientTarget: false });
      list.push({ actorType, targetType, inherited: true, rolesPath: `/v3/OS-INHERIT/${target}/${actor}/roles`, suffix: '/inherited_to_projects', actions: GRANT_ACTIONS, lenientTarget: true });
    }
    list.push({ actorType, targetType: 'system', inherited: false, rolesPath: `/v3/system/${actor}/roles`, suffix: '', actions: systemActions(actorType), lenientTarget: false });
  }
  return list;
}

/** Registers every grant route: projects, domains, system, and OS-INHERIT. */
export function registerGrantRoutes(app: FastifyInstance, deps: GrantRouteDeps): void {
  for (const family of families()) registerFamily(app, deps, family);
}
