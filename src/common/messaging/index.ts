// Public surface of tstack's message bus, the equivalent of oslo.messaging: RPC (call, cast,
// fanout) and notifications over an in-process or RabbitMQ transport. Other folders import
// only from here.

export { createTransport } from './create-transport.js';
export type { TransportOptions } from './create-transport.js';
export { InProcessTransport } from './in-process/index.js';
export type { InProcessTransportOptions } from './in-process/index.js';
export { RabbitTransport } from './rabbit/index.js';
export type { RabbitTransportOptions } from './rabbit/index.js';
export { NOTIFICATION_PRIORITIES } from './transport.js';
export type {
  IncomingRequest,
  NotificationMessage,
  NotificationPriority,
  NotificationSubscription,
  RpcReply,
  RpcRequest,
  Subscription,
  Transport,
} from './transport.js';

export type { Target } from './target.js';
export type { MessageContext } from './message-context.js';
export type { IoOptions, Deadline } from './io.js';
export type { JsonObject, JsonValue } from './json.js';
export type { MessagingLogger } from './logger.js';

export { RpcClient } from './rpc-client.js';
export type { CallOptions, CastOptions, RpcClientOptions } from './rpc-client.js';
export { RpcServer } from './rpc-server.js';
export type { RpcServerOptions } from './rpc-server.js';
export type { RpcApi, RpcArgs, RpcEndpoints, RpcMethod, RpcMethodName, RpcResult, UntypedRpcApi } from './rpc-api.js';

export { Notifier } from './notifier.js';
export type { NotifierOptions, NotifyOptions, UntypedEvents } from './notifier.js';
export { NotificationListener } from './notification-listener.js';
export type { Notification, NotificationListenerOptions } from './notification-listener.js';

export {
  InvalidTarget,
  InvalidTransportUrl,
  MessagingError,
  MessagingTimeout,
  MessagingUnavailable,
  RemoteError,
} from './errors.js';
export type { RemoteFailure } from './errors.js';
