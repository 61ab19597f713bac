// Schema of the assignment subsystem: roles, role inference rules and grants.
// Mirrors keystone's role, implied_role, assignment and system_assignment tables; project,
// domain, system, user and group grants share one table, told apart by actor and target type.

import type { Kysely } from 'kysely';
import type { ServiceMigration } from '../../common/db/index.js';

async function createRoleTables(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('role')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    // Global roles store NULL_DOMAIN_ID rather than NULL so (name, domain_id) stays unique.
    .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addUniqueConstraint('role_name_domain_id_key', ['name', 'domain_id'])
    .execute();
  await db.schema.createTable('implied_role')
    .addColumn('prior_role_id', 'varchar(64)', (c) => c.notNull().references('role.id').onDelete('cascade'))
    .addColumn('implied_role_id', 'varchar(64)', (c) => c.notNull().references('role.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('implied_role_pkey', ['prior_role_id', 'implied_role_id'])
    .execute();
}

async function createAssignmentTable(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable('assignment')
    .addColumn('actor_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('target_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('role_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('inherited', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('assignment_pkey', ['actor_type', 'actor_id', 'target_type', 'target_id', 'role_id', 'inherited'])
    .execute();
  await db.schema.createIndex('ix_assignment_actor_id').on('assignment').column('actor_id').execute();
  await db.schema.createIndex('ix_assignment_target_id').on('assignment').column('target_id').execute();
  await db.schema.createIndex('ix_assignment_role_id').on('assignment').column('role_id').execute();
}

export const assignmentMigrations: readonly ServiceMigration[] = [
  { name: '003_assignment_initial', up: async (db) => {
    await createRoleTables(db);
    await createAssignmentTable(db);
  } },
];
