// Revocation (keystone/revoke/core.py): records events when tokens must stop working and
// answers whether a given token is revoked. Listens to the other managers' notifications.

import type { IdentityEvents } from '../events.js';
import type { RevokeBackend } from './backend.js';
import type { RevocableToken, RevocationEvent } from './model.js';

export interface RevokeManagerDeps {
  readonly backend: RevokeBackend;
  readonly events: IdentityEvents;
  readonly now: () => Date;
  /** Waits `ms` milliseconds; injected so tests with a fixed clock can move it instead. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export class RevokeManager {
  constructor(private readonly deps: RevokeManagerDeps) {
    const revokeUser = async ({ userId }: { userId: string }): Promise<void> => this.revokeByUser(userId);
    deps.events.on('user.deleted', revokeUser);
    deps.events.on('user.credentials_invalidated', revokeUser);
    deps.events.on('project.deleted', async ({ projectId }) => this.record({ projectId }));
  }

  /** Revokes one token (and the tokens rescoped from it) by its audit id. */
  async revokeByAuditId(auditId: string): Promise<void> {
    await this.record({ auditId });
  }

  /** Revokes every token the user holds now. */
  async revokeByUser(userId: string): Promise<void> {
    await this.record({ userId });
  }

  /**
   * Resolves once a token issued now for this user and project would not be caught by an
   * event recorded earlier in the same second. Fernet timestamps have whole seconds, so a token
   * issued right after a password change, in the same second, would otherwise be born revoked;
   * waiting for the next second (rarely, at most once) keeps both the event and the new token exact.
   */
  async waitUntilIssuable(token: Pick<RevocableToken, 'userId' | 'projectId'>): Promise<void> {
    const now = this.deps.now().getTime();
    const second = Math.floor(now / 1000) * 1000;
    const recent = await this.deps.backend.findMatching({ ...token, auditIds: [], issuedAt: new Date(second) });
    if (recent.length === 0) return;
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    await sleep(second + 1000 - now + 1);
  }

  async isRevoked(token: RevocableToken): Promise<boolean> {
    return (await this.deps.backend.findMatching(token)).length > 0;
  }

  async listEvents(since?: Date): Promise<RevocationEvent[]> {
    return this.deps.backend.list(since);
  }

  /** Drops events older than the longest-lived token could be. */
  async pruneExpired(tokenLifetimeSeconds: number): Promise<number> {
    return this.deps.backend.prune(new Date(this.deps.now().getTime() - tokenLifetimeSeconds * 1000 * 2));
  }

  private async record(fields: Pick<RevocationEvent, 'userId' | 'projectId' | 'auditId'>): Promise<void> {
    const now = this.deps.now();
    await this.deps.backend.addEvent({ ...fields, issuedBefore: now, revokedAt: now });
    // Token caches (this service's, and every other service's through the bus) drop the tokens it covers.
    await this.deps.events.emit('revocation.recorded', fields);
  }
}
