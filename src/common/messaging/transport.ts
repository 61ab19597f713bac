// The seam between the RPC and notification APIs and a message bus. Two implementations:
// InProcessTransport (one process) and RabbitTransport (AMQP 0-9-1). Mirrors the driver
// contract of oslo_messaging/_drivers/base.py; transport.contract.ts is its shared test suite.

import type { RemoteFailure } from './errors.js';
import type { Deadline, IoOptions } from './io.js';
import type { MessageContext } from './message-context.js';
import type { Target } from './target.js';

/** One RPC request as both sides see it. */
export interface RpcRequest {
  /** Endpoint method name. */
  readonly method: string;
  /** Keyword arguments: a JSON object. */
  readonly args: object;
  readonly context: MessageContext;
  /** `major.minor` the caller requires; absent when it requires none. */
  readonly version?: string;
}

/** The outcome of a call: the endpoint's result, or what it threw. */
export type RpcReply = { readonly result: unknown } | { readonly failure: RemoteFailure };

/** A request delivered to a server. */
export interface IncomingRequest {
  readonly request: RpcRequest;
  /**
   * Sends the outcome back to the caller; absent for casts. Rejects when the reply cannot be
   * encoded as JSON or sent; the caller then times out unless a second reply gets through.
   */
  readonly reply?: (reply: RpcReply, options?: IoOptions) => Promise<void>;
}

/** Oslo's notification priorities; the routing key is `<topic>.<priority>`. */
export type NotificationPriority = 'audit' | 'debug' | 'info' | 'warn' | 'error' | 'critical' | 'sample';

/** Every priority, in oslo's order. */
export const NOTIFICATION_PRIORITIES: readonly NotificationPriority[] = [
  'audit', 'debug', 'info', 'warn', 'error', 'critical', 'sample',
];

/** One notification as published (oslo_messaging/notify/notifier.py `_notify`). */
export interface NotificationMessage {
  readonly messageId: string;
  /** Who sent it: `compute.host-1`, `identity`. */
  readonly publisherId: string;
  /** What happened: `compute.instance.create.end`. */
  readonly eventType: string;
  readonly priority: NotificationPriority;
  /** JSON payload. */
  readonly payload: unknown;
  /** ISO 8601 time of publication. */
  readonly timestamp: string;
  readonly context: MessageContext;
}

/** What a notification listener consumes. */
export interface NotificationSubscription {
  /** Topics (and exchanges) to consume; `server`, `fanout` and `version` are ignored. */
  readonly targets: readonly Target[];
  readonly priorities: readonly NotificationPriority[];
  /**
   * Listeners sharing a pool share one queue (each notification reaches one of them); each
   * pool gets its own copy. Without a pool, listeners share `<topic>.<priority>` queues.
   */
  readonly pool?: string;
  /**
   * For a pool of one instance (a per-process cache listener): the broker deletes the pool's
   * queues once they have had no consumer for this long, so a process that dies leaves nothing
   * behind, while a short reconnect finds its queue again. RabbitMQ's x-expires; the in-process
   * bus has nothing to delete.
   */
  readonly idleExpiryMs?: number;
}

/** A running consumer; stop it to release its queues. */
export interface Subscription {
  /**
   * Stops consuming. Once it resolves no further callback starts. A RabbitMQ notification
   * subscription first waits (within the timeout) for handlers already running, so their
   * messages get acknowledged; other callbacks already started are not awaited. Idempotent;
   * never rejects.
   */
  stop(options?: IoOptions): Promise<void>;
}

/**
 * A message bus. Built by `createTransport(url)` and handed to RpcClient, RpcServer, Notifier
 * and NotificationListener; those are what services use. Every method rejects with
 * MessagingUnavailable once `close()` has been called. Sends and subscriptions take IoOptions;
 * without a timeout they use the transport's default.
 */
export interface Transport {
  /**
   * Sends a request to one server on `target` (the given server when `target.server` is set)
   * and waits for its reply. Rejects with MessagingTimeout after `timeoutMs`, with
   * MessagingUnavailable when the broker is unreachable or the connection drops meanwhile, or
   * with the signal's reason when aborted. A request nobody consumes before the deadline is
   * discarded. Arguments that are not JSON (a BigInt, a cycle) throw the TypeError of
   * JSON.stringify before anything is sent.
   */
  call(target: Target, request: RpcRequest, deadline: Deadline): Promise<RpcReply>;

  /**
   * Sends a request without waiting for any server: to one server on the topic, to
   * `target.server`, or to every server when `target.fanout` is set. Resolves once handed to
   * the broker. A request for a topic no server has ever listened on is dropped.
   */
  cast(target: Target, request: RpcRequest, options?: IoOptions): Promise<void>;

  /**
   * Consumes requests for `target.topic`, for `<topic>.<server>` when `target.server` is set,
   * and for the topic's fanout. Servers on one topic share its requests round-robin.
   * `onRequest` must not throw. A RabbitMQ subscription re-subscribes by itself after a
   * connection loss.
   */
  listen(target: Target, onRequest: (incoming: IncomingRequest) => void, options?: IoOptions): Promise<Subscription>;

  /** Publishes on `<target.topic>.<priority>`. Dropped when no listener queue is bound to it. */
  notify(target: Target, notification: NotificationMessage, options?: IoOptions): Promise<void>;

  /**
   * Consumes notifications. A notification counts as handled (acknowledged) once the promise
   * from `onNotification` settles; `onNotification` must not reject.
   */
  listenForNotifications(
    subscription: NotificationSubscription,
    onNotification: (notification: NotificationMessage) => Promise<void>,
    options?: IoOptions,
  ): Promise<Subscription>;

  /**
   * Stops every subscription, fails pending calls with MessagingUnavailable and releases
   * connections, timers and sockets. Idempotent; never rejects.
   */
  close(): Promise<void>;
}
