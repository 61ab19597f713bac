// The identity driver contract: where users, groups, memberships and password hashes are kept.
// Mirrors keystone/identity/backends/base.py (IdentityDriverBase). Drivers store what they are
// given: ids, defaults and hashing are the manager's job.

import type { Group, GroupFilter, User, UserFilter } from './model.js';

/** Columns of a user a driver may change; absent fields are left alone. */
export type UserChanges = Partial<Pick<User, 'name' | 'enabled' | 'defaultProjectId' | 'options' | 'extra'>> & {
  /** A new password hash; null removes the password. */
  readonly passwordHash?: string | null;
};

/** Columns of a group a driver may change; absent fields are left alone. */
export type GroupChanges = Partial<Pick<Group, 'name' | 'description' | 'extra'>>;

export interface UserBackend {
  /**
   * Stores a new user with its password hash (null: no password).
   * @throws DuplicateEntity (409) when the domain already has a user of that name.
   */
  createUser(user: User, passwordHash: string | null): Promise<User>;

  /** @throws EntityNotFound('user', id) (404) when there is no such user. */
  getUser(userId: string): Promise<User>;

  /** @throws EntityNotFound('user', name) (404) when the domain has no user of that name. */
  getUserByName(name: string, domainId: string): Promise<User>;

  /** Users matching every given filter, ordered by id; an empty list when none match. */
  listUsers(filter?: UserFilter): Promise<User[]>;

  /**
   * Writes the given columns and returns the user as stored.
   * @throws EntityNotFound('user', id) (404) when there is no such user.
   * @throws DuplicateEntity (409) when renaming onto another user's name in the same domain.
   */
  updateUser(userId: string, changes: UserChanges): Promise<User>;

  /**
   * Deletes the user and its group memberships.
   * @throws EntityNotFound('user', id) (404) when there is no such user.
   */
  deleteUser(userId: string): Promise<void>;

  /**
   * The stored password hash, or null when the user has no password.
   * @throws EntityNotFound('user', id) (404) when there is no such user.
   */
  getPasswordHash(userId: string): Promise<string | null>;

  /** Clears `defaultProjectId` of every user pointing at `projectId`; returns their ids. */
  unsetDefaultProjectId(projectId: string): Promise<string[]>;

  /** @throws DuplicateEntity (409) when the domain already has a group of that name. */
  createGroup(group: Group): Promise<Group>;

  /** @throws EntityNotFound('group', id) (404) when there is no such group. */
  getGroup(groupId: string): Promise<Group>;

  /** @throws EntityNotFound('group', name) (404) when the domain has no group of that name. */
  getGroupByName(name: string, domainId: string): Promise<Group>;

  /** Groups matching every given filter, ordered by id. */
  listGroups(filter?: GroupFilter): Promise<Group[]>;

  /**
   * Writes the given columns and returns the group as stored.
   * @throws EntityNotFound('group', id) (404) when there is no such group.
   * @throws DuplicateEntity (409) when renaming onto another group's name in the same domain.
   */
  updateGroup(groupId: string, changes: GroupChanges): Promise<Group>;

  /**
   * Deletes the group and its memberships.
   * @throws EntityNotFound('group', id) (404) when there is no such group.
   */
  deleteGroup(groupId: string): Promise<void>;

  /**
   * Makes the user a member; succeeds when it already is one.
   * @throws EntityNotFound('group' | 'user', id) (404) when either is missing.
   */
  addUserToGroup(userId: string, groupId: string): Promise<void>;

  /**
   * Ends a membership.
   * @throws EntityNotFound('group' | 'user', id) (404) when either is missing.
   * @throws NotFound (404) "User 'u' not found in group 'g'" when the user is not a member.
   */
  removeUserFromGroup(userId: string, groupId: string): Promise<void>;

  /**
   * Resolves when the user is a member.
   * @throws EntityNotFound('group' | 'user', id) (404) when either is missing.
   * @throws NotFound (404) "User 'u' not found in group 'g'" when the user is not a member.
   */
  checkUserInGroup(userId: string, groupId: string): Promise<void>;

  /**
   * The groups the user belongs to, matching the filter, ordered by id.
   * @throws EntityNotFound('user', id) (404) when there is no such user.
   */
  listGroupsForUser(userId: string, filter?: GroupFilter): Promise<Group[]>;

  /**
   * The members of the group, matching the filter, ordered by id.
   * @throws EntityNotFound('group', id) (404) when there is no such group.
   */
  listUsersInGroup(groupId: string, filter?: UserFilter): Promise<User[]>;
}
