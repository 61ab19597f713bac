// A revocation event (keystone/models/revoke_model.py): every token whose fields match all
// of the event's set fields and that was issued at or before `issuedBefore` is revoked.

export interface RevocationEvent {
  readonly userId?: string;
  readonly projectId?: string;
  readonly auditId?: string;
  readonly issuedBefore: Date;
  readonly revokedAt: Date;
}

/** What a token exposes to revocation matching. */
export interface RevocableToken {
  readonly userId: string;
  readonly projectId?: string;
  readonly auditIds: readonly string[];
  readonly issuedAt: Date;
}
