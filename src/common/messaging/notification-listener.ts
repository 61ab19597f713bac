// Consumes notifications by topic, priority and event type and hands each to a handler.
// Mirrors oslo_messaging/notify/listener.py with its NotificationFilter on event types.

import { InvalidTarget } from './errors.js';
import { settleWithin } from './io.js';
import type { IoOptions } from './io.js';
import { silentLogger } from './logger.js';
import type { MessagingLogger } from './logger.js';
import type { UntypedEvents } from './notifier.js';
import type { Target } from './target.js';
import { NOTIFICATION_PRIORITIES } from './transport.js';
import type { NotificationMessage, NotificationPriority, Subscription, Transport } from './transport.js';

const DEFAULT_STOP_TIMEOUT_MS = 60_000;

/** A received notification, its payload typed by its event type. */
export type Notification<Events extends object = UntypedEvents> = {
  [E in keyof Events & string]: Omit<NotificationMessage, 'eventType' | 'payload'> & {
    readonly eventType: E;
    readonly payload: Events[E];
  };
}[keyof Events & string];

export interface NotificationListenerOptions<Events extends object = UntypedEvents> {
  readonly transport: Transport;
  /** Topics to consume. Default `[{ topic: 'notifications' }]`. */
  readonly targets?: readonly Target[];
  /** Priorities to consume; each is one queue per topic. Default all seven. */
  readonly priorities?: readonly NotificationPriority[];
  /**
   * Event types to hand to the handler; `*` matches any run of characters
   * (`compute.instance.*`). Default all. Others are acknowledged and dropped, so listeners
   * wanting different event types should use different pools.
   */
  readonly eventTypes?: readonly string[];
  /** Listeners in one pool share the notifications; each pool gets every one. */
  readonly pool?: string;
  /** See NotificationSubscription.idleExpiryMs: for a pool of one short-lived instance. */
  readonly idleExpiryMs?: number;
  /** Called once per notification; what it throws is logged and the notification dropped. */
  readonly handler: (notification: Notification<Events>) => Promise<void> | void;
  readonly logger?: MessagingLogger;
}

/** Subscribes a handler to notifications; start() to begin, stop() to end. */
export class NotificationListener<Events extends object = UntypedEvents> {
  private readonly options: NotificationListenerOptions<Events>;
  private readonly logger: MessagingLogger;
  private readonly matchesEventType: (eventType: string) => boolean;
  private readonly running = new Set<Promise<void>>();
  private subscription: Promise<Subscription> | null = null;

  constructor(options: NotificationListenerOptions<Events>) {
    if (options.targets?.some((target) => target.topic === '') === true) throw new InvalidTarget('A notification listener needs topics');
    this.options = options;
    this.logger = options.logger ?? silentLogger;
    this.matchesEventType = eventTypeMatcher(options.eventTypes);
  }

  /** Subscribes. Rejects with MessagingUnavailable or MessagingTimeout when the bus cannot be reached. Idempotent. */
  async start(options?: IoOptions): Promise<void> {
    if (this.subscription === null) {
      const subscription = {
        targets: this.options.targets ?? [{ topic: 'notifications' }],
        priorities: this.options.priorities ?? NOTIFICATION_PRIORITIES,
        ...(this.options.pool === undefined ? {} : { pool: this.options.pool }),
        ...(this.options.idleExpiryMs === undefined ? {} : { idleExpiryMs: this.options.idleExpiryMs }),
      };
      const subscribing = this.options.transport.listenForNotifications(subscription, (message) => this.track(message), options);
      subscribing.catch(() => {
        if (this.subscription === subscribing) this.subscription = null;
      });
      this.subscription = subscribing;
    }
    await this.subscription;
  }

  /** Stops consuming, then waits up to `timeoutMs` (default 60 000 ms) for running handlers. Never rejects. */
  async stop(options: IoOptions = {}): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    const stopped = await subscription?.catch(() => undefined);
    await stopped?.stop(options);
    await settleWithin(Promise.all(this.running), options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  }

  private track(message: NotificationMessage): Promise<void> {
    const work = this.handle(message);
    this.running.add(work);
    return work.finally(() => this.running.delete(work));
  }

  private async handle(message: NotificationMessage): Promise<void> {
    if (!this.matchesEventType(message.eventType)) return;
    try {
      // The event type was matched against the map's keys only by the publisher's word: the bus is untyped.
      await this.options.handler(message as Notification<Events>);
    } catch (error) {
      this.logger.error({ event_type: message.eventType, message_id: message.messageId, err: error }, 'notification handler failed');
    }
  }
}

function eventTypeMatcher(patterns: readonly string[] | undefined): (eventType: string) => boolean {
  if (patterns === undefined) return () => true;
  const expressions = patterns.map((pattern) => new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`));
  return (eventType) => expressions.some((expression) => expression.test(eventType));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
