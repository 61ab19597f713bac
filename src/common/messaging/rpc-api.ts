// Typed message maps: one interface, shared by an rpc-client.ts and its manager.ts, names each
// RPC method with its arguments and result, so a renamed method or argument fails to compile
// on both sides instead of failing on the bus.

import type { MessageContext } from './message-context.js';

/**
 * One RPC method: the keyword arguments it takes and what it returns. Both must survive
 * JSON: no Dates, Maps, class instances or undefined (use null).
 *
 * @example
 * interface ConductorApi {
 *   build_instances: RpcMethod<{ instance_uuids: string[] }, null>;
 *   ping: RpcMethod<{ value: string }, { value: string }>;
 * }
 * const client = new RpcClient<ConductorApi>({ transport, target: { topic: 'conductor' } });
 * const server = new RpcServer<ConductorApi>({ transport, target, endpoints: manager });
 */
export interface RpcMethod<Args extends object = object, Result = unknown> {
  readonly args: Args;
  readonly result: Result;
}

/** The shape every API map has: each member is an RpcMethod. */
export type RpcApi<Api> = { readonly [M in keyof Api]: RpcMethod };

/** The API of an untyped client or server: any method, any JSON object, an unknown result. */
export type UntypedRpcApi = Record<string, RpcMethod<Record<string, unknown>, unknown>>;

/** Method names of an API map. */
export type RpcMethodName<Api> = keyof Api & string;

/** Arguments of one method. */
export type RpcArgs<Api extends RpcApi<Api>, M extends RpcMethodName<Api>> = Api[M]['args'];

/** Result of one method. */
export type RpcResult<Api extends RpcApi<Api>, M extends RpcMethodName<Api>> = Api[M]['result'];

/**
 * What an RpcServer dispatches to: one function per method of the API map, given the caller's
 * context and the decoded arguments. A manager class can `implements RpcEndpoints<Api>`.
 * What it throws goes back to the caller as a RemoteError.
 */
export type RpcEndpoints<Api extends RpcApi<Api>> = {
  readonly [M in RpcMethodName<Api>]: (
    context: MessageContext,
    args: RpcArgs<Api, M>,
  ) => Promise<RpcResult<Api, M>> | RpcResult<Api, M>;
};
