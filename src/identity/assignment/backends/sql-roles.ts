// Roles and role inference rules stored in SQL through Kysely.
// Mirrors keystone/assignment/role_backends/sql.py.

import type { Kysely } from 'kysely';
import { DuplicateImpliedRole, DuplicateRole, ImpliedRoleNotFound, RoleNotFound } from '../errors.js';
import type { ImpliedRole, Role, RoleOptions } from '../model.js';
import type { RoleBackend, RoleFilter } from '../backend.js';
import type { AssignmentTables, RoleTable } from './sql.js';

/** Stored in place of NULL for global roles, as Keystone does, so (name, domain_id) is unique. */
export const NULL_DOMAIN_ID = '<<null>>';

function parseObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : {};
}

function toRole(row: RoleTable): Role {
  const options = parseObject(row.options);
  return {
    id: row.id,
    name: row.name,
    domainId: row.domain_id === NULL_DOMAIN_ID ? null : row.domain_id,
    description: row.description,
    options: typeof options.immutable === 'boolean' ? { immutable: options.immutable } : {},
    extra: parseObject(row.extra),
  };
}

function toRow(role: Role): RoleTable {
  const options: RoleOptions = role.options.immutable === undefined ? {} : { immutable: role.options.immutable };
  return {
    id: role.id, name: role.name, domain_id: role.domainId ?? NULL_DOMAIN_ID, description: role.description,
    options: JSON.stringify(options), extra: JSON.stringify(role.extra),
  };
}

export class SqlRoleBackend implements RoleBackend {
  constructor(private readonly db: Kysely<AssignmentTables>) {}

  async createRole(role: Role): Promise<Role> {
    await this.assertNameFree(role);
    try {
      await this.db.insertInto('role').values(toRow(role)).execute();
    } catch (error) {
      await this.assertNameFree(role);
      throw error;
    }
    return this.getRole(role.id);
  }

  async getRole(roleId: string): Promise<Role> {
    const row = await this.db.selectFrom('role').selectAll().where('id', '=', roleId).executeTakeFirst();
    if (row === undefined) throw new RoleNotFound(roleId);
    return toRole(row);
  }

  async listRoles(filter: RoleFilter): Promise<Role[]> {
    let query = this.db.selectFrom('role').selectAll();
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    if (filter.domainId !== undefined) query = query.where('domain_id', '=', filter.domainId ?? NULL_DOMAIN_ID);
    const rows = await query.orderBy('name').orderBy('id').execute();
    return rows.map(toRole);
  }

  async listRolesByIds(roleIds: readonly string[]): Promise<Role[]> {
    if (roleIds.length === 0) return [];
    const rows = await this.db.selectFrom('role').selectAll().where('id', 'in', [...new Set(roleIds)]).execute();
    return rows.map(toRole);
  }

  async updateRole(role: Role): Promise<Role> {
    await this.getRole(role.id);
    await this.assertNameFree(role);
    const { id: _id, ...fields } = toRow(role);
    try {
      await this.db.updateTable('role').set(fields).where('id', '=', role.id).execute();
    } catch (error) {
      await this.assertNameFree(role);
      throw error;
    }
    return this.getRole(role.id);
  }

  async deleteRole(roleId: string): Promise<void> {
    await this.getRole(roleId);
    await this.db.deleteFrom('implied_role')
      .where((eb) => eb.or([eb('prior_role_id', '=', roleId), eb('implied_role_id', '=', roleId)]))
      .execute();
    await this.db.deleteFrom('role').where('id', '=', roleId).execute();
  }

  async createImpliedRole(rule: ImpliedRole): Promise<ImpliedRole> {
    if (await this.findImpliedRole(rule.priorRoleId, rule.impliedRoleId)) throw new DuplicateImpliedRole();
    try {
      await this.db.insertInto('implied_role').values({ prior_role_id: rule.priorRoleId, implied_role_id: rule.impliedRoleId }).execute();
    } catch (error) {
      if (await this.findImpliedRole(rule.priorRoleId, rule.impliedRoleId)) throw new DuplicateImpliedRole();
      throw error;
    }
    return rule;
  }

  async getImpliedRole(priorRoleId: string, impliedRoleId: string): Promise<ImpliedRole> {
    const rule = await this.findImpliedRole(priorRoleId, impliedRoleId);
    if (rule === undefined) throw new ImpliedRoleNotFound(priorRoleId, impliedRoleId);
    return rule;
  }

  async deleteImpliedRole(priorRoleId: string, impliedRoleId: string): Promise<void> {
    const result = await this.db.deleteFrom('implied_role')
      .where('prior_role_id', '=', priorRoleId).where('implied_role_id', '=', impliedRoleId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new ImpliedRoleNotFound(priorRoleId, impliedRoleId);
  }

  async listImpliedRoles(priorRoleId?: string): Promise<ImpliedRole[]> {
    let query = this.db.selectFrom('implied_role').selectAll();
    if (priorRoleId !== undefined) query = query.where('prior_role_id', '=', priorRoleId);
    const rows = await query.orderBy('prior_role_id').orderBy('implied_role_id').execute();
    return rows.map((row) => ({ priorRoleId: row.prior_role_id, impliedRoleId: row.implied_role_id }));
  }

  private async findImpliedRole(priorRoleId: string, impliedRoleId: string): Promise<ImpliedRole | undefined> {
    const row = await this.db.selectFrom('implied_role').selectAll()
      .where('prior_role_id', '=', priorRoleId).where('implied_role_id', '=', impliedRoleId)
      .executeTakeFirst();
    return row && { priorRoleId: row.prior_role_id, impliedRoleId: row.implied_role_id };
  }

  /** @throws DuplicateRole when another role has the same name in the same domain. */
  private async assertNameFree(role: Role): Promise<void> {
    const clash = await this.db.selectFrom('role').select('id')
      .where('name', '=', role.name).where('domain_id', '=', role.domainId ?? NULL_DOMAIN_ID).where('id', '!=', role.id)
      .executeTakeFirst();
    if (clash !== undefined) throw new DuplicateRole(role.name, role.domainId);
  }
}
