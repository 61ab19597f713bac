// Grants stored in SQL through Kysely: one `assignment` row per actor, target, role and
// inherited flag. Mirrors keystone/assignment/backends/sql.py.

import type { Kysely } from 'kysely';
import type { ActorType, Grant, TargetType } from '../model.js';
import type { AssignmentBackend, GrantFilter } from '../backend.js';

export interface RoleTable {
  id: string;
  name: string;
  /** NULL_DOMAIN_ID for global roles. */
  domain_id: string;
  description: string | null;
  /** JSON object of resource options. */
  options: string;
  /** JSON object of extra attributes. */
  extra: string;
}

export interface ImpliedRoleTable {
  prior_role_id: string;
  implied_role_id: string;
}

export interface AssignmentTable {
  actor_type: string;
  actor_id: string;
  target_type: string;
  target_id: string;
  role_id: string;
  /** 1 for OS-INHERIT grants inherited to projects. */
  inherited: number;
}

/** The tables the assignment subsystem owns. */
export interface AssignmentTables {
  role: RoleTable;
  implied_role: ImpliedRoleTable;
  assignment: AssignmentTable;
}

function toGrant(row: AssignmentTable): Grant {
  return {
    roleId: row.role_id, actorType: row.actor_type as ActorType, actorId: row.actor_id,
    targetType: row.target_type as TargetType, targetId: row.target_id, inherited: Number(row.inherited) === 1,
  };
}

function toRow(grant: Grant): AssignmentTable {
  return {
    actor_type: grant.actorType, actor_id: grant.actorId, target_type: grant.targetType,
    target_id: grant.targetId, role_id: grant.roleId, inherited: grant.inherited ? 1 : 0,
  };
}

export class SqlAssignmentBackend implements AssignmentBackend {
  constructor(private readonly db: Kysely<AssignmentTables>) {}

  async createGrant(grant: Grant): Promise<void> {
    if (await this.hasGrant(grant)) return;
    try {
      await this.db.insertInto('assignment').values(toRow(grant)).execute();
    } catch (error) {
      // A concurrent request stored the same grant first; granting is idempotent.
      if (!(await this.hasGrant(grant))) throw error;
    }
  }

  async hasGrant(grant: Grant): Promise<boolean> {
    const row = await this.matching(grant).select('role_id').executeTakeFirst();
    return row !== undefined;
  }

  async deleteGrant(grant: Grant): Promise<boolean> {
    const row = toRow(grant);
    const result = await this.db.deleteFrom('assignment')
      .where('actor_type', '=', row.actor_type).where('actor_id', '=', row.actor_id)
      .where('target_type', '=', row.target_type).where('target_id', '=', row.target_id)
      .where('role_id', '=', row.role_id).where('inherited', '=', row.inherited)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listGrants(filter: GrantFilter): Promise<Grant[]> {
    if ([filter.actorIds, filter.targetTypes, filter.targetIds].some((list) => list !== undefined && list.length === 0)) return [];
    let query = this.db.selectFrom('assignment').selectAll();
    if (filter.roleId !== undefined) query = query.where('role_id', '=', filter.roleId);
    if (filter.actorType !== undefined) query = query.where('actor_type', '=', filter.actorType);
    if (filter.actorIds !== undefined) query = query.where('actor_id', 'in', [...filter.actorIds]);
    if (filter.targetTypes !== undefined) query = query.where('target_type', 'in', [...filter.targetTypes]);
    if (filter.targetIds !== undefined) query = query.where('target_id', 'in', [...filter.targetIds]);
    if (filter.inherited !== undefined) query = query.where('inherited', '=', filter.inherited ? 1 : 0);
    const rows = await query
      .orderBy('target_type').orderBy('target_id').orderBy('actor_type').orderBy('actor_id')
      .orderBy('role_id').orderBy('inherited')
      .execute();
    return rows.map(toGrant);
  }

  async deleteActorGrants(actorType: ActorType, actorId: string): Promise<void> {
    await this.db.deleteFrom('assignment').where('actor_type', '=', actorType).where('actor_id', '=', actorId).execute();
  }

  async deleteTargetGrants(targetType: TargetType, targetId: string): Promise<void> {
    await this.db.deleteFrom('assignment').where('target_type', '=', targetType).where('target_id', '=', targetId).execute();
  }

  async deleteRoleGrants(roleId: string): Promise<void> {
    await this.db.deleteFrom('assignment').where('role_id', '=', roleId).execute();
  }

  private matching(grant: Grant) {
    const row = toRow(grant);
    return this.db.selectFrom('assignment')
      .where('actor_type', '=', row.actor_type).where('actor_id', '=', row.actor_id)
      .where('target_type', '=', row.target_type).where('target_id', '=', row.target_id)
      .where('role_id', '=', row.role_id).where('inherited', '=', row.inherited);
  }
}
