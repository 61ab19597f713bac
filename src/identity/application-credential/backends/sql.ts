// Application credentials in the identity database. Mirrors
// keystone/application_credential/backends/sql.py; access rules are kept on the credential.

import type { Kysely } from 'kysely';
import { DuplicateEntity, EntityNotFound } from '../../errors.js';
import type { ApplicationCredentialBackend } from '../backend.js';
import type { AccessRule, ApplicationCredentialFilter, ApplicationCredentialRole, StoredApplicationCredential } from '../model.js';
import { isUniqueViolation } from '../../../common/db/index.js';

export interface ApplicationCredentialTables {
  application_credential: {
    id: string;
    name: string;
    secret_hash: string;
    description: string | null;
    user_id: string;
    project_id: string;
    /** ISO 8601, UTC. */
    expires_at: string | null;
    unrestricted: number;
    /** JSON array of access rules. */
    access_rules: string;
  };
  application_credential_role: {
    application_credential_id: string;
    role_id: string;
    role_name: string;
    role_domain_id: string | null;
  };
}

type CredentialRow = ApplicationCredentialTables['application_credential'];
type RoleRow = ApplicationCredentialTables['application_credential_role'];

const KIND = 'Application Credential';

function toCredential(row: CredentialRow, roles: readonly RoleRow[]): StoredApplicationCredential {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    userId: row.user_id,
    projectId: row.project_id,
    roles: roles.map((r): ApplicationCredentialRole => ({ id: r.role_id, name: r.role_name, domainId: r.role_domain_id })),
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    unrestricted: row.unrestricted === 1,
    accessRules: JSON.parse(row.access_rules) as AccessRule[],
    secretHash: row.secret_hash,
  };
}


export class SqlApplicationCredentialBackend implements ApplicationCredentialBackend {
  constructor(private readonly db: Kysely<ApplicationCredentialTables>) {}

  async create(credential: StoredApplicationCredential): Promise<StoredApplicationCredential> {
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('application_credential').values({
          id: credential.id,
          name: credential.name,
          secret_hash: credential.secretHash,
          description: credential.description,
          user_id: credential.userId,
          project_id: credential.projectId,
          expires_at: credential.expiresAt?.toISOString() ?? null,
          unrestricted: credential.unrestricted ? 1 : 0,
          access_rules: JSON.stringify(credential.accessRules),
        }).execute();
        if (credential.roles.length === 0) return;
        await trx.insertInto('application_credential_role').values(credential.roles.map((r) => ({
          application_credential_id: credential.id, role_id: r.id, role_name: r.name, role_domain_id: r.domainId,
        }))).execute();
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateEntity('application_credential', 'name', credential.name);
      throw error;
    }
    return credential;
  }

  async get(id: string): Promise<StoredApplicationCredential> {
    const [found] = await this.withRoles(await this.db.selectFrom('application_credential').selectAll().where('id', '=', id).execute());
    if (!found) throw new EntityNotFound(KIND, id);
    return found;
  }

  async findByName(userId: string, name: string): Promise<StoredApplicationCredential | undefined> {
    return (await this.listForUser(userId, { name }))[0];
  }

  async listForUser(userId: string, filter: ApplicationCredentialFilter): Promise<StoredApplicationCredential[]> {
    let query = this.db.selectFrom('application_credential').selectAll().where('user_id', '=', userId).orderBy('name');
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    return this.withRoles(await query.execute());
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.deleteWhere('id', id);
    if (deleted === 0) throw new EntityNotFound(KIND, id);
  }

  async deleteForUser(userId: string): Promise<void> {
    await this.deleteWhere('user_id', userId);
  }

  async deleteForProject(projectId: string): Promise<void> {
    await this.deleteWhere('project_id', projectId);
  }

  /** Deletes matching credentials and their roles together; returns how many credentials went. */
  private async deleteWhere(column: 'id' | 'user_id' | 'project_id', value: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const ids = trx.selectFrom('application_credential').select('id').where(column, '=', value);
      await trx.deleteFrom('application_credential_role').where('application_credential_id', 'in', ids).execute();
      const result = await trx.deleteFrom('application_credential').where(column, '=', value).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }

  private async withRoles(rows: readonly CredentialRow[]): Promise<StoredApplicationCredential[]> {
    if (rows.length === 0) return [];
    const roles = await this.db.selectFrom('application_credential_role').selectAll()
      .where('application_credential_id', 'in', rows.map((r) => r.id)).orderBy('role_name').execute();
    return rows.map((row) => toCredential(row, roles.filter((r) => r.application_credential_id === row.id)));
  }
}
