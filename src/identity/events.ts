// In-process notifications between Keystone's managers, the role keystone/notifications.py
// callbacks play: a manager announces what happened, others clean up after it, so no manager
// reaches into another's tables. Handlers run in registration order and are awaited.

export interface IdentityEventMap {
  'domain.deleted': { readonly domainId: string };
  'project.deleted': { readonly projectId: string };
  /** A project went from enabled to disabled: tokens scoped to it stop working. */
  'project.disabled': { readonly projectId: string };
  /** A domain went from enabled to disabled: its users' and projects' tokens stop working. */
  'domain.disabled': { readonly domainId: string };
  'user.deleted': { readonly userId: string };
  /** Password changed, user disabled: tokens issued before now must stop working. */
  'user.credentials_invalidated': { readonly userId: string };
  'group.deleted': { readonly groupId: string };
  'role.deleted': { readonly roleId: string };
  /** A role grant was removed: the actor's tokens on that target lose the role. */
  'assignment.deleted': {
    readonly roleId: string;
    readonly actorType: 'user' | 'group';
    readonly actorId: string;
    readonly targetType: 'project' | 'domain' | 'system';
    readonly targetId: string;
    readonly inherited: boolean;
  };
  /** A revocation event was recorded: tokens matching every set field stop working. */
  'revocation.recorded': { readonly userId?: string; readonly projectId?: string; readonly auditId?: string };
}

export type IdentityEventName = keyof IdentityEventMap;
type Handler<E extends IdentityEventName> = (payload: IdentityEventMap[E]) => Promise<void>;

export class IdentityEvents {
  private readonly handlers = new Map<IdentityEventName, Handler<never>[]>();

  on<E extends IdentityEventName>(event: E, handler: Handler<E>): void {
    const list = this.handlers.get(event) ?? [];
    list.push(handler as Handler<never>);
    this.handlers.set(event, list);
  }

  /** Runs every handler of `event`; the first failure propagates to the emitter. */
  async emit<E extends IdentityEventName>(event: E, payload: IdentityEventMap[E]): Promise<void> {
    for (const handler of this.handlers.get(event) ?? []) await (handler as Handler<E>)(payload);
  }
}
