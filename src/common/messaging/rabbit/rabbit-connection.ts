// The one AMQP connection of a RabbitTransport: opened on first use, opened again on the next
// use after a loss, trying each host of the URL in turn. Tells its owner when an open
// connection drops, so calls in flight can fail at once instead of timing out.

import { connect } from 'amqplib';
import type { Channel, ChannelModel } from 'amqplib';
import { MessagingUnavailable } from '../errors.js';
import { settleWithin, withDeadline } from '../io.js';
import type { MessagingLogger } from '../logger.js';
import { describeRabbitHost } from './rabbit-url.js';
import type { RabbitHost, RabbitUrl } from './rabbit-url.js';

export interface RabbitConnectionOptions {
  readonly url: RabbitUrl;
  /** Bound on TCP connect plus AMQP handshake, per host. */
  readonly connectTimeoutMs: number;
  readonly heartbeatSeconds: number;
  readonly logger: MessagingLogger;
  /** Called when an open connection drops without close() having been called. */
  readonly onLost: (error: Error) => void;
}

export class RabbitConnection {
  /** The URL's hosts without passwords, for messages. */
  readonly description: string;
  private readonly options: RabbitConnectionOptions;
  private model: ChannelModel | null = null;
  private connecting: Promise<ChannelModel> | null = null;
  private closed = false;

  constructor(options: RabbitConnectionOptions) {
    this.options = options;
    this.description = options.url.hosts.map((host) => describeRabbitHost(host, options.url.vhost)).join(', ');
  }

  /** Opens a channel, connecting first if needed. Rejects with MessagingUnavailable when no host answers. */
  async openChannel(): Promise<Channel> {
    const model = await this.current();
    const channel = await model.createChannel();
    // Without a listener, a channel closed by the broker (a failed declare) would throw from the emitter.
    channel.on('error', (error: Error) => this.options.logger.warn({ err: error }, 'RabbitMQ closed a channel'));
    return channel;
  }

  /** Closes the connection; waits at most `timeoutMs`, then drops the socket. Never rejects. */
  async close(timeoutMs: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const model = this.model;
    this.model = null;
    if (model !== null) await closeModel(model, timeoutMs);
    if (this.connecting !== null) await settleWithin(this.connecting, timeoutMs);
  }

  private current(): Promise<ChannelModel> {
    if (this.closed) return Promise.reject(new MessagingUnavailable('The RabbitMQ transport is closed'));
    if (this.model !== null) return Promise.resolve(this.model);
    this.connecting ??= this.connectToAnyHost().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connectToAnyHost(): Promise<ChannelModel> {
    let lastError: unknown;
    for (const host of this.options.url.hosts) {
      try {
        return await this.adopt(await this.connectTo(host), host);
      } catch (error) {
        lastError = error;
        this.options.logger.warn({ url: describeRabbitHost(host, this.options.url.vhost), err: error }, 'cannot connect to RabbitMQ');
      }
    }
    if (lastError instanceof MessagingUnavailable) throw lastError;
    const reason = lastError instanceof Error ? lastError.message : String(lastError);
    throw new MessagingUnavailable(`Cannot connect to RabbitMQ at ${this.description}: ${reason}`, { cause: lastError });
  }

  private async connectTo(host: RabbitHost): Promise<ChannelModel> {
    const { url, connectTimeoutMs, heartbeatSeconds } = this.options;
    let abandoned = false;
    const attempt = connect(
      { ...host, vhost: url.vhost, heartbeat: heartbeatSeconds },
      { timeout: connectTimeoutMs, clientProperties: { connection_name: `tstack pid ${process.pid}` } },
    );
    attempt.then((model) => (abandoned ? closeModel(model, connectTimeoutMs) : undefined), () => {});
    try {
      // amqplib's own timeout covers the TCP connect and handshake; this one also covers a DNS lookup that hangs.
      const timeout = (): Error => new Error(`connect timed out after ${connectTimeoutMs} ms`);
      return await withDeadline(attempt, { timeoutMs: connectTimeoutMs }, timeout);
    } catch (error) {
      abandoned = true;
      throw error;
    }
  }

  private async adopt(model: ChannelModel, host: RabbitHost): Promise<ChannelModel> {
    if (this.closed) {
      await closeModel(model, this.options.connectTimeoutMs);
      throw new MessagingUnavailable('The RabbitMQ transport is closed');
    }
    model.on('error', (error: Error) => this.options.logger.warn({ err: error }, 'RabbitMQ connection error'));
    model.on('close', (error?: Error) => this.onClose(model, error));
    this.model = model;
    this.options.logger.info({ url: describeRabbitHost(host, this.options.url.vhost) }, 'connected to RabbitMQ');
    return model;
  }

  private onClose(model: ChannelModel, error: Error | undefined): void {
    if (this.model !== model) return;
    this.model = null;
    if (!this.closed) this.options.onLost(error ?? new Error('connection closed by the broker'));
  }
}

/** A broker that stops answering must not keep the process alive through a half-closed socket. */
async function closeModel(model: ChannelModel, timeoutMs: number): Promise<void> {
  try {
    await withDeadline(model.close(), { timeoutMs }, () => new Error('close timed out'));
  } catch {
    const stream: unknown = Reflect.get(model.connection, 'stream');
    if (typeof stream === 'object' && stream !== null && 'destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
  }
}
