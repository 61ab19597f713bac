// Effective role assignments: what a token would carry once group membership, OS-INHERIT
// inheritance and implied roles are expanded. Mirrors _list_effective_role_assignments,
// _expand_indirect_assignment and add_implied_roles of keystone/assignment/core.py.

import { NotFound } from '../../common/errors/index.js';
import type { AssignmentBackend, GrantFilter } from './backend.js';
import type { IdentityLookup, ResourceLookup } from './lookups.js';
import type { Grant, ImpliedRole, Role, RoleAssignment, RoleAssignmentQuery } from './model.js';

export interface EffectiveContext {
  readonly backend: AssignmentBackend;
  readonly resources: ResourceLookup;
  readonly identity: IdentityLookup;
  readonly impliedRoleRules: () => Promise<readonly ImpliedRole[]>;
  readonly rolesByIds: (roleIds: readonly string[]) => Promise<readonly Role[]>;
}

/** The targets a listing is about: one project (and maybe its subtree), one domain, or anything. */
interface Scope {
  readonly projectId?: string;
  readonly subtreeIds?: readonly string[];
  readonly domainId?: string;
}

type Actor = Pick<GrantFilter, 'actorType' | 'actorIds'>;

/** Grants (never system ones) that could affect the scope, for the given actors. */
async function sourceGrants(ctx: EffectiveContext, actor: Actor, scope: Scope, inherited: boolean | undefined): Promise<Grant[]> {
  const { projectId, domainId } = scope;
  const interest = projectId === undefined ? undefined : [projectId, ...(scope.subtreeIds ?? [])];
  const targets: Pick<GrantFilter, 'targetTypes' | 'targetIds'> = interest ? { targetTypes: ['project'], targetIds: interest }
    : domainId !== undefined ? { targetTypes: ['domain'], targetIds: [domainId] } : { targetTypes: ['project', 'domain'] };
  const direct = inherited === true ? [] : await ctx.backend.listGrants({ ...actor, ...targets, inherited: false });
  if (inherited === false) return direct;
  if (projectId === undefined || interest === undefined) {
    return [...direct, ...await ctx.backend.listGrants({ ...actor, inherited: true, targetTypes: ['project', 'domain'] })];
  }
  // Grants inherited by these projects come from their domain or their ancestors, or, when
  // the subtree is asked for, from projects inside it.
  const project = await ctx.resources.getProject(projectId);
  const fromDomain = await ctx.backend.listGrants({ ...actor, inherited: true, targetTypes: ['domain'], targetIds: [project.domainId] });
  const anchors = [...await ctx.resources.getProjectParentIds(projectId), ...(scope.subtreeIds ? interest : [])];
  const fromProjects = anchors.length === 0 ? [] : await ctx.backend.listGrants({ ...actor, inherited: true, targetTypes: ['project'], targetIds: anchors });
  return [...direct, ...fromDomain, ...fromProjects];
}

/** Users a group grant applies to: the one user asked about, or every member. */
async function usersOf(ctx: EffectiveContext, groupId: string, userId: string | undefined): Promise<string[]> {
  if (userId !== undefined) return [userId];
  try {
    return (await ctx.identity.listUsersInGroup(groupId)).map((user) => user.id);
  } catch (error) {
    // Keystone tolerates grants left behind by a group that no longer exists.
    if (error instanceof NotFound) return [];
    throw error;
  }
}

/** The projects an inherited grant reaches, limited to the scope when one is given. */
async function inheritingProjects(ctx: EffectiveContext, grant: Grant, scope: Scope): Promise<readonly string[]> {
  if (scope.projectId !== undefined) {
    const ids = [scope.projectId, ...(scope.subtreeIds ?? [])];
    // An anchor inside the listed subtree reaches only its own part of it.
    if (scope.subtreeIds && grant.targetType === 'project' && ids.includes(grant.targetId)) {
      return ctx.resources.getProjectSubtreeIds(grant.targetId);
    }
    return ids;
  }
  return grant.targetType === 'domain'
    ? ctx.resources.listProjectIdsInDomain(grant.targetId)
    : ctx.resources.getProjectSubtreeIds(grant.targetId);
}

