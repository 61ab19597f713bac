// Storage of revocation events.
import type { RevocationEvent, RevocableToken } from './model.js';

export interface RevokeBackend {
  /** Stores one event. */
  addEvent(event: RevocationEvent): Promise<void>;
  /** Events that revoke `token`: same user, project or any of its audit ids, issued no later than the event. */
  findMatching(token: RevocableToken): Promise<RevocationEvent[]>;
  /** Every stored event, newest first (GET /v3/OS-REVOKE/events). */
  list(since?: Date): Promise<RevocationEvent[]>;
  /** Deletes events older than `before`: tokens they could match have expired. */
  prune(before: Date): Promise<number>;
}
