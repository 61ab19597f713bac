// The default transport: the whole bus inside one process, for `tstack up` and for tests.
// Lays out queues as RabbitMQ would and sends every message through the JSON codec, so code
// that works here behaves the same on RabbitMQ. Mirrors oslo_messaging/_drivers/impl_fake.py.

import { randomUUID } from 'node:crypto';
import { decodeNotification, decodeReply, decodeRequest, encodeNotification, encodeReply, encodeRequest } from '../codec.js';
import type { DecodedRequest } from '../codec.js';
import { MessagingUnavailable } from '../errors.js';
import type { Deadline } from '../io.js';
import { silentLogger } from '../logger.js';
import type { MessagingLogger } from '../logger.js';
import { ReplyWaiters } from '../reply-waiters.js';
import {
  exchangeOf, fanoutExchangeOf, fanoutQueueName, notificationQueueName, notificationRoutingKey, rpcRoutingKey,
} from '../routing.js';
import { describeTarget } from '../target.js';
import type { Target } from '../target.js';
import type {
  IncomingRequest, NotificationMessage, NotificationSubscription, RpcReply, RpcRequest, Subscription, Transport,
} from '../transport.js';
import { MemoryBroker } from './memory-broker.js';

export interface InProcessTransportOptions {
  /** Exchange for targets without one. Default `tstack`. */
  readonly controlExchange?: string;
  readonly logger?: MessagingLogger;
  readonly newId?: () => string;
  /** Clock (epoch ms) deciding when an undelivered call has expired. */
  readonly now?: () => number;
}

/** Replies never leave the process, so their "queue" is only a marker in the message. */
const REPLY_QUEUE = 'in-process';

/** Everything in one process. Two instances do not see each other's messages. */
export class InProcessTransport implements Transport {
  private readonly broker: MemoryBroker;
  private readonly waiters = new ReplyWaiters();
  private readonly cancellers = new Set<() => void>();
  private readonly controlExchange: string;
  private readonly logger: MessagingLogger;
  private readonly newId: () => string;
  private readonly now: () => number;
  private closed = false;

  constructor(options: InProcessTransportOptions = {}) {
    this.controlExchange = options.controlExchange ?? 'tstack';
    this.logger = options.logger ?? silentLogger;
    this.newId = options.newId ?? randomUUID;
    this.now = options.now ?? Date.now;
    this.broker = new MemoryBroker(this.now);
  }

  async call(target: Target, request: RpcRequest, deadline: Deadline): Promise<RpcReply> {
    this.assertOpen();
    deadline.signal?.throwIfAborted();
    const msgId = this.newId();
    const body = encodeRequest(request, this.newId(), { msgId, replyTo: REPLY_QUEUE });
    const reply = this.waiters.wait(msgId, deadline, `'${request.method}' on ${describeTarget(target)}`);
    this.broker.publish(exchangeOf(target, this.controlExchange), rpcRoutingKey(target), body, this.now() + deadline.timeoutMs);
    return reply;
  }

  async cast(target: Target, request: RpcRequest): Promise<void> {
    this.assertOpen();
    const body = encodeRequest(request, this.newId());
    if (target.fanout === true) this.broker.publish(fanoutExchangeOf(target.topic), '', body);
    else this.broker.publish(exchangeOf(target, this.controlExchange), rpcRoutingKey(target), body);
  }

  async listen(target: Target, onRequest: (incoming: IncomingRequest) => void): Promise<Subscription> {
    this.assertOpen();
    const exchange = exchangeOf(target, this.controlExchange);
    const deliver = (body: string): void => this.deliverRequest(body, onRequest);
    const stops = [this.consume(target.topic, false, [[exchange, target.topic]], deliver)];
    if (target.server !== undefined) {
      const key = rpcRoutingKey(target);
      stops.push(this.consume(key, false, [[exchange, key]], deliver));
    }
    stops.push(this.consume(fanoutQueueName(target.topic, this.newId()), true, [[fanoutExchangeOf(target.topic), '']], deliver));
    return this.subscription(stops);
  }

  async notify(target: Target, notification: NotificationMessage): Promise<void> {
    this.assertOpen();
    const key = notificationRoutingKey(target.topic, notification.priority);
    this.broker.publish(exchangeOf(target, this.controlExchange), key, encodeNotification(notification, this.newId()));
  }

  async listenForNotifications(
    subscription: NotificationSubscription,
    onNotification: (notification: NotificationMessage) => Promise<void>,
  ): Promise<Subscription> {
    this.assertOpen();
    const deliver = (body: string): void => this.deliverNotification(body, onNotification);
    const queues = new Map<string, [string, string][]>();
    for (const target of subscription.targets) {
      for (const priority of subscription.priorities) {
        const queue = notificationQueueName(target.topic, priority, subscription.pool);
        const bindings = queues.get(queue) ?? [];
        bindings.push([exchangeOf(target, this.controlExchange), notificationRoutingKey(target.topic, priority)]);
        queues.set(queue, bindings);
      }
    }
    return this.subscription([...queues].map(([queue, bindings]) => this.consume(queue, false, bindings, deliver)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.waiters.failAll((call) => new MessagingUnavailable(`The in-process transport was closed while ${call} waited for a reply`));
    for (const cancel of this.cancellers) cancel();
    this.cancellers.clear();
    this.broker.clear();
  }

  private consume(queue: string, autoDelete: boolean, bindings: readonly [string, string][], deliver: (body: string) => void): () => void {
    this.broker.declareQueue(queue, { autoDelete });
    for (const [exchange, routingKey] of bindings) this.broker.bind(queue, exchange, routingKey);
    return this.broker.consume(queue, deliver);
  }

  private subscription(stops: readonly (() => void)[]): Subscription {
    const cancel = (): void => {
      for (const stop of stops) stop();
      this.cancellers.delete(cancel);
    };
    this.cancellers.add(cancel);
    return { stop: async () => cancel() };
  }

  private deliverRequest(body: string, onRequest: (incoming: IncomingRequest) => void): void {
    let decoded: DecodedRequest;
    try {
      decoded = decodeRequest(body);
    } catch (error) {
      this.logger.warn({ err: error }, 'dropped a malformed RPC message');
      return;
    }
    const { request, replyAddress } = decoded;
    if (replyAddress === undefined) onRequest({ request });
    else onRequest({ request, reply: async (reply) => this.deliverReply(replyAddress.msgId, reply) });
  }

  private deliverReply(msgId: string, reply: RpcReply): void {
    this.assertOpen();
    const decoded = decodeReply(encodeReply(msgId, reply, this.newId()));
    if (!this.waiters.deliver(decoded.msgId, decoded.reply)) this.logger.debug({ msg_id: msgId }, 'reply for a call nobody waits for');
  }

  private deliverNotification(body: string, onNotification: (notification: NotificationMessage) => Promise<void>): void {
    let notification: NotificationMessage;
    try {
      notification = decodeNotification(body);
    } catch (error) {
      this.logger.warn({ err: error }, 'dropped a malformed notification');
      return;
    }
    void onNotification(notification);
  }

  private assertOpen(): void {
    if (this.closed) throw new MessagingUnavailable('The in-process transport is closed');
  }
}
