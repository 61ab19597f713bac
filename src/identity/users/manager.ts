// Keystone's identity manager (keystone/identity/core.py Manager): users, groups, memberships
// and password checks. Announces deletions and credential changes on IdentityEvents so tokens
// and assignments follow; knows nothing of HTTP.

import { randomBytes } from 'node:crypto';
import { AuthenticationFailed, EntityNotFound, ValidationError } from '../errors.js';
import type { IdentityEvents } from '../events.js';
import type { UserBackend, UserChanges } from './backend.js';
import type {
  Group, GroupCreate, GroupFilter, GroupUpdate, User, UserCreate, UserFilter,
  UserOptionName, UserOptionValue, UserOptions, UserUpdate,
} from './model.js';
import type { PasswordHasher } from '../password-hash.js';

/** What the manager needs from the resource subsystem. */
export interface DomainLookup {
  /** Resolves when the domain exists; throws EntityNotFound('domain', id) (404) otherwise. */
  getDomain(domainId: string): Promise<unknown>;
}

export interface IdentityManagerDeps {
  readonly backend: UserBackend;
  readonly events: IdentityEvents;
  readonly hasher: PasswordHasher;
  readonly domains: DomainLookup;
  /** Domain of users and groups created without one (keystone.conf [identity] default_domain_id). */
  readonly defaultDomainId?: string;
  /** Id generator; defaults to uuid4 hex. */
  readonly newId?: () => string;
}

type OptionChanges = Readonly<Partial<Record<UserOptionName, UserOptionValue | null>>>;

/** Keystone's wording when a self-service password change fails authentication. */
const CHANGE_PASSWORD_FAILED = 'Error when changing user password: Invalid user / password';

function mergeOptions(current: UserOptions, changes: OptionChanges | undefined): UserOptions {
  const merged: Partial<Record<UserOptionName, UserOptionValue>> = { ...current };
  for (const [name, value] of Object.entries(changes ?? {}) as [UserOptionName, UserOptionValue | null][]) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return merged;
}

/** Passwords are non-empty strings; null (no password) is handled by the callers. */
function assertPassword(password: unknown): asserts password is string {
  if (typeof password !== 'string' || password.length === 0) {
    throw new ValidationError('Password validation error: the password must be a non-empty string.');
  }
}

function assertSameDomain(requested: string | undefined, current: string): void {
  if (requested !== undefined && requested !== current) throw new ValidationError('Cannot change Domain ID');
}

function trimmedName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new ValidationError('Invalid input for field \'name\': the name must not be blank.');
  return trimmed;
}

function hex32(): string {
  return randomBytes(16).toString('hex');
}

export class IdentityManager {
  private readonly backend: UserBackend;
  private readonly events: IdentityEvents;
  private readonly hasher: PasswordHasher;
  private readonly domains: DomainLookup;
  private readonly newId: () => string;
  /** The domain used when a caller names none. */
  readonly defaultDomainId: string;
  /** Hash checked against when there is no real one, so unknown users cost as much time as known ones. */
  private decoyHash: Promise<string> | undefined;

  constructor(options: IdentityManagerDeps) {
    this.backend = options.backend;
    this.events = options.events;
    this.hasher = options.hasher;
    this.domains = options.domains;
    this.defaultDomainId = options.defaultDomainId ?? 'default';
    this.newId = options.newId ?? hex32;
    this.events.on('domain.deleted', ({ domainId }) => this.deleteDomainContents(domainId));
    this.events.on('project.deleted', async ({ projectId }) => {
      await this.backend.unsetDefaultProjectId(projectId);
    });
  }

  // ---- users

  /**
   * Creates a user in `domainId` (default domain when absent), enabled unless told otherwise.
   * @throws EntityNotFound('domain') (404), ValidationError (400) for an empty password,
   * DuplicateEntity (409) when the name is taken in the domain.
   */
  async createUser(input: UserCreate): Promise<User> {
    const domainId = input.domainId ?? this.defaultDomainId;
    await this.domains.getDomain(domainId);
    const password = input.password ?? null;
    if (password !== null) assertPassword(password);
    const user: User = {
      id: this.newId(), name: trimmedName(input.name), domainId, enabled: input.enabled ?? true,
      defaultProjectId: input.defaultProjectId ?? null, passwordExpiresAt: null,
      options: mergeOptions({}, input.options), extra: input.extra ?? {},
    };
    return this.backend.createUser(user, password === null ? null : await this.hasher.hash(password));
  }

  /** @throws EntityNotFound('user') (404). */
  getUser(userId: string): Promise<User> {
    return this.backend.getUser(userId);
  }

