// Roles, implied-role rules and role assignments as the assignment subsystem sees them.
// Mirrors the dicts of keystone/assignment/core.py, typed and camelCase.

/** Resource options a role may carry (keystone/assignment/role_backends/resource_options.py). */
export interface RoleOptions {
  /** An immutable role can be neither updated (except to clear this flag) nor deleted. */
  readonly immutable?: boolean;
}

export interface Role {
  readonly id: string;
  readonly name: string;
  /** The owning domain for a domain-specific role; null for a global role. */
  readonly domainId: string | null;
  readonly description: string | null;
  readonly options: RoleOptions;
  /** Attributes a client sent that Keystone does not know, returned as given. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** What a caller supplies to create a role; the id is assigned by the manager when absent. */
export interface RoleCreate {
  readonly id?: string;
  readonly name: string;
  readonly domainId?: string | null;
  readonly description?: string | null;
  readonly options?: { readonly immutable?: boolean | null };
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * Changes to a role. `options` is merged into the stored options, a null value removing
 * that option; `extra` is merged into the stored extra attributes.
 */
export interface RoleUpdate {
  readonly name?: string;
  readonly domainId?: string | null;
  readonly description?: string | null;
  readonly options?: { readonly immutable?: boolean | null };
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** A role with just what tokens and listings show of it. */
export interface RoleSummary {
  readonly id: string;
  readonly name: string;
  readonly domainId: string | null;
}

/** A role inference rule: holding `priorRoleId` also grants `impliedRoleId`. */
export interface ImpliedRole {
  readonly priorRoleId: string;
  readonly impliedRoleId: string;
}

export type ActorType = 'user' | 'group';
export type TargetType = 'project' | 'domain' | 'system';

/** The id every system assignment targets: tstack, like Keystone, has one system, 'all'. */
export const SYSTEM_TARGET_ID = 'system';

/** One stored grant: an actor holds a role on a target, optionally inherited to projects below it. */
export interface Grant {
  readonly roleId: string;
  readonly actorType: ActorType;
  readonly actorId: string;
  readonly targetType: TargetType;
  /** A project or domain id, or SYSTEM_TARGET_ID for system grants. */
  readonly targetId: string;
  /** OS-INHERIT `inherited_to_projects`: applies to the projects below the target, not the target. */
  readonly inherited: boolean;
}

/** Where an effective assignment came from, when it is not a grant as stored. */
export interface AssignmentSource {
  /** Held through membership of this group. */
  readonly groupId?: string;
  /** Inherited from a grant on this ancestor project. */
  readonly projectId?: string;
  /** Inherited from a grant on this domain. */
  readonly domainId?: string;
  /** Implied by this prior role. */
  readonly roleId?: string;
}

/** One entry of a role-assignment listing: a stored grant, or an effective one derived from grants. */
export interface RoleAssignment extends Grant {
  /** Set on effective entries that were derived rather than stored. */
  readonly indirect?: AssignmentSource;
}

/** A name and owning domain, for listings asked to include names. */
export interface NamedInDomain {
  readonly name: string;
  readonly domainId: string;
  readonly domainName: string;
}

/** Names of the parties of one role assignment (`include_names`). */
export interface AssignmentNames {
  readonly role: { readonly name: string; readonly domainId: string | null; readonly domainName: string | null };
  readonly actor: NamedInDomain;
  /** Absent for system assignments. */
  readonly target?: { readonly name: string; readonly domainId?: string; readonly domainName?: string };
}

/** A role assignment with the names of its parties. */
export interface NamedRoleAssignment extends RoleAssignment {
  readonly names?: AssignmentNames;
}

/** Filters of GET /v3/role_assignments, as the manager takes them. */
export interface RoleAssignmentQuery {
  readonly roleId?: string;
  readonly userId?: string;
  readonly groupId?: string;
  /** List system assignments only. */
  readonly system?: boolean;
  readonly domainId?: string;
  readonly projectId?: string;
  /** With `projectId`: also assignments on every project below it. */
  readonly includeSubtree?: boolean;
  /** true: only inherited grants; false: only non-inherited; undefined: both. */
  readonly inherited?: boolean;
  /** Expand groups, inheritance and implied roles into what a token would carry. */
  readonly effective?: boolean;
  readonly includeNames?: boolean;
  /** Keep only assignments on this domain or its projects (what a domain-scoped caller may see). */
  readonly withinDomainId?: string;
}
