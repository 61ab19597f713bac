// Publishes a RabbitTransport's messages on one shared channel, declaring each exchange first:
// publishing to a missing exchange makes the broker close the channel and drop the message.

import { once } from 'node:events';
import type { Channel, Options } from 'amqplib';
import type { RabbitConnection } from './rabbit-connection.js';

export interface ExchangeSpec {
  readonly name: string;
  readonly type: 'topic' | 'fanout';
}

export interface RabbitPublisherOptions {
  readonly connection: RabbitConnection;
  readonly exchangeOptions: Options.AssertExchange;
  /** Auto-delete exchanges can vanish between two publishes, so they are declared every time. */
  readonly cacheDeclarations: boolean;
}

export class RabbitPublisher {
  private readonly options: RabbitPublisherOptions;
  private channel: Promise<Channel> | null = null;
  private declared = new Map<string, Promise<unknown>>();

  constructor(options: RabbitPublisherOptions) {
    this.options = options;
  }

  /** Publishes `body` to `exchange` (null: the default exchange, routing straight to a queue). */
  async publish(exchange: ExchangeSpec | null, routingKey: string, body: string, properties: Options.Publish): Promise<void> {
    const channel = await this.currentChannel();
    if (exchange !== null) await this.declare(channel, exchange);
    const content = Buffer.from(body, 'utf8');
    if (!channel.publish(exchange?.name ?? '', routingKey, content, properties)) await once(channel, 'drain');
  }

  /** Forgets the channel and what was declared, after a loss or before a new connection. */
  reset(): void {
    this.channel = null;
    this.declared = new Map();
  }

  private currentChannel(): Promise<Channel> {
    if (this.channel === null) {
      const opening = this.options.connection.openChannel();
      const forget = (): void => {
        if (this.channel === opening) this.reset();
      };
      opening.then((channel) => channel.once('close', forget), forget);
      this.channel = opening;
    }
    return this.channel;
  }

  private declare(channel: Channel, exchange: ExchangeSpec): Promise<unknown> {
    const { exchangeOptions, cacheDeclarations } = this.options;
    if (!cacheDeclarations) return channel.assertExchange(exchange.name, exchange.type, exchangeOptions);
    const declared = this.declared;
    let declaring = declared.get(exchange.name);
    if (declaring === undefined) {
      declaring = channel.assertExchange(exchange.name, exchange.type, exchangeOptions);
      declaring.catch(() => declared.delete(exchange.name));
      declared.set(exchange.name, declaring);
    }
    return declaring;
  }
}
