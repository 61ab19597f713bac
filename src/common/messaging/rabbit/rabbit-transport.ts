// The multi-host transport: RabbitMQ over AMQP 0-9-1, laid out as oslo.messaging's rabbit
// driver does (oslo_messaging/_drivers/impl_rabbit.py, amqpdriver.py): a topic exchange per
// control exchange, queues `<topic>` and `<topic>.<server>`, a `<topic>_fanout` exchange,
// replies on a per-transport `reply_<id>` queue matched by msg_id, notifications on
// `<topic>.<priority>`.

import { randomUUID } from 'node:crypto';
import type { Channel, ConsumeMessage, Options } from 'amqplib';
import { decodeNotification, decodeReply, decodeRequest, encodeNotification, encodeReply, encodeRequest } from '../codec.js';
import type { DecodedRequest, ReplyAddress } from '../codec.js';
import { MessagingError, MessagingTimeout, MessagingUnavailable } from '../errors.js';
import { withDeadline } from '../io.js';
import type { Deadline, IoOptions } from '../io.js';
import { silentLogger } from '../logger.js';
import type { MessagingLogger } from '../logger.js';
import { ReplyWaiters } from '../reply-waiters.js';
import {
  exchangeOf, fanoutExchangeOf, fanoutQueueName, notificationQueueName, notificationRoutingKey, replyQueueName, rpcRoutingKey,
} from '../routing.js';
import { describeTarget } from '../target.js';
import type { Target } from '../target.js';
import type {
  IncomingRequest, NotificationMessage, NotificationSubscription, RpcReply, RpcRequest, Subscription, Transport,
} from '../transport.js';
import { RabbitConnection } from './rabbit-connection.js';
import { RabbitConsumer } from './rabbit-consumer.js';
import type { ConsumerSpec, QueueBinding, QueueSpec } from './rabbit-consumer.js';
import { RabbitPublisher } from './rabbit-publisher.js';
import type { ExchangeSpec } from './rabbit-publisher.js';
import { parseRabbitUrl } from './rabbit-url.js';

export interface RabbitTransportOptions {
  /** `rabbit://user:pass@host:5672[,user:pass@host2:5672]/vhost`; `amqp://` and `amqps://` work too. */
  readonly url: string;
  /** Exchange for targets without one. Default `tstack`. */
  readonly controlExchange?: string;
  /** Timeout of sends, subscriptions and stops given none. Default 30 000 ms. */
  readonly ioTimeoutMs?: number;
  /** Bound on connecting to one host. Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** AMQP heartbeat; a silent broker is declared lost after about twice this. Default 60 s. */
  readonly heartbeatSeconds?: number;
  /** Durable exchanges and shared queues, persistent messages (oslo's amqp_durable_queues). Default false. */
  readonly durable?: boolean;
  /** Exchanges and shared queues vanish with their last user (oslo's amqp_auto_delete). Default false. */
  readonly autoDelete?: boolean;
  readonly logger?: MessagingLogger;
  readonly newId?: () => string;
}

interface ReplyQueue {
  readonly name: string;
  readonly consumer: RabbitConsumer;
  readonly ready: Promise<void>;
}

const NOTIFICATION_PREFETCH = 64;
const REATTACH_FIRST_DELAY_MS = 250;
const REATTACH_MAX_DELAY_MS = 10_000;

/**
 * Connects lazily on first use. After a connection loss, calls waiting for a reply fail at
 * once with MessagingUnavailable, the next send reconnects, and servers and listeners
 * re-subscribe by themselves with backoff.
 */
export class RabbitTransport implements Transport {
  private readonly connection: RabbitConnection;
  private readonly publisher: RabbitPublisher;
  private readonly waiters = new ReplyWaiters();
  private readonly consumers = new Set<RabbitConsumer>();
  private readonly controlExchange: string;
  private readonly ioTimeoutMs: number;
  private readonly durable: boolean;
  private readonly autoDelete: boolean;
  private readonly logger: MessagingLogger;
  private readonly newId: () => string;
  private replyQueue: ReplyQueue | null = null;
  private reattachTimer: NodeJS.Timeout | null = null;
  private reattachAttempts = 0;
  private closed = false;

