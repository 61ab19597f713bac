// Publishes notifications (`compute.instance.create.end` with a JSON payload) for listeners
// such as telemetry. Mirrors oslo_messaging/notify/notifier.py with its messaging driver.

import { randomUUID } from 'node:crypto';
import type { IoOptions } from './io.js';
import { silentLogger } from './logger.js';
import type { MessagingLogger } from './logger.js';
import type { MessageContext } from './message-context.js';
import type { NotificationMessage, NotificationPriority, Transport } from './transport.js';

/** Payload type of each event type a notifier sends: `{ 'compute.instance.create.end': InstancePayload }`. */
export type UntypedEvents = Record<string, unknown>;

/** oslo.messaging's default notification topic. */
const DEFAULT_TOPICS = ['notifications'];
const DEFAULT_TIMEOUT_MS = 10_000;

export interface NotifierOptions {
  readonly transport: Transport;
  /** Who is sending, e.g. `compute.host-1`. */
  readonly publisherId: string;
  /** Topics each notification is published on. Default `['notifications']`. */
  readonly topics?: readonly string[];
  /** Exchange; the transport's control exchange when absent. */
  readonly exchange?: string;
  /** How long a publication may wait for the broker. Default 10 000 ms. */
  readonly timeoutMs?: number;
  readonly logger?: MessagingLogger;
  /** Clock for the notification timestamp. */
  readonly now?: () => Date;
  /** Id generator for `message_id`. */
  readonly newId?: () => string;
}

/** Per-notification options. */
export interface NotifyOptions extends IoOptions {
  /** Request context sent with the notification; `{}` when absent. */
  readonly context?: MessageContext;
}

/**
 * Sends notifications. Methods never reject: a failure to publish is logged, as oslo does,
 * so an unreachable bus cannot fail the operation being reported. Payloads travel as JSON.
 */
export class Notifier<Events extends object = UntypedEvents> {
  private readonly options: NotifierOptions;
  private readonly logger: MessagingLogger;

  constructor(options: NotifierOptions) {
    this.options = options;
    this.logger = options.logger ?? silentLogger;
  }

  /** Publishes `payload` as `eventType` with `priority` on every topic; resolves once handed over or logged as failed. */
  async notify<E extends keyof Events & string>(
    priority: NotificationPriority,
    eventType: E,
    payload: Events[E],
    options: NotifyOptions = {},
  ): Promise<void> {
    const notification = this.build(priority, eventType, payload, options.context ?? {});
    const io: IoOptions = { timeoutMs: options.timeoutMs ?? this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: options.signal };
    await Promise.all((this.options.topics ?? DEFAULT_TOPICS).map(async (topic) => {
      const target = { topic, exchange: this.options.exchange };
      try {
        await this.options.transport.notify(target, notification, io);
      } catch (error) {
        this.logger.error({ event_type: eventType, topic, err: error }, 'could not send notification');
      }
    }));
  }

  info<E extends keyof Events & string>(eventType: E, payload: Events[E], options?: NotifyOptions): Promise<void> {
    return this.notify('info', eventType, payload, options);
  }

  warn<E extends keyof Events & string>(eventType: E, payload: Events[E], options?: NotifyOptions): Promise<void> {
    return this.notify('warn', eventType, payload, options);
  }

  error<E extends keyof Events & string>(eventType: E, payload: Events[E], options?: NotifyOptions): Promise<void> {
    return this.notify('error', eventType, payload, options);
  }

  private build(priority: NotificationPriority, eventType: string, payload: unknown, context: MessageContext): NotificationMessage {
    return {
      messageId: (this.options.newId ?? randomUUID)(),
      publisherId: this.options.publisherId,
      eventType,
      priority,
      payload,
      timestamp: (this.options.now?.() ?? new Date()).toISOString(),
      context,
    };
  }
}
