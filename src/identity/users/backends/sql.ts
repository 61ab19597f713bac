// The SQL identity driver (keystone/identity/backends/sql.py) over Kysely: users with their
// password hash, groups, and memberships, on SQLite, PostgreSQL or MariaDB.

import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';
import { DuplicateEntity, EntityNotFound, NotFound } from '../../errors.js';
import type { GroupChanges, UserBackend, UserChanges } from '../backend.js';
import type { Group, GroupFilter, User, UserFilter, UserOptions } from '../model.js';
import { isUniqueViolation } from '../../../common/db/index.js';

export interface UserTables {
  identity_user: {
    id: string;
    domain_id: string;
    name: string;
    /** 0 or 1. */
    enabled: number;
    default_project_id: string | null;
    /** Self-describing hash (see password-hash.ts); null when the user has no password. */
    password_hash: string | null;
    /** JSON object of user options. */
    options: string;
    /** JSON object of extra attributes. */
    extra: string;
    /** ISO 8601. */
    created_at: string;
  };
  identity_group: {
    id: string;
    domain_id: string;
    name: string;
    description: string | null;
    /** JSON object of extra attributes. */
    extra: string;
    /** ISO 8601. */
    created_at: string;
  };
  user_group_membership: {
    user_id: string;
    group_id: string;
  };
}

type UserRow = Selectable<UserTables['identity_user']>;
type GroupRow = Selectable<UserTables['identity_group']>;

const USER_COLUMNS = ['id', 'domain_id', 'name', 'enabled', 'default_project_id', 'options', 'extra'] as const;

