// Exchange, routing-key and queue names, shared by both transports so they lay out the bus
// the way oslo.messaging's rabbit driver does (oslo_messaging/_drivers/amqpdriver.py).

import type { NotificationPriority } from './transport.js';
import type { Target } from './target.js';

/** The topic exchange a target's RPC messages and notifications go through. */
export function exchangeOf(target: Target, controlExchange: string): string {
  return target.exchange ?? controlExchange;
}

/** `<topic>` for any server on the topic, `<topic>.<server>` for one server. */
export function rpcRoutingKey(target: Target): string {
  return target.server === undefined ? target.topic : `${target.topic}.${target.server}`;
}

/** The fanout exchange every server on a topic binds a private queue to. */
export function fanoutExchangeOf(topic: string): string {
  return `${topic}_fanout`;
}

export function fanoutQueueName(topic: string, uniqueId: string): string {
  return `${topic}_fanout_${uniqueId}`;
}

export function notificationRoutingKey(topic: string, priority: NotificationPriority): string {
  return `${topic}.${priority}`;
}

/** oslo names a pooled listener's queue after the pool alone. */
export function notificationQueueName(topic: string, priority: NotificationPriority, pool: string | undefined): string {
  return pool ?? notificationRoutingKey(topic, priority);
}

export function replyQueueName(uniqueId: string): string {
  return `reply_${uniqueId}`;
}
