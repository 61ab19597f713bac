// Serves an API's endpoints on a target: decodes each request, runs the endpoint, sends back
// its result or what it threw. Mirrors oslo_messaging/rpc/server.py and rpc/dispatcher.py.

import { InvalidTarget, MessagingError, NoSuchMethod, UnsupportedVersion } from './errors.js';
import { settleWithin } from './io.js';
import type { IoOptions } from './io.js';
import { silentLogger } from './logger.js';
import type { MessagingLogger } from './logger.js';
import type { RpcApi, RpcEndpoints, UntypedRpcApi } from './rpc-api.js';
import { toRemoteFailure } from './codec.js';
import { describeTarget, isCompatibleVersion } from './target.js';
import type { Target } from './target.js';
import type { IncomingRequest, RpcReply, RpcRequest, Subscription, Transport } from './transport.js';

/** How long stop() waits for endpoints already running, unless told otherwise. */
const DEFAULT_STOP_TIMEOUT_MS = 60_000;

export interface RpcServerOptions<Api extends RpcApi<Api>> {
  readonly transport: Transport;
  /** `topic` required; `server` (this host's name) strongly advised; `version` if the API is versioned. */
  readonly target: Target;
  /** One function per method of the API; a plain object or a manager instance. */
  readonly endpoints: RpcEndpoints<Api>;
  readonly logger?: MessagingLogger;
}

type Endpoint = (this: unknown, context: RpcRequest['context'], args: object) => unknown;

/**
 * Runs endpoints for requests on `topic`, `topic.server` and the topic's fanout. Requests are
 * handled concurrently. An endpoint's exception goes back to the caller as a RemoteError and
 * never stops the server.
 */
export class RpcServer<Api extends RpcApi<Api> = UntypedRpcApi> {
  private readonly options: RpcServerOptions<Api>;
  private readonly logger: MessagingLogger;
  private readonly running = new Set<Promise<void>>();
  private subscription: Promise<Subscription> | null = null;

  constructor(options: NoInfer<RpcServerOptions<Api>>) {
    if (options.target.topic === '') throw new InvalidTarget('An RPC server needs a topic');
    this.options = options;
    this.logger = options.logger ?? silentLogger;
  }

  /**
   * Subscribes to the target. Rejects with MessagingUnavailable or MessagingTimeout when the
   * bus cannot be reached; the server is then stopped and start() may be retried. Idempotent.
   */
  async start(options?: IoOptions): Promise<void> {
    if (this.subscription === null) {
      const subscribing = this.options.transport.listen(this.options.target, (incoming) => this.track(this.handle(incoming)), options);
      subscribing.catch(() => {
        if (this.subscription === subscribing) this.subscription = null;
      });
      this.subscription = subscribing;
    }
    await this.subscription;
  }

  /**
   * Stops taking requests, then waits up to `timeoutMs` (default 60 000 ms) for endpoints
   * already running to finish and send their replies. Idempotent; never rejects.
   */
  async stop(options: IoOptions = {}): Promise<void> {
    const subscription = this.subscription;
    this.subscription = null;
    const stopped = await subscription?.catch(() => undefined);
    await stopped?.stop(options);
    await settleWithin(Promise.all(this.running), options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS);
  }

  private track(work: Promise<void>): void {
    const forget = (): void => {
      this.running.delete(work);
    };
    this.running.add(work);
    work.then(forget, forget);
  }

  private async handle(incoming: IncomingRequest): Promise<void> {
    const { request, reply } = incoming;
    const outcome = await this.dispatch(request);
    if (reply === undefined) return;
    try {
      await reply(outcome);
    } catch (error) {
      await this.replyWithSendFailure(incoming, outcome, error);
    }
  }

  private async dispatch(request: RpcRequest): Promise<RpcReply> {
    try {
      const endpoint = this.endpoint(request);
      return { result: await endpoint.call(this.options.endpoints, request.context, request.args) };
    } catch (error) {
      this.logFailure(request, error);
      return { failure: toRemoteFailure(error) };
    }
  }

  private endpoint(request: RpcRequest): Endpoint {
    const { method, version } = request;
    const implemented = this.options.target.version;
    if (version !== undefined && implemented !== undefined && !isCompatibleVersion(version, implemented)) {
      throw new UnsupportedVersion(
        `Endpoint does not support RPC version ${version} (server implements ${implemented}). Attempted method: ${method}`,
      );
    }
    const candidate: unknown = Reflect.get(this.options.endpoints, method);
    // Keeps Object.prototype members and private-by-convention helpers off the bus, as oslo's dispatcher does.
    if (typeof candidate !== 'function' || method in Object.prototype || method.startsWith('_')) {
      throw new NoSuchMethod(`Endpoint does not support RPC method ${method}`);
    }
    return candidate as Endpoint;
  }

  /** A result that cannot be encoded (a BigInt, a cycle) still owes the caller an answer. */
  private async replyWithSendFailure(incoming: IncomingRequest, outcome: RpcReply, error: unknown): Promise<void> {
    const fields = { method: incoming.request.method, target: describeTarget(this.options.target), err: error };
    if ('failure' in outcome || incoming.reply === undefined || error instanceof MessagingError) {
      this.logger.error(fields, 'could not send RPC reply');
      return;
    }
    this.logger.warn(fields, 'could not send RPC result; sending the error instead');
    await incoming.reply({ failure: toRemoteFailure(error) }).catch((second: unknown) => {
      this.logger.error({ ...fields, err: second }, 'could not send RPC reply');
    });
  }

  private logFailure(request: RpcRequest, error: unknown): void {
    const fields = { method: request.method, request_id: request.context.request_id, err: error };
    const status = typeof error === 'object' && error !== null ? Reflect.get(error, 'status') : undefined;
    if (typeof status === 'number' && status < 500) this.logger.debug(fields, 'RPC endpoint raised an expected error');
    else this.logger.error(fields, 'RPC endpoint failed');
  }
}