  constructor(options: RabbitTransportOptions) {
    this.controlExchange = options.controlExchange ?? 'tstack';
    this.ioTimeoutMs = options.ioTimeoutMs ?? 30_000;
    this.durable = options.durable ?? false;
    this.autoDelete = options.autoDelete ?? false;
    this.logger = options.logger ?? silentLogger;
    this.newId = options.newId ?? (() => randomUUID().replaceAll('-', ''));
    this.connection = new RabbitConnection({
      url: parseRabbitUrl(options.url),
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      heartbeatSeconds: options.heartbeatSeconds ?? 60,
      logger: this.logger,
      onLost: (error) => this.onConnectionLost(error),
    });
    this.publisher = new RabbitPublisher({
      connection: this.connection,
      exchangeOptions: this.exchangeOptions(),
      cacheDeclarations: !this.autoDelete,
    });
  }

  async call(target: Target, request: RpcRequest, deadline: Deadline): Promise<RpcReply> {
    this.assertOpen();
    deadline.signal?.throwIfAborted();
    const msgId = this.newId();
    const description = `'${request.method}' on ${describeTarget(target)}`;
    const { name, ready } = this.currentReplyQueue();
    const body = encodeRequest(request, this.newId(), { msgId, replyTo: name });
    const reply = this.waiters.wait(msgId, deadline, description);
    // The caller awaits `reply` below; this only keeps a failure during the send from counting as unhandled meanwhile.
    reply.catch(() => {});
    try {
      await ready;
      const properties = { ...this.messageProperties(), expiration: String(deadline.timeoutMs) };
      await this.publisher.publish(this.topicExchange(target), rpcRoutingKey(target), body, properties);
    } catch (error) {
      this.waiters.fail(msgId, this.unavailable(error, `Cannot send ${description}`));
    }
    return reply;
  }

  async cast(target: Target, request: RpcRequest, options: IoOptions = {}): Promise<void> {
    this.assertOpen();
    const body = encodeRequest(request, this.newId());
    const description = `'${request.method}' on ${describeTarget(target)}`;
    const sending = target.fanout === true
      ? this.publish({ name: fanoutExchangeOf(target.topic), type: 'fanout' }, '', body, `cast ${description}`)
      : this.publish(this.topicExchange(target), rpcRoutingKey(target), body, `cast ${description}`);
    await this.bounded(sending, options, `casting ${description}`);
  }

  async listen(target: Target, onRequest: (incoming: IncomingRequest) => void, options: IoOptions = {}): Promise<Subscription> {
    this.assertOpen();
    const exchange = this.topicExchange(target);
    const queues = [this.sharedQueue(target.topic, [{ exchange, routingKey: target.topic }])];
    if (target.server !== undefined) {
      const key = rpcRoutingKey(target);
      queues.push(this.sharedQueue(key, [{ exchange, routingKey: key }]));
    }
    queues.push({
      name: () => fanoutQueueName(target.topic, this.newId()),
      options: { exclusive: true, autoDelete: true, durable: false },
      bindings: [{ exchange: { name: fanoutExchangeOf(target.topic), type: 'fanout' }, routingKey: '' }],
    });
    const spec: ConsumerSpec = { queues, noAck: true, onMessage: (message) => this.receiveRequest(message, onRequest) };
    return this.subscribe(spec, options, `listening on ${describeTarget(target)}`);
  }

  async notify(target: Target, notification: NotificationMessage, options: IoOptions = {}): Promise<void> {
    this.assertOpen();
    const key = notificationRoutingKey(target.topic, notification.priority);
    const body = encodeNotification(notification, this.newId());
    const description = `'${notification.eventType}' on '${key}'`;
    await this.bounded(this.publish(this.topicExchange(target), key, body, `notify ${description}`), options, `notifying ${description}`);
  }