/** Replaces a group grant by one entry per member, and an inherited grant by one per project reached. */
async function expand(ctx: EffectiveContext, grant: Grant, userId: string | undefined, scope: Scope): Promise<RoleAssignment[]> {
  const fromGroup = grant.actorType === 'group';
  const users = fromGroup ? await usersOf(ctx, grant.actorId, userId) : [grant.actorId];
  const groupSource = fromGroup ? { groupId: grant.actorId } : {};
  if (!grant.inherited) {
    if (!fromGroup) return [grant];
    return users.map((id): RoleAssignment => ({ ...grant, actorType: 'user', actorId: id, indirect: groupSource }));
  }
  const anchor = grant.targetType === 'domain' ? { domainId: grant.targetId } : { projectId: grant.targetId };
  const projectIds = await inheritingProjects(ctx, grant, scope);
  return users.flatMap((id) => projectIds.map((projectId): RoleAssignment => ({
    roleId: grant.roleId, actorType: 'user', actorId: id, targetType: 'project', targetId: projectId,
    inherited: false, indirect: { ...groupSource, ...anchor },
  })));
}

function sameAssignment(a: RoleAssignment, b: RoleAssignment): boolean {
  return JSON.stringify([a.roleId, a.actorType, a.actorId, a.targetType, a.targetId, a.indirect ?? {}])
    === JSON.stringify([b.roleId, b.actorType, b.actorId, b.targetType, b.targetId, b.indirect ?? {}]);
}

/**
 * Adds, for each entry, one entry per role its role implies (transitively), each naming
 * the prior role it came from. Loops among rules end where an entry repeats.
 */
export function addImpliedRoles(entries: readonly RoleAssignment[], rules: readonly ImpliedRole[]): RoleAssignment[] {
  const implies = new Map<string, string[]>();
  for (const rule of rules) implies.set(rule.priorRoleId, [...(implies.get(rule.priorRoleId) ?? []), rule.impliedRoleId]);
  const results = [...entries];
  const pending = [...entries];
  const checked: RoleAssignment[] = [];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    checked.push(next);
    for (const impliedId of implies.get(next.roleId) ?? []) {
      const implied: RoleAssignment = { ...next, roleId: impliedId, indirect: { ...next.indirect, roleId: next.roleId } };
      if (checked.some((seen) => sameAssignment(seen, implied))) continue;
      results.push(implied);
      pending.push(implied);
    }
  }
  return results;
}

/** Drops entries of domain-specific roles: they only serve to imply global roles, never reach tokens. */
async function stripDomainRoles(ctx: EffectiveContext, entries: readonly RoleAssignment[]): Promise<RoleAssignment[]> {
  const roles = await ctx.rolesByIds([...new Set(entries.map((e) => e.roleId))]);
  const global = new Set(roles.filter((role) => role.domainId === null).map((role) => role.id));
  return entries.filter((entry) => global.has(entry.roleId));
}

/**
 * Effective assignments matching the query. Group filters and inherited domain filters
 * always give nothing; system grants are not part of effective listings, as in Keystone.
 */
export async function listEffectiveAssignments(ctx: EffectiveContext, query: RoleAssignmentQuery, subtreeIds: readonly string[] | undefined): Promise<RoleAssignment[]> {
  if (query.groupId !== undefined || (query.domainId !== undefined && query.inherited === true)) return [];
  const inherited = query.domainId !== undefined ? false : query.inherited;
  const scope: Scope = { projectId: query.projectId, domainId: query.domainId, subtreeIds };
  const userId = query.userId;
  const grants = await sourceGrants(ctx, userId === undefined ? {} : { actorType: 'user', actorIds: [userId] }, scope, inherited);
  if (userId !== undefined) {
    const groupIds = (await ctx.identity.listGroupsForUser(userId)).map((group) => group.id);
    if (groupIds.length > 0) grants.push(...await sourceGrants(ctx, { actorType: 'group', actorIds: groupIds }, scope, inherited));
  }
  const expanded: RoleAssignment[] = [];
  for (const grant of grants) expanded.push(...await expand(ctx, grant, userId, scope));
  const withImplied = addImpliedRoles(expanded, await ctx.impliedRoleRules());
  const effective = await stripDomainRoles(ctx, withImplied);
  return query.roleId === undefined ? effective : effective.filter((entry) => entry.roleId === query.roleId);
}
