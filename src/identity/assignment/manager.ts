// Grants and role-assignment listings: the assignment_api of keystone/assignment/core.py.
// Checks what a grant names exists, computes effective roles for tokens, and drops the
// grants of deleted projects, domains, users, groups and roles.

import { NotFound } from '../../common/errors/index.js';
import type { IdentityEvents } from '../events.js';
import { addAssignmentNames } from './assignment-names.js';
import type { AssignmentBackend } from './backend.js';
import { addImpliedRoles, listEffectiveAssignments } from './effective-assignments.js';
import type { EffectiveContext } from './effective-assignments.js';
import { DomainSpecificRoleMismatch, RoleAssignmentNotFound, ValidationError } from './errors.js';
import type { ActorRef, DomainRef, IdentityLookup, ProjectRef, ResourceLookup } from './lookups.js';
import type { ActorType, Grant, NamedRoleAssignment, Role, RoleAssignment, RoleAssignmentQuery, RoleSummary, TargetType } from './model.js';
import type { RoleManager } from './role-manager.js';

export interface AssignmentManagerDeps {
  readonly backend: AssignmentBackend;
  readonly roles: RoleManager;
  readonly resources: ResourceLookup;
  readonly identity: IdentityLookup;
  readonly events: IdentityEvents;
}

/** The actor and target of grants listed together: GET .../users/{id}/roles and the like. */
export interface GrantHolder {
  readonly actorType: ActorType;
  readonly actorId: string;
  readonly targetType: TargetType;
  readonly targetId: string;
  readonly inherited: boolean;
}

/** The entities a grant names, as far as they exist; what grant policies are checked against. */
export interface GrantParties {
  readonly role?: Role;
  readonly user?: ActorRef;
  readonly group?: ActorRef;
  readonly project?: ProjectRef;
  readonly domain?: DomainRef;
}

/** What `describeGrant` looks up: a grant, or (for listings) an actor and target without a role. */
export type GrantSubject = Omit<Grant, 'roleId' | 'inherited'> & { readonly roleId?: string };

/** How `describeGrant` treats a missing entity. */
export interface DescribeOptions {
  /** Leave out missing entities instead of throwing (OS-INHERIT checks policy first). */
  readonly lenient?: boolean;
  /** Leave out a missing user or group (revoking what a deleted actor still holds). */
  readonly allowMissingActor?: boolean;
}

async function orUndefined<T>(lookup: Promise<T>, lenient: boolean): Promise<T | undefined> {
  try {
    return await lookup;
  } catch (error) {
    if (lenient && error instanceof NotFound) return undefined;
    throw error;
  }
}

function summary(role: Role): RoleSummary {
  return { id: role.id, name: role.name, domainId: role.domainId };
}

export class AssignmentManager {
  private readonly effective: EffectiveContext;

  constructor(private readonly deps: AssignmentManagerDeps) {
    this.effective = {
      backend: deps.backend, resources: deps.resources, identity: deps.identity,
      impliedRoleRules: () => deps.roles.listImpliedRoleRules(),
      rolesByIds: (ids) => deps.roles.listRolesByIds(ids),
    };
    deps.events.on('project.deleted', ({ projectId }) => deps.backend.deleteTargetGrants('project', projectId));
    deps.events.on('domain.deleted', ({ domainId }) => deps.backend.deleteTargetGrants('domain', domainId));
    deps.events.on('user.deleted', ({ userId }) => deps.backend.deleteActorGrants('user', userId));
    deps.events.on('group.deleted', ({ groupId }) => deps.backend.deleteActorGrants('group', groupId));
    deps.events.on('role.deleted', ({ roleId }) => deps.backend.deleteRoleGrants(roleId));
  }

  /**
   * Looks up the role, actor and target a grant names, in Keystone's order (role, actor, target).
   * @throws RoleNotFound, EntityNotFound for a missing entity, unless the options allow it.
   */
  async describeGrant(grant: GrantSubject, options: DescribeOptions = {}): Promise<GrantParties> {
    const lenient = options.lenient === true;
    const role = grant.roleId === undefined ? undefined : await orUndefined(this.deps.roles.getRole(grant.roleId), lenient);
    const actorLookup = grant.actorType === 'user' ? this.deps.identity.getUser(grant.actorId) : this.deps.identity.getGroup(grant.actorId);
    const actor = await orUndefined(actorLookup, lenient || options.allowMissingActor === true);
    const parties: GrantParties = { ...(role ? { role } : {}), ...(actor ? { [grant.actorType]: actor } : {}) };
    if (grant.targetType === 'project') {
      const project = await orUndefined(this.deps.resources.getProject(grant.targetId), lenient);
      return project ? { ...parties, project } : parties;
    }
    if (grant.targetType === 'domain') {
      const domain = await orUndefined(this.deps.resources.getDomain(grant.targetId), lenient);
      return domain ? { ...parties, domain } : parties;
    }
    return parties;
  }