  async listenForNotifications(
    subscription: NotificationSubscription,
    onNotification: (notification: NotificationMessage) => Promise<void>,
    options: IoOptions = {},
  ): Promise<Subscription> {
    this.assertOpen();
    const bindingsByQueue = new Map<string, QueueBinding[]>();
    for (const target of subscription.targets) {
      for (const priority of subscription.priorities) {
        const queue = notificationQueueName(target.topic, priority, subscription.pool);
        const bindings = bindingsByQueue.get(queue) ?? [];
        bindings.push({ exchange: this.topicExchange(target), routingKey: notificationRoutingKey(target.topic, priority) });
        bindingsByQueue.set(queue, bindings);
      }
    }
    const spec: ConsumerSpec = {
      queues: [...bindingsByQueue].map(([queue, bindings]) => this.sharedQueue(queue, bindings, subscription.idleExpiryMs)),
      noAck: false,
      prefetch: NOTIFICATION_PREFETCH,
      onMessage: (message, channel) => this.receiveNotification(message, channel, onNotification),
    };
    return this.subscribe(spec, options, 'listening for notifications');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.reattachTimer !== null) clearTimeout(this.reattachTimer);
    this.waiters.failAll((call, msgId) =>
      new MessagingUnavailable(`The RabbitMQ transport was closed while ${call} waited for its reply (msg_id ${msgId})`));
    const consumers = [...this.consumers];
    this.consumers.clear();
    if (this.replyQueue !== null) consumers.push(this.replyQueue.consumer);
    await Promise.all(consumers.map((consumer) => consumer.stop(this.ioTimeoutMs)));
    await this.connection.close(this.ioTimeoutMs);
  }

  private async subscribe(spec: ConsumerSpec, options: IoOptions, description: string): Promise<Subscription> {
    const consumer = this.newConsumer(spec, () => this.scheduleReattach());
    this.consumers.add(consumer);
    const attaching = consumer.attach().catch((error: unknown) => {
      throw this.unavailable(error, `Cannot start ${description}`);
    });
    try {
      await this.bounded(attaching, options, description);
    } catch (error) {
      this.consumers.delete(consumer);
      void consumer.stop(this.ioTimeoutMs);
      throw error;
    }
    return {
      stop: async (stopOptions: IoOptions = {}) => {
        this.consumers.delete(consumer);
        await consumer.stop(stopOptions.timeoutMs ?? this.ioTimeoutMs);
      },
    };
  }

  private newConsumer(spec: ConsumerSpec, onDetached: () => void): RabbitConsumer {
    const { connection, logger } = this;
    return new RabbitConsumer({ connection, spec, exchangeOptions: this.exchangeOptions(), logger, onDetached });
  }

  private receiveRequest(message: ConsumeMessage, onRequest: (incoming: IncomingRequest) => void): void {
    let decoded: DecodedRequest;
    try {
      decoded = decodeRequest(message.content.toString('utf8'));
    } catch (error) {
      this.logger.warn({ err: error, routing_key: message.fields.routingKey }, 'dropped a malformed RPC message');
      return;
    }
    const { request, replyAddress } = decoded;
    if (replyAddress === undefined) onRequest({ request });
    else onRequest({ request, reply: (reply, options) => this.sendReply(replyAddress, reply, options) });
  }

  private async sendReply(address: ReplyAddress, reply: RpcReply, options: IoOptions = {}): Promise<void> {
    this.assertOpen();
    const body = encodeReply(address.msgId, reply, this.newId());
    const description = `the reply to msg_id ${address.msgId}`;
    await this.bounded(this.publish(null, address.replyTo, body, `send ${description}`), options, `sending ${description}`);
  }

  private receiveReply(message: ConsumeMessage): void {
    try {
      const { msgId, reply } = decodeReply(message.content.toString('utf8'));
      if (!this.waiters.deliver(msgId, reply)) this.logger.debug({ msg_id: msgId }, 'reply for a call nobody waits for');
    } catch (error) {
      this.logger.warn({ err: error }, 'dropped a malformed RPC reply');
    }
  }

  private async receiveNotification(
    message: ConsumeMessage,
    channel: Channel,
    onNotification: (notification: NotificationMessage) => Promise<void>,
  ): Promise<void> {
    let notification: NotificationMessage | null = null;
    try {
      notification = decodeNotification(message.content.toString('utf8'));
    } catch (error) {
      this.logger.warn({ err: error, routing_key: message.fields.routingKey }, 'dropped a malformed notification');
    }
    if (notification !== null) await onNotification(notification);
    try {
      channel.ack(message);
    } catch {
      // The channel closed meanwhile; the broker redelivers the notification.
    }
  }

  /** The reply queue is private to this connection; after a loss the next call declares a new one. */
  private currentReplyQueue(): ReplyQueue {
    if (this.replyQueue === null) {
      const name = replyQueueName(this.newId());
      const spec: ConsumerSpec = {
        queues: [{ name: () => name, options: { exclusive: true, autoDelete: true, durable: false }, bindings: [] }],
        noAck: true,
        onMessage: (message) => this.receiveReply(message),
      };
      const consumer = this.newConsumer(spec, () => this.onReplyQueueLost(replyQueue));
      const replyQueue: ReplyQueue = { name, consumer, ready: consumer.attach() };
      replyQueue.ready.catch(() => {
        if (this.replyQueue === replyQueue) this.replyQueue = null;
      });
      this.replyQueue = replyQueue;
    }
    return this.replyQueue;
  }

  private onReplyQueueLost(lost: ReplyQueue): void {
    if (this.replyQueue !== lost) return;
    this.replyQueue = null;
    // A dropped connection closes channels first; waiting a tick lets onConnectionLost give the clearer reason.
    queueMicrotask(() => {
      this.waiters.failAll((call, msgId) =>
        new MessagingUnavailable(`Lost the RabbitMQ reply queue while ${call} waited for its reply (msg_id ${msgId})`));
    });
  }

  private onConnectionLost(error: Error): void {
    this.logger.warn({ err: error, url: this.connection.description }, 'lost the connection to RabbitMQ');
    this.publisher.reset();
    this.replyQueue = null;
    const where = this.connection.description;
    this.waiters.failAll((call, msgId) => new MessagingUnavailable(
      `Lost the connection to RabbitMQ at ${where} while ${call} waited for its reply (msg_id ${msgId}): ${error.message}`,
      { cause: error },
    ));
    if (this.consumers.size > 0) this.scheduleReattach();
  }

  private scheduleReattach(): void {
    if (this.closed || this.reattachTimer !== null) return;
    const delay = Math.min(REATTACH_FIRST_DELAY_MS * 2 ** this.reattachAttempts, REATTACH_MAX_DELAY_MS);
    this.reattachTimer = setTimeout(() => {
      this.reattachTimer = null;
      void this.reattach();
    }, delay);
  }

  private async reattach(): Promise<void> {
    const detached = [...this.consumers].filter((consumer) => !consumer.isActive);
    const results = await Promise.allSettled(detached.map((consumer) => consumer.attach()));
    const failure = results.find((result) => result.status === 'rejected');
    if (failure === undefined) {
      this.reattachAttempts = 0;
      if (detached.length > 0) this.logger.info({ consumers: detached.length }, 're-subscribed to RabbitMQ');
      return;
    }
    this.reattachAttempts += 1;
    this.logger.warn({ err: failure.reason, attempt: this.reattachAttempts }, 'cannot re-subscribe to RabbitMQ yet');
    this.scheduleReattach();
  }

  private publish(exchange: ExchangeSpec | null, routingKey: string, body: string, description: string): Promise<void> {
    return this.publisher.publish(exchange, routingKey, body, this.messageProperties()).catch((error: unknown) => {
      throw this.unavailable(error, `Cannot ${description}`);
    });
  }

  private bounded<T>(work: Promise<T>, options: IoOptions, description: string): Promise<T> {
    const timeoutMs = options.timeoutMs ?? this.ioTimeoutMs;
    const deadline = { timeoutMs, signal: options.signal };
    const timeout = (): Error =>
      new MessagingTimeout(`Timed out after ${timeoutMs} ms ${description} via RabbitMQ at ${this.connection.description}`);
    return withDeadline(work, deadline, timeout);
  }

  private unavailable(error: unknown, what: string): Error {
    if (error instanceof MessagingError) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new MessagingUnavailable(`${what} via RabbitMQ at ${this.connection.description}: ${reason}`, { cause: error });
  }

  private topicExchange(target: Target): ExchangeSpec {
    return { name: exchangeOf(target, this.controlExchange), type: 'topic' };
  }

  private sharedQueue(name: string, bindings: readonly QueueBinding[], idleExpiryMs?: number): QueueSpec {
    const expiry = idleExpiryMs === undefined ? {} : { expires: idleExpiryMs };
    return { name: () => name, options: { durable: this.durable, autoDelete: this.autoDelete, ...expiry }, bindings };
  }

  private exchangeOptions(): Options.AssertExchange {
    return { durable: this.durable, autoDelete: this.autoDelete };
  }

  private messageProperties(): Options.Publish {
    return { contentType: 'application/json', contentEncoding: 'utf-8', deliveryMode: this.durable ? 2 : 1 };
  }

  private assertOpen(): void {
    if (this.closed) throw new MessagingUnavailable('The RabbitMQ transport is closed');
  }
}
