// Calls and casts methods of the servers on a target. Mirrors oslo_messaging/rpc/client.py;
// a service's rpc-client.ts wraps one of these with its typed API map.

import { InvalidTarget, RemoteError } from './errors.js';
import type { IoOptions } from './io.js';
import type { MessageContext } from './message-context.js';
import type { RpcApi, RpcArgs, RpcMethodName, RpcResult, UntypedRpcApi } from './rpc-api.js';
import { describeTarget } from './target.js';
import type { Target } from './target.js';
import type { RpcRequest, Transport } from './transport.js';

/** oslo.messaging's rpc_response_timeout. */
const DEFAULT_TIMEOUT_MS = 60_000;

export interface RpcClientOptions {
  readonly transport: Transport;
  /** `topic` required; `server`, `fanout`, `exchange`, `version` as defaults for every message. */
  readonly target: Target;
  /** How long a call waits for its reply, and a cast for the broker. Default 60 000 ms. */
  readonly timeoutMs?: number;
}

/** Per-message options of `cast` and `fanoutCast`. */
export interface CastOptions extends IoOptions {
  /** Request context sent with the message; `{}` when absent. */
  readonly context?: MessageContext;
  /** Version this message requires; overrides the target's. */
  readonly version?: string;
}

/** Per-message options of `call` and `cast`. */
export interface CallOptions extends CastOptions {
  /** Send to this server only (`<topic>.<server>`); overrides the target's. */
  readonly server?: string;
}

/**
 * Client side of a typed RPC API. `call` waits for the result; `cast` and `fanoutCast` do not.
 * Arguments and results travel as JSON.
 */
export class RpcClient<Api extends RpcApi<Api> = UntypedRpcApi> {
  private readonly transport: Transport;
  private readonly target: Target;
  private readonly timeoutMs: number;

  constructor(options: RpcClientOptions) {
    if (options.target.topic === '') throw new InvalidTarget('An RPC client needs a topic');
    this.transport = options.transport;
    this.target = options.target;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Runs `method` on one server of the target and returns its result. Rejects with
   * MessagingTimeout when no reply comes within the timeout, RemoteError when the endpoint
   * threw (with its class name, message and status), MessagingUnavailable when the bus is
   * unreachable or drops meanwhile, or the signal's reason when aborted. Throws InvalidTarget
   * for a fanout target.
   */
  async call<M extends RpcMethodName<Api>>(method: M, args: RpcArgs<Api, M>, options: CallOptions = {}): Promise<RpcResult<Api, M>> {
    const target = this.targetFor(options);
    if (target.fanout === true) throw new InvalidTarget(`Cannot call ${method} on fanout target ${describeTarget(target)}`);
    const deadline = { timeoutMs: options.timeoutMs ?? this.timeoutMs, signal: options.signal };
    const reply = await this.transport.call(target, this.request(method, args, options), deadline);
    if ('failure' in reply) throw new RemoteError(reply.failure);
    return reply.result as RpcResult<Api, M>;
  }

  /**
   * Sends `method` to one server of the target (every server for a fanout target) and resolves
   * once the broker has it, without waiting for a server. Rejects with MessagingUnavailable or
   * MessagingTimeout when it cannot be handed over.
   */
  async cast<M extends RpcMethodName<Api>>(method: M, args: RpcArgs<Api, M>, options: CallOptions = {}): Promise<void> {
    await this.transport.cast(this.targetFor(options), this.request(method, args, options), this.io(options));
  }

  /** Sends `method` to every server listening on the topic; otherwise like `cast`. */
  async fanoutCast<M extends RpcMethodName<Api>>(method: M, args: RpcArgs<Api, M>, options: CastOptions = {}): Promise<void> {
    const { server: _ignored, ...target } = this.target;
    await this.transport.cast({ ...target, fanout: true }, this.request(method, args, options), this.io(options));
  }

  private targetFor(options: CallOptions): Target {
    return options.server === undefined ? this.target : { ...this.target, server: options.server };
  }

  private request(method: string, args: object, options: CastOptions): RpcRequest {
    const version = options.version ?? this.target.version;
    return { method, args, context: options.context ?? {}, ...(version === undefined ? {} : { version }) };
  }

  private io(options: IoOptions): IoOptions {
    return { timeoutMs: options.timeoutMs ?? this.timeoutMs, signal: options.signal };
  }
}