  /**
   * Grants a role; does nothing when the grant exists.
   * @throws RoleNotFound, EntityNotFound when the role, actor or target is missing.
   * @throws DomainSpecificRoleMismatch when a domain-specific role is granted on another domain's project.
   * @throws ValidationError when a domain-specific role is granted on the system.
   */
  async createGrant(grant: Grant): Promise<void> {
    const role = await this.deps.roles.getRole(grant.roleId);
    await this.assertActorExists(grant.actorType, grant.actorId);
    await this.assertTargetExists(grant, role);
    await this.deps.backend.createGrant(grant);
  }

  /** Same as createGrant: for bootstrap, which may run again. */
  ensureGrant(grant: Grant): Promise<void> {
    return this.createGrant(grant);
  }

  /**
   * @returns the granted role.
   * @throws RoleNotFound, EntityNotFound for a missing role or target; RoleAssignmentNotFound when not granted.
   */
  async checkGrant(grant: Grant): Promise<Role> {
    const role = await this.deps.roles.getRole(grant.roleId);
    await this.assertTargetExists(grant);
    if (!(await this.deps.backend.hasGrant(grant))) throw new RoleAssignmentNotFound(grant.roleId, grant.actorId, grant.targetId);
    return role;
  }

  /**
   * Revokes a grant; the actor need not exist any more.
   * @throws RoleNotFound, EntityNotFound for a missing role or target; RoleAssignmentNotFound when not granted.
   */
  async deleteGrant(grant: Grant): Promise<void> {
    await this.deps.roles.getRole(grant.roleId);
    await this.assertTargetExists(grant);
    if (!(await this.deps.backend.deleteGrant(grant))) throw new RoleAssignmentNotFound(grant.roleId, grant.actorId, grant.targetId);
    await this.deps.events.emit('assignment.deleted', { ...grant });
  }