  /** @throws EntityNotFound('user', name) (404). */
  getUserByName(name: string, domainId: string): Promise<User> {
    return this.backend.getUserByName(name, domainId);
  }

  listUsers(filter: UserFilter = {}): Promise<User[]> {
    return this.backend.listUsers(filter);
  }

  /**
   * Applies a partial update. Disabling the user or setting its password emits
   * `user.credentials_invalidated` so its tokens stop working.
   * @throws EntityNotFound('user') (404), ValidationError (400) for a domain change or an
   * empty password, DuplicateEntity (409) for a taken name.
   */
  async updateUser(userId: string, update: UserUpdate): Promise<User> {
    const current = await this.backend.getUser(userId);
    assertSameDomain(update.domainId, current.domainId);
    const changes: { -readonly [K in keyof UserChanges]: UserChanges[K] } = {};
    if (update.name !== undefined) changes.name = trimmedName(update.name);
    if (update.enabled !== undefined) changes.enabled = update.enabled;
    if (update.defaultProjectId !== undefined) changes.defaultProjectId = update.defaultProjectId;
    if (update.options !== undefined) changes.options = mergeOptions(current.options, update.options);
    if (update.extra !== undefined) changes.extra = { ...current.extra, ...update.extra };
    if (update.password !== undefined) changes.passwordHash = await this.hashOrNull(update.password);
    const user = await this.backend.updateUser(userId, changes);
    if ((current.enabled && update.enabled === false) || update.password !== undefined) {
      await this.events.emit('user.credentials_invalidated', { userId });
    }
    return user;
  }

  /**
   * Deletes the user and its memberships, then emits `user.deleted`.
   * @throws EntityNotFound('user') (404).
   */
  async deleteUser(userId: string): Promise<void> {
    await this.backend.deleteUser(userId);
    await this.events.emit('user.deleted', { userId });
  }

  // ---- passwords

  /**
   * Checks a password. Unknown user, no password, wrong password and disabled user all fail
   * alike, in about the same time, so the answer tells an attacker nothing more.
   * Rehashes the password when the hasher's parameters have changed.
   * @throws AuthenticationFailed (401).
   */
  async authenticatePassword(userId: string, password: string): Promise<User> {
    if (typeof password !== 'string') throw new AuthenticationFailed();
    const stored = await this.findUserAndHash(userId);
    if (!stored || stored.hash === null) {
      await this.hasher.verify(password, await this.decoy());
      throw new AuthenticationFailed();
    }
    const matches = await this.hasher.verify(password, stored.hash);
    if (!matches || !stored.user.enabled) throw new AuthenticationFailed();
    if (this.hasher.needsRehash(stored.hash)) {
      await this.backend.updateUser(userId, { passwordHash: await this.hasher.hash(password) });
    }
    return stored.user;
  }

  /**
   * The user's own password change (POST /v3/users/{id}/password), then
   * `user.credentials_invalidated`.
   * @throws AuthenticationFailed (401) when `originalPassword` does not authenticate the user,
   * ValidationError (400) for an empty new password or when the `lock_password` option is set.
   */
  async changePassword(userId: string, originalPassword: string, newPassword: string): Promise<void> {
    let user: User;
    try {
      user = await this.authenticatePassword(userId, originalPassword);
    } catch (error) {
      if (error instanceof AuthenticationFailed) throw new AuthenticationFailed(CHANGE_PASSWORD_FAILED);
      throw error;
    }
    if (user.options.lock_password === true) {
      throw new ValidationError('You cannot change your password at this time due to password policy disallowing password changes. Please contact your administrator to reset your password.');
    }
    assertPassword(newPassword);
    await this.backend.updateUser(userId, { passwordHash: await this.hasher.hash(newPassword) });
    await this.events.emit('user.credentials_invalidated', { userId });
  }

  /**
   * Bootstrap's user: creates it, or, like `keystone-manage bootstrap`, re-enables an existing
   * one and resets its password when the given one does not match.
   */
  async ensureUser(input: { readonly name: string; readonly domainId: string; readonly password: string }): Promise<User> {
    let user: User;
    try {
      user = await this.backend.getUserByName(input.name, input.domainId);
    } catch (error) {
      if (error instanceof EntityNotFound) return this.createUser(input);
      throw error;
    }
    const hash = await this.backend.getPasswordHash(user.id);
    const passwordMatches = hash !== null && await this.hasher.verify(input.password, hash);
    if (user.enabled && passwordMatches) return user;
    return this.updateUser(user.id, { enabled: true, ...(passwordMatches ? {} : { password: input.password }) });
  }

  // ---- groups

