// The driver contracts of the assignment subsystem: roles with their inference rules, and
// grants. Mirrors keystone/assignment/role_backends/base.py and keystone/assignment/backends/base.py.

import type { ActorType, Grant, ImpliedRole, Role, TargetType } from './model.js';

/** Filters of a role listing; an absent field does not filter. */
export interface RoleFilter {
  /** Exact, case-sensitive name. */
  readonly name?: string;
  /** A domain id for that domain's roles; null for global roles only. */
  readonly domainId?: string | null;
}

export interface RoleBackend {
  /**
   * Stores a new role.
   * @throws DuplicateRole when a role of that name exists in the same domain (or both are global).
   */
  createRole(role: Role): Promise<Role>;
  /** @throws RoleNotFound */
  getRole(roleId: string): Promise<Role>;
  /** Roles matching the filter, ordered by name then id. */
  listRoles(filter: RoleFilter): Promise<Role[]>;
  /** The roles among `roleIds` that exist, in no particular order; unknown ids are skipped. */
  listRolesByIds(roleIds: readonly string[]): Promise<Role[]>;
  /**
   * Replaces every stored field of the role with those of `role` (same id).
   * @throws RoleNotFound
   * @throws DuplicateRole when the new name collides.
   */
  updateRole(role: Role): Promise<Role>;
  /**
   * Deletes the role and every inference rule that names it.
   * @throws RoleNotFound
   */
  deleteRole(roleId: string): Promise<void>;

  /** @throws DuplicateImpliedRole when the rule exists. Both roles must exist (the caller checks). */
  createImpliedRole(rule: ImpliedRole): Promise<ImpliedRole>;
  /** @throws ImpliedRoleNotFound */
  getImpliedRole(priorRoleId: string, impliedRoleId: string): Promise<ImpliedRole>;
  /** @throws ImpliedRoleNotFound */
  deleteImpliedRole(priorRoleId: string, impliedRoleId: string): Promise<void>;
  /** The rules whose prior role is `priorRoleId`, or every rule when it is undefined. */
  listImpliedRoles(priorRoleId?: string): Promise<ImpliedRole[]>;
}

/** Filters of a grant listing; an absent field does not filter, an empty list matches nothing. */
export interface GrantFilter {
  readonly roleId?: string;
  readonly actorType?: ActorType;
  readonly actorIds?: readonly string[];
  readonly targetTypes?: readonly TargetType[];
  readonly targetIds?: readonly string[];
  readonly inherited?: boolean;
}

export interface AssignmentBackend {
  /** Stores the grant; does nothing when it already exists. */
  createGrant(grant: Grant): Promise<void>;
  /** Whether exactly this grant (inherited flag included) is stored. */
  hasGrant(grant: Grant): Promise<boolean>;
  /** @returns false when there was no such grant. */
  deleteGrant(grant: Grant): Promise<boolean>;
  /** Grants matching every given filter, in a stable order. */
  listGrants(filter: GrantFilter): Promise<Grant[]>;
  /** Deletes every grant held by the actor. */
  deleteActorGrants(actorType: ActorType, actorId: string): Promise<void>;
  /** Deletes every grant on the target (inherited ones included). */
  deleteTargetGrants(targetType: TargetType, targetId: string): Promise<void>;
  /** Deletes every grant of the role. */
  deleteRoleGrants(roleId: string): Promise<void>;
}
