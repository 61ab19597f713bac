// Revocation events in the identity database.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { RevokeBackend } from '../backend.js';
import type { RevocationEvent, RevocableToken } from '../model.js';

export interface RevokeTables {
  revocation_event: {
    id: string;
    user_id: string | null;
    project_id: string | null;
    audit_id: string | null;
    issued_before: string;
    revoked_at: string;
  };
}

type Row = RevokeTables['revocation_event'];

function toEvent(row: Row): RevocationEvent {
  return {
    ...(row.user_id ? { userId: row.user_id } : {}),
    ...(row.project_id ? { projectId: row.project_id } : {}),
    ...(row.audit_id ? { auditId: row.audit_id } : {}),
    issuedBefore: new Date(row.issued_before),
    revokedAt: new Date(row.revoked_at),
  };
}

export class SqlRevokeBackend implements RevokeBackend {
  constructor(private readonly db: Kysely<RevokeTables>) {}

  async addEvent(event: RevocationEvent): Promise<void> {
    await this.db.insertInto('revocation_event').values({
      id: randomUUID(),
      user_id: event.userId ?? null,
      project_id: event.projectId ?? null,
      audit_id: event.auditId ?? null,
      issued_before: event.issuedBefore.toISOString(),
      revoked_at: event.revokedAt.toISOString(),
    }).execute();
  }

  async findMatching(token: RevocableToken): Promise<RevocationEvent[]> {
    const issuedAt = token.issuedAt.toISOString();
    const rows = await this.db.selectFrom('revocation_event').selectAll()
      .where('issued_before', '>=', issuedAt)
      .where((eb) => eb.or([
        eb('user_id', '=', token.userId),
        ...(token.projectId ? [eb('project_id', '=', token.projectId)] : []),
        ...(token.auditIds.length ? [eb('audit_id', 'in', [...token.auditIds])] : []),
      ]))
      .execute();
    // An event matches only when every field it sets matches the token.
    return rows.map(toEvent).filter((e) =>
      (e.userId === undefined || e.userId === token.userId)
      && (e.projectId === undefined || e.projectId === token.projectId)
      && (e.auditId === undefined || token.auditIds.includes(e.auditId)));
  }

  async list(since?: Date): Promise<RevocationEvent[]> {
    let query = this.db.selectFrom('revocation_event').selectAll().orderBy('revoked_at', 'desc');
    if (since) query = query.where('revoked_at', '>=', since.toISOString());
    return (await query.execute()).map(toEvent);
  }

  async prune(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('revocation_event').where('issued_before', '<', before.toISOString()).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
