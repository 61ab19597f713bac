// Drops revoked tokens from a service's token cache as soon as identity announces them on the
// bus, so a revoked token stops working everywhere at once instead of lasting up to the cache
// TTL (keystonemiddleware only has the TTL). The cache TTL stays the fallback when the bus is
// down: nothing here is needed for correctness, only for promptness.

import { randomUUID } from 'node:crypto';
import { NotificationListener } from '../messaging/index.js';
import type { MessagingLogger, Notification, Transport } from '../messaging/index.js';
import type { RevokedTokens, TokenCache } from './auth-hook.js';

/**
 * The notifications identity publishes that end tokens, and what each carries. The contract
 * between identity (publisher) and every service's token cache (consumer).
 */
export const REVOCATION_EVENT_TYPES = {
  /** A revocation event was recorded: `{user_id?, project_id?, audit_id?}` (Keystone's revoke model). */
  revokeEvent: 'identity.revoke_event.created',
  /** A role grant was removed: `{role, user?, group?, project?, domain?, system?, inherited_to_projects}`. */
  roleAssignmentDeleted: 'identity.role_assignment.deleted',
  /** Keystone's basic notifications, `{resource_info: <id>}`. */
  userDeleted: 'identity.user.deleted',
  projectDeleted: 'identity.project.deleted',
  /** A project was disabled, `{resource_info: <id>}` (Keystone's Audit.disabled). */
  projectDisabled: 'identity.project.disabled',
  /** Too little to match tokens by (a domain's users and projects are not named): every cached token is dropped. */
  domainDeleted: 'identity.domain.deleted',
  domainDisabled: 'identity.domain.disabled',
  groupDeleted: 'identity.group.deleted',
  roleDeleted: 'identity.role.deleted',
} as const;

function field(payload: unknown, name: string): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const value: unknown = Reflect.get(payload, name);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Which cached tokens a notification ends: a set of fields to match, `{}` for every token, or
 * undefined when it ends none. A payload missing the fields it should have drops everything:
 * dropping too much costs a revalidation, dropping too little keeps a revoked token alive.
 */
export function revokedBy(notification: Pick<Notification, 'eventType' | 'payload'>): RevokedTokens | undefined {
  const { payload } = notification;
  const only = (fields: RevokedTokens): RevokedTokens => (Object.values(fields).some((v) => v !== undefined) ? fields : {});
  switch (notification.eventType) {
    case REVOCATION_EVENT_TYPES.revokeEvent: {
      const userId = field(payload, 'user_id');
      const projectId = field(payload, 'project_id');
      const auditId = field(payload, 'audit_id');
      return only({ ...(userId ? { userId } : {}), ...(projectId ? { projectId } : {}), ...(auditId ? { auditId } : {}) });
    }
    case REVOCATION_EVENT_TYPES.roleAssignmentDeleted: {
      // A group's grant changes its members' roles, and they are not named: drop everything.
      const userId = field(payload, 'user');
      return userId ? { userId } : {};
    }
    case REVOCATION_EVENT_TYPES.userDeleted: {
      const userId = field(payload, 'resource_info');
      return only(userId ? { userId } : {});
    }
    case REVOCATION_EVENT_TYPES.projectDeleted:
    case REVOCATION_EVENT_TYPES.projectDisabled: {
      const projectId = field(payload, 'resource_info');
      return only(projectId ? { projectId } : {});
    }
    case REVOCATION_EVENT_TYPES.domainDeleted:
    case REVOCATION_EVENT_TYPES.domainDisabled:
    case REVOCATION_EVENT_TYPES.groupDeleted:
    case REVOCATION_EVENT_TYPES.roleDeleted:
      return {};
    default:
      return undefined;
  }
}

export interface RevocationListenerOptions {
  readonly transport: Transport;
  readonly cache: TokenCache;
  readonly logger?: MessagingLogger;
}

/**
 * Listens for identity's revocation notifications and drops the matching cached tokens.
 * Each listener has a pool of its own, so every service instance gets every notification.
 */
export class RevocationListener {
  private readonly listener: NotificationListener;

  constructor(private readonly options: RevocationListenerOptions) {
    this.listener = new NotificationListener({
      transport: options.transport,
      // Identity publishes these at info priority; one queue per instance is enough.
      priorities: ['info'],
      eventTypes: Object.values(REVOCATION_EVENT_TYPES),
      pool: `token-cache-${randomUUID()}`,
      // The pool is this instance's alone: gone with it, not left filling up on the broker.
      idleExpiryMs: 10 * 60_000,
      handler: (notification) => this.handle(notification),
      ...(options.logger ? { logger: options.logger } : {}),
    });
  }

  /**
   * Subscribes. Never rejects: with the bus unreachable the failure is logged and the cache
   * falls back to its TTL, so a service still starts without a bus.
   */
  async start(): Promise<void> {
    try {
      await this.listener.start();
    } catch (error) {
      this.options.logger?.warn({ err: error }, 'revocation notifications unavailable: revoked tokens stay cached until their TTL ends');
    }
  }

  async stop(): Promise<void> {
    await this.listener.stop({ timeoutMs: 5_000 });
  }

  private handle(notification: Notification): void {
    const revoked = revokedBy(notification);
    if (revoked === undefined) return;
    const dropped = this.options.cache.drop(revoked);
    this.options.logger?.debug({ event_type: notification.eventType, dropped }, 'dropped revoked tokens from the cache');
  }
}
