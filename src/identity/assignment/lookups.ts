// What the assignment subsystem needs to know about projects, domains, users and groups,
// which other subsystems own. The service wiring adapts the resource and identity managers
// to these interfaces, so this folder never imports them.

/** A project as the assignment subsystem needs it. */
export interface ProjectRef {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  /** The parent project, or the domain id (or null) for a top-level project. */
  readonly parentId: string | null;
}

export interface DomainRef {
  readonly id: string;
  readonly name: string;
}

/** A user or group as the assignment subsystem needs it. */
export interface ActorRef {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
}

/** Projects and domains (the resource subsystem). */
export interface ResourceLookup {
  /** @throws a NotFound error (EntityNotFound('project', id)) when there is no such project. */
  getProject(projectId: string): Promise<ProjectRef>;
  /** @throws a NotFound error (EntityNotFound('domain', id)) when there is no such domain. */
  getDomain(domainId: string): Promise<DomainRef>;
  /**
   * Ids of the project's ancestor projects, nearest first; the domain itself is not a
   * project ancestor here. @throws a NotFound error when there is no such project.
   */
  getProjectParentIds(projectId: string): Promise<readonly string[]>;
  /** Ids of every project below the project, at any depth, excluding the project itself. */
  getProjectSubtreeIds(projectId: string): Promise<readonly string[]>;
  /** Ids of every project the domain owns, at any depth. */
  listProjectIdsInDomain(domainId: string): Promise<readonly string[]>;
}

/** Users and groups (the identity subsystem). */
export interface IdentityLookup {
  /** @throws a NotFound error (EntityNotFound('user', id)) when there is no such user. */
  getUser(userId: string): Promise<ActorRef>;
  /** @throws a NotFound error (EntityNotFound('group', id)) when there is no such group. */
  getGroup(groupId: string): Promise<ActorRef>;
  /** The groups the user belongs to. @throws a NotFound error when there is no such user. */
  listGroupsForUser(userId: string): Promise<readonly { readonly id: string }[]>;
  /** The members of the group. @throws a NotFound error when there is no such group. */
  listUsersInGroup(groupId: string): Promise<readonly { readonly id: string }[]>;
}