function parseObject(text: string): Readonly<Record<string, unknown>> {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function toUser(row: Pick<UserRow, (typeof USER_COLUMNS)[number]>): User {
  return {
    id: row.id, name: row.name, domainId: row.domain_id, enabled: Number(row.enabled) === 1,
    defaultProjectId: row.default_project_id, passwordExpiresAt: null,
    options: parseObject(row.options) as UserOptions, extra: parseObject(row.extra),
  };
}

function toGroup(row: GroupRow): Group {
  return { id: row.id, name: row.name, domainId: row.domain_id, description: row.description, extra: parseObject(row.extra) };
}

function userColumns(changes: UserChanges): Partial<UserRow> {
  const values: Partial<UserRow> = {};
  if (changes.name !== undefined) values.name = changes.name;
  if (changes.enabled !== undefined) values.enabled = changes.enabled ? 1 : 0;
  if (changes.defaultProjectId !== undefined) values.default_project_id = changes.defaultProjectId;
  if (changes.options !== undefined) values.options = JSON.stringify(changes.options);
  if (changes.extra !== undefined) values.extra = JSON.stringify(changes.extra);
  if (changes.passwordHash !== undefined) values.password_hash = changes.passwordHash;
  return values;
}

function groupColumns(changes: GroupChanges): Partial<GroupRow> {
  const values: Partial<GroupRow> = {};
  if (changes.name !== undefined) values.name = changes.name;
  if (changes.description !== undefined) values.description = changes.description;
  if (changes.extra !== undefined) values.extra = JSON.stringify(changes.extra);
  return values;
}

function userWhere(filter: UserFilter) {
  return (eb: ExpressionBuilder<UserTables, 'identity_user'>) => eb.and([
    ...(filter.name === undefined ? [] : [eb('identity_user.name', '=', filter.name)]),
    ...(filter.domainId === undefined ? [] : [eb('identity_user.domain_id', '=', filter.domainId)]),
    ...(filter.enabled === undefined ? [] : [eb('identity_user.enabled', '=', filter.enabled ? 1 : 0)]),
  ]);
}

function groupWhere(filter: GroupFilter) {
  return (eb: ExpressionBuilder<UserTables, 'identity_group'>) => eb.and([
    ...(filter.name === undefined ? [] : [eb('identity_group.name', '=', filter.name)]),
    ...(filter.domainId === undefined ? [] : [eb('identity_group.domain_id', '=', filter.domainId)]),
  ]);
}

/** Keystone's wording: "... Duplicate entry found with name <n> at domain ID <d>." */
function duplicate(kind: 'user' | 'group', name: string, domainId: string, error: unknown): unknown {
  return isUniqueViolation(error) ? new DuplicateEntity(kind, 'name', `${name} at domain ID ${domainId}`) : error;
}

function notMember(userId: string, groupId: string): NotFound {
  return new NotFound(`User '${userId}' not found in group '${groupId}'`);
}

export class SqlUserBackend implements UserBackend {
  /** `now` stamps `created_at`; defaults to the system clock. */
  constructor(private readonly db: Kysely<UserTables>, private readonly now: () => Date = () => new Date()) {}

  async createUser(user: User, passwordHash: string | null): Promise<User> {
    try {
      await this.db.insertInto('identity_user').values({
        id: user.id, domain_id: user.domainId, name: user.name, enabled: user.enabled ? 1 : 0,
        default_project_id: user.defaultProjectId, password_hash: passwordHash,
        options: JSON.stringify(user.options), extra: JSON.stringify(user.extra), created_at: this.now().toISOString(),
      }).execute();
    } catch (error) {
      throw duplicate('user', user.name, user.domainId, error);
    }
    return this.getUser(user.id);
  }

  async getUser(userId: string): Promise<User> {
    const row = await this.db.selectFrom('identity_user').select(USER_COLUMNS).where('id', '=', userId).executeTakeFirst();
    if (!row) throw new EntityNotFound('user', userId);
    return toUser(row);
  }

  async getUserByName(name: string, domainId: string): Promise<User> {
    const row = await this.db.selectFrom('identity_user').select(USER_COLUMNS)
      .where('name', '=', name).where('domain_id', '=', domainId).executeTakeFirst();
    if (!row) throw new EntityNotFound('user', name);
    return toUser(row);
  }

  async listUsers(filter: UserFilter = {}): Promise<User[]> {
    const rows = await this.db.selectFrom('identity_user').select(USER_COLUMNS).where(userWhere(filter)).orderBy('id').execute();
    return rows.map(toUser);
  }

  async updateUser(userId: string, changes: UserChanges): Promise<User> {
    const current = await this.getUser(userId);
    const values = userColumns(changes);
    if (Object.keys(values).length === 0) return current;
    try {
      await this.db.updateTable('identity_user').set(values).where('id', '=', userId).execute();
    } catch (error) {
      throw duplicate('user', changes.name ?? current.name, current.domainId, error);
    }
    return this.getUser(userId);
  }

  async deleteUser(userId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('user_group_membership').where('user_id', '=', userId).execute();
      const result = await trx.deleteFrom('identity_user').where('id', '=', userId).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new EntityNotFound('user', userId);
    });
  }

  async getPasswordHash(userId: string): Promise<string | null> {
    const row = await this.db.selectFrom('identity_user').select('password_hash').where('id', '=', userId).executeTakeFirst();
    if (!row) throw new EntityNotFound('user', userId);
    return row.password_hash;
  }

  async unsetDefaultProjectId(projectId: string): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('identity_user').select('id').where('default_project_id', '=', projectId).execute();
      if (rows.length > 0) {
        await trx.updateTable('identity_user').set({ default_project_id: null }).where('default_project_id', '=', projectId).execute();
      }
      return rows.map((row) => row.id);
    });
  }

  async createGroup(group: Group): Promise<Group> {
    try {
      await this.db.insertInto('identity_group').values({
        id: group.id, domain_id: group.domainId, name: group.name, description: group.description,
        extra: JSON.stringify(group.extra), created_at: this.now().toISOString(),
      }).execute();
    } catch (error) {
      throw duplicate('group', group.name, group.domainId, error);
    }
    return this.getGroup(group.id);
  }

  async getGroup(groupId: string): Promise<Group> {
    const row = await this.db.selectFrom('identity_group').selectAll().where('id', '=', groupId).executeTakeFirst();
    if (!row) throw new EntityNotFound('group', groupId);
    return toGroup(row);
  }

  async getGroupByName(name: string, domainId: string): Promise<Group> {
    const row = await this.db.selectFrom('identity_group').selectAll()
      .where('name', '=', name).where('domain_id', '=', domainId).executeTakeFirst();
    if (!row) throw new EntityNotFound('group', name);
    return toGroup(row);
  }

  async listGroups(filter: GroupFilter = {}): Promise<Group[]> {
    const rows = await this.db.selectFrom('identity_group').selectAll().where(groupWhere(filter)).orderBy('id').execute();
    return rows.map(toGroup);
  }

  async updateGroup(groupId: string, changes: GroupChanges): Promise<Group> {
    const current = await this.getGroup(groupId);
    const values = groupColumns(changes);
    if (Object.keys(values).length === 0) return current;
    try {
      await this.db.updateTable('identity_group').set(values).where('id', '=', groupId).execute();
    } catch (error) {
      throw duplicate('group', changes.name ?? current.name, current.domainId, error);
    }
    return this.getGroup(groupId);
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('user_group_membership').where('group_id', '=', groupId).execute();
      const result = await trx.deleteFrom('identity_group').where('id', '=', groupId).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new EntityNotFound('group', groupId);
    });
  }

  async addUserToGroup(userId: string, groupId: string): Promise<void> {
    await this.getGroup(groupId);
    await this.getUser(userId);
    try {
      await this.db.insertInto('user_group_membership').values({ user_id: userId, group_id: groupId }).execute();
    } catch (error) {
      // Already a member: Keystone treats adding twice as success.
      if (!isUniqueViolation(error)) throw error;
    }
  }

  async removeUserFromGroup(userId: string, groupId: string): Promise<void> {
    const result = await this.db.deleteFrom('user_group_membership')
      .where('user_id', '=', userId).where('group_id', '=', groupId).executeTakeFirst();
    if (Number(result.numDeletedRows) > 0) return;
    await this.getGroup(groupId);
    await this.getUser(userId);
    throw notMember(userId, groupId);
  }

  async checkUserInGroup(userId: string, groupId: string): Promise<void> {
    await this.getGroup(groupId);
    await this.getUser(userId);
    const row = await this.db.selectFrom('user_group_membership').select('user_id')
      .where('user_id', '=', userId).where('group_id', '=', groupId).executeTakeFirst();
    if (!row) throw notMember(userId, groupId);
  }

  async listGroupsForUser(userId: string, filter: GroupFilter = {}): Promise<Group[]> {
    await this.getUser(userId);
    const rows = await this.db.selectFrom('identity_group').selectAll()
      .where('id', 'in', this.db.selectFrom('user_group_membership').select('group_id').where('user_id', '=', userId))
      .where(groupWhere(filter)).orderBy('id').execute();
    return rows.map(toGroup);
  }

  async listUsersInGroup(groupId: string, filter: UserFilter = {}): Promise<User[]> {
    await this.getGroup(groupId);
    const rows = await this.db.selectFrom('identity_user').select(USER_COLUMNS)
      .where('id', 'in', this.db.selectFrom('user_group_membership').select('user_id').where('group_id', '=', groupId))
      .where(userWhere(filter)).orderBy('id').execute();
    return rows.map(toUser);
  }
}