  /**
   * Creates a group in `domainId` (default domain when absent); description defaults to ''.
   * @throws EntityNotFound('domain') (404), DuplicateEntity (409).
   */
  async createGroup(input: GroupCreate): Promise<Group> {
    const domainId = input.domainId ?? this.defaultDomainId;
    await this.domains.getDomain(domainId);
    return this.backend.createGroup({
      id: this.newId(), name: trimmedName(input.name), domainId,
      description: input.description === undefined ? '' : input.description, extra: input.extra ?? {},
    });
  }

  /** @throws EntityNotFound('group') (404). */
  getGroup(groupId: string): Promise<Group> {
    return this.backend.getGroup(groupId);
  }

  /** @throws EntityNotFound('group', name) (404). */
  getGroupByName(name: string, domainId: string): Promise<Group> {
    return this.backend.getGroupByName(name, domainId);
  }

  listGroups(filter: GroupFilter = {}): Promise<Group[]> {
    return this.backend.listGroups(filter);
  }

  /** @throws EntityNotFound('group') (404), ValidationError (400) for a domain change, DuplicateEntity (409). */
  async updateGroup(groupId: string, update: GroupUpdate): Promise<Group> {
    const current = await this.backend.getGroup(groupId);
    assertSameDomain(update.domainId, current.domainId);
    return this.backend.updateGroup(groupId, {
      ...(update.name === undefined ? {} : { name: trimmedName(update.name) }),
      ...(update.description === undefined ? {} : { description: update.description }),
      ...(update.extra === undefined ? {} : { extra: { ...current.extra, ...update.extra } }),
    });
  }

  /**
   * Deletes the group, emits `group.deleted`, then `user.credentials_invalidated` for each
   * former member, whose roles through the group are gone.
   * @throws EntityNotFound('group') (404).
   */
  async deleteGroup(groupId: string): Promise<void> {
    const members = await this.backend.listUsersInGroup(groupId);
    await this.backend.deleteGroup(groupId);
    await this.events.emit('group.deleted', { groupId });
    for (const member of members) await this.events.emit('user.credentials_invalidated', { userId: member.id });
  }

  /** Idempotent. @throws EntityNotFound('group' | 'user') (404). */
  addUserToGroup(userId: string, groupId: string): Promise<void> {
    return this.backend.addUserToGroup(userId, groupId);
  }

  /**
   * Ends a membership and emits `user.credentials_invalidated` for the user, as Keystone
   * revokes the tokens that carried roles through the group.
   * @throws EntityNotFound('group' | 'user') (404), NotFound (404) when not a member.
   */
  async removeUserFromGroup(userId: string, groupId: string): Promise<void> {
    await this.backend.removeUserFromGroup(userId, groupId);
    await this.events.emit('user.credentials_invalidated', { userId });
  }

  /** @throws EntityNotFound('group' | 'user') (404), NotFound (404) when not a member. */
  checkUserInGroup(userId: string, groupId: string): Promise<void> {
    return this.backend.checkUserInGroup(userId, groupId);
  }

  /** @throws EntityNotFound('user') (404). */
  listGroupsForUser(userId: string, filter: GroupFilter = {}): Promise<Group[]> {
    return this.backend.listGroupsForUser(userId, filter);
  }

  /** @throws EntityNotFound('group') (404). */
  listUsersInGroup(groupId: string, filter: UserFilter = {}): Promise<User[]> {
    return this.backend.listUsersInGroup(groupId, filter);
  }

  // ---- internals

  private async hashOrNull(password: string | null): Promise<string | null> {
    if (password === null) return null;
    assertPassword(password);
    return this.hasher.hash(password);
  }

  private async findUserAndHash(userId: string): Promise<{ user: User; hash: string | null } | undefined> {
    try {
      const user = await this.backend.getUser(userId);
      return { user, hash: await this.backend.getPasswordHash(userId) };
    } catch (error) {
      if (error instanceof EntityNotFound) return undefined;
      throw error;
    }
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= this.hasher.hash(hex32());
    return this.decoyHash;
  }

  /** Keystone's _domain_deleted: groups first, then users, each announced as it goes. */
  private async deleteDomainContents(domainId: string): Promise<void> {
    for (const group of await this.backend.listGroups({ domainId })) {
      await ignoreMissing(this.deleteGroup(group.id));
    }
    for (const user of await this.backend.listUsers({ domainId })) {
      await ignoreMissing(this.deleteUser(user.id));
    }
  }
}

/** Cleanup racing another deleter is fine: the row is gone either way. */
async function ignoreMissing(operation: Promise<void>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!(error instanceof EntityNotFound)) throw error;
  }
}