  /** Roles granted directly to the actor on the target. @throws EntityNotFound for a missing target. */
  async listGrants(holder: GrantHolder): Promise<Role[]> {
    await this.assertTargetExists(holder);
    const grants = await this.deps.backend.listGrants({
      actorType: holder.actorType, actorIds: [holder.actorId], targetTypes: [holder.targetType],
      targetIds: [holder.targetId], inherited: holder.inherited,
    });
    const roles = await this.deps.roles.listRolesByIds(grants.map((g) => g.roleId));
    return roles.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /**
   * GET /v3/role_assignments: stored grants matching the filters or, with `effective`,
   * what they amount to. @throws EntityNotFound when a project or user filtered on is missing.
   */
  async listRoleAssignments(query: RoleAssignmentQuery): Promise<NamedRoleAssignment[]> {
    const subtreeIds = query.projectId !== undefined && query.includeSubtree === true
      ? await this.deps.resources.getProjectSubtreeIds(query.projectId)
      : undefined;
    const entries = query.effective === true
      ? await listEffectiveAssignments(this.effective, query, subtreeIds)
      : await this.listDirectAssignments(query, subtreeIds);
    const visible = query.withinDomainId === undefined ? entries : await this.withinDomain(entries, query.withinDomainId);
    if (query.includeNames !== true) return visible;
    return addAssignmentNames(this.effective, visible);
  }

  private async withinDomain(entries: readonly RoleAssignment[], domainId: string): Promise<RoleAssignment[]> {
    const projectDomains = new Map<string, string>();
    const kept: RoleAssignment[] = [];
    for (const entry of entries) {
      if (entry.targetType === 'project' && !projectDomains.has(entry.targetId)) {
        projectDomains.set(entry.targetId, (await this.deps.resources.getProject(entry.targetId)).domainId);
      }
      const owner = entry.targetType === 'project' ? projectDomains.get(entry.targetId) : entry.targetType === 'domain' ? entry.targetId : undefined;
      if (owner === domainId) kept.push(entry);
    }
    return kept;
  }

  /** Effective roles of the user on the project, for a project-scoped token. @throws EntityNotFound */
  async getRoleNamesAndIdsForUserOnProject(userId: string, projectId: string): Promise<RoleSummary[]> {
    await this.deps.resources.getProject(projectId);
    return this.rolesOf(await listEffectiveAssignments(this.effective, { userId, projectId }, undefined));
  }

  /** Effective roles of the user on the domain, for a domain-scoped token. @throws EntityNotFound */
  async getRoleNamesAndIdsForUserOnDomain(userId: string, domainId: string): Promise<RoleSummary[]> {
    await this.deps.resources.getDomain(domainId);
    return this.rolesOf(await listEffectiveAssignments(this.effective, { userId, domainId }, undefined));
  }

  /** System roles of the user, directly or through groups, implied roles included, for a system-scoped token. */
  async getRoleNamesAndIdsForUserOnSystem(userId: string): Promise<RoleSummary[]> {
    const groupIds = (await this.deps.identity.listGroupsForUser(userId)).map((group) => group.id);
    const grants = [
      ...await this.deps.backend.listGrants({ actorType: 'user', actorIds: [userId], targetTypes: ['system'] }),
      ...await this.deps.backend.listGrants({ actorType: 'group', actorIds: groupIds, targetTypes: ['system'] }),
    ];
    return this.rolesOf(addImpliedRoles(grants, await this.deps.roles.listImpliedRoleRules()));
  }

  /** Projects on which the user has any effective role. */
  async listProjectIdsForUser(userId: string): Promise<string[]> {
    return this.targetIdsForUser(userId, 'project');
  }

  /** Domains on which the user has any effective role. */
  async listDomainIdsForUser(userId: string): Promise<string[]> {
    return this.targetIdsForUser(userId, 'domain');
  }

  private async targetIdsForUser(userId: string, targetType: TargetType): Promise<string[]> {
    const entries = await listEffectiveAssignments(this.effective, { userId }, undefined);
    return [...new Set(entries.filter((e) => e.targetType === targetType).map((e) => e.targetId))];
  }

  private async rolesOf(entries: readonly RoleAssignment[]): Promise<RoleSummary[]> {
    const roles = await this.deps.roles.listRolesByIds([...new Set(entries.map((e) => e.roleId))]);
    return roles.map(summary).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  /** Mirrors _list_direct_role_assignments: project and domain grants, then system grants. */
  private async listDirectAssignments(query: RoleAssignmentQuery, subtreeIds: readonly string[] | undefined): Promise<RoleAssignment[]> {
    const actor = query.userId !== undefined ? { actorType: 'user' as const, actorIds: [query.userId] }
      : query.groupId !== undefined ? { actorType: 'group' as const, actorIds: [query.groupId] } : {};
    const projectIds = query.projectId === undefined ? undefined : [query.projectId, ...(subtreeIds ?? [])];
    const results: Grant[] = [];
    if (query.system !== true) {
      results.push(...await this.deps.backend.listGrants({
        ...actor, inherited: query.inherited, roleId: query.roleId,
        targetTypes: projectIds ? ['project'] : query.domainId !== undefined ? ['domain'] : ['project', 'domain'],
        ...(projectIds ? { targetIds: projectIds } : query.domainId !== undefined ? { targetIds: [query.domainId] } : {}),
      }));
    }
    if (query.system === true || (query.projectId === undefined && query.domainId === undefined)) {
      results.push(...await this.deps.backend.listGrants({ ...actor, roleId: query.roleId, targetTypes: ['system'] }));
    }
    return results;
  }

  private async assertActorExists(actorType: ActorType, actorId: string): Promise<void> {
    await (actorType === 'user' ? this.deps.identity.getUser(actorId) : this.deps.identity.getGroup(actorId));
  }

  private async assertTargetExists(target: Pick<Grant, 'targetType' | 'targetId'>, role?: Role): Promise<void> {
    if (target.targetType === 'domain') {
      await this.deps.resources.getDomain(target.targetId);
    } else if (target.targetType === 'project') {
      const project = await this.deps.resources.getProject(target.targetId);
      if (role?.domainId && role.domainId !== project.domainId) throw new DomainSpecificRoleMismatch(target.targetId, role.id);
    } else if (role?.domainId) {
      throw new ValidationError(`Role ${role.id} is a domain-specific role. Unable to use a domain-specific role in a system assignment.`);
    }
  }
}

