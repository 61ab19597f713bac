// Builds a transport from its URL, as oslo_messaging.get_rpc_transport does: the one place
// that decides between the in-process bus and RabbitMQ.

import { InvalidTransportUrl } from './errors.js';
import { InProcessTransport } from './in-process/index.js';
import type { MessagingLogger } from './logger.js';
import { RabbitTransport } from './rabbit/index.js';
import type { Transport } from './transport.js';

/** Options for createTransport; those marked RabbitMQ are ignored by the in-process bus. */
export interface TransportOptions {
  /** Exchange for targets without one (oslo's control_exchange). Default `tstack`. */
  readonly controlExchange?: string;
  readonly logger?: MessagingLogger;
  /** Id generator for msg_ids and private queue names. */
  readonly newId?: () => string;
  /** RabbitMQ: timeout of sends, subscriptions and stops given none. Default 30 000 ms. */
  readonly ioTimeoutMs?: number;
  /** RabbitMQ: bound on connecting to one host. Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** RabbitMQ: AMQP heartbeat. Default 60 s. */
  readonly heartbeatSeconds?: number;
  /** RabbitMQ: durable exchanges and shared queues, persistent messages. Default false. */
  readonly durable?: boolean;
  /** RabbitMQ: exchanges and shared queues vanish with their last user. Default false. */
  readonly autoDelete?: boolean;
}

/**
 * `inprocess://` or `fake://`: everything in this process (the default for `tstack up`).
 * `rabbit://user:pass@host:5672/vhost` (several comma-separated hosts allowed; `amqp://` and
 * `amqps://` too): RabbitMQ, connected on first use. Throws InvalidTransportUrl for any other
 * scheme or a malformed host list. Close the transport when done.
 */
export function createTransport(url: string, options: TransportOptions = {}): Transport {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'inprocess':
    case 'fake':
      return new InProcessTransport(options);
    case 'rabbit':
    case 'amqp':
    case 'amqps':
      return new RabbitTransport({ ...options, url });
    default:
      throw new InvalidTransportUrl(
        `Unknown transport URL scheme in '${url.replace(/:[^:@/]*@/, ':***@')}': use inprocess://, fake:// or rabbit://`,
      );
  }
}
