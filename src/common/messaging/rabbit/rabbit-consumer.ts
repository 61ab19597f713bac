// One consuming channel of a RabbitTransport subscription: declares its exchanges, queues and
// bindings, then consumes; after a channel or connection loss its owner attaches it again.

import type { Channel, ConsumeMessage, Options } from 'amqplib';
import { settleWithin } from '../io.js';
import type { MessagingLogger } from '../logger.js';
import type { RabbitConnection } from './rabbit-connection.js';
import type { ExchangeSpec } from './rabbit-publisher.js';

export interface QueueBinding {
  readonly exchange: ExchangeSpec;
  readonly routingKey: string;
}

export interface QueueSpec {
  /** Called on every attach, so a private fanout queue gets a fresh name each time. */
  readonly name: () => string;
  readonly options: Options.AssertQueue;
  readonly bindings: readonly QueueBinding[];
}

export interface ConsumerSpec {
  readonly queues: readonly QueueSpec[];
  /** True: the broker forgets a message once delivered (RPC, at most once, as oslo acks before dispatch). */
  readonly noAck: boolean;
  /** Unacknowledged messages the broker may push at once; only with noAck false. */
  readonly prefetch?: number;
  /** Handles one message; the promise, if any, settles once it may be acknowledged. Must not throw. */
  readonly onMessage: (message: ConsumeMessage, channel: Channel) => Promise<void> | void;
}

export interface RabbitConsumerOptions {
  readonly connection: RabbitConnection;
  readonly spec: ConsumerSpec;
  readonly exchangeOptions: Options.AssertExchange;
  readonly logger: MessagingLogger;
  /** Called when the channel closes without stop(): the consumer must be attached again. */
  readonly onDetached: (consumer: RabbitConsumer) => void;
}

interface Attachment {
  readonly channel: Channel;
  readonly consumerTags: readonly string[];
}

export class RabbitConsumer {
  private readonly options: RabbitConsumerOptions;
  private readonly handling = new Set<Promise<void>>();
  private attachment: Attachment | null = null;
  private attaching: Promise<void> | null = null;
  private stopped = false;

  constructor(options: RabbitConsumerOptions) {
    this.options = options;
  }

  /** True while consuming, or on the way to it. */
  get isActive(): boolean {
    return this.attachment !== null || this.attaching !== null;
  }

  /** Declares and starts consuming; rejects (leaving no channel open) when any step fails. */
  attach(): Promise<void> {
    this.attaching ??= this.open().finally(() => {
      this.attaching = null;
    });
    return this.attaching;
  }

  /**
   * Cancels consumption, waits up to `timeoutMs` for handlers already running so their
   * messages can be acknowledged, then closes the channel. Never rejects.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    if (this.attaching !== null) await settleWithin(this.attaching, timeoutMs);
    const attachment = this.attachment;
    this.attachment = null;
    if (attachment === null) return;
    const { channel, consumerTags } = attachment;
    await settleWithin(Promise.all(consumerTags.map((tag) => channel.cancel(tag))), timeoutMs);
    await settleWithin(Promise.all(this.handling), timeoutMs);
    await settleWithin(channel.close(), timeoutMs);
  }

  private async open(): Promise<void> {
    const channel = await this.options.connection.openChannel();
    let consumerTags: string[];
    try {
      consumerTags = await this.declareAndConsume(channel);
    } catch (error) {
      await channel.close().catch(() => {});
      throw error;
    }
    if (this.stopped) {
      await channel.close().catch(() => {});
      return;
    }
    this.attachment = { channel, consumerTags };
    channel.once('close', () => this.onChannelClosed(channel));
  }

  private async declareAndConsume(channel: Channel): Promise<string[]> {
    const { spec, exchangeOptions } = this.options;
    if (spec.prefetch !== undefined) await channel.prefetch(spec.prefetch);
    const consumerTags: string[] = [];
    for (const queue of spec.queues) {
      const name = queue.name();
      await channel.assertQueue(name, queue.options);
      for (const { exchange, routingKey } of queue.bindings) {
        await channel.assertExchange(exchange.name, exchange.type, exchangeOptions);
        await channel.bindQueue(name, exchange.name, routingKey);
      }
      const { consumerTag } = await channel.consume(name, (message) => this.receive(channel, message), { noAck: spec.noAck });
      consumerTags.push(consumerTag);
    }
    return consumerTags;
  }

  private receive(channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer (its queue was deleted): start over on a new channel.
      channel.close().catch(() => {});
      return;
    }
    try {
      const handled = this.options.spec.onMessage(message, channel);
      if (handled !== undefined) {
        const forget = (): void => {
          this.handling.delete(handled);
        };
        this.handling.add(handled);
        handled.then(forget, forget);
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'RabbitMQ message handler threw');
    }
  }

  private onChannelClosed(channel: Channel): void {
    if (this.attachment?.channel !== channel) return;
    this.attachment = null;
    if (!this.stopped) this.options.onDetached(this);
  }
}
