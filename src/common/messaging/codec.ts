// The JSON wire format, shaped like oslo.messaging's: an `oslo.version` 2.0 envelope around
// the message, context as `_context_*` keys, replies as `result`/`failure`. Mirrors
// oslo_messaging/_drivers/common.py (serialize_msg, serialize_remote_exception) and amqp.py.

import { isTstackError } from '../errors/index.js';
import { MalformedMessage, RemoteError } from './errors.js';
import type { RemoteFailure } from './errors.js';
import type { MessageContext } from './message-context.js';
import { NOTIFICATION_PRIORITIES } from './transport.js';
import type { NotificationMessage, NotificationPriority, RpcReply, RpcRequest } from './transport.js';

const CONTEXT_PREFIX = '_context_';
const ENVELOPE_VERSION = '2.0';

type WireObject = Record<string, unknown>;

/** Where a call's reply must go; absent for casts. */
export interface ReplyAddress {
  readonly msgId: string;
  readonly replyTo: string;
}

export interface DecodedRequest {
  readonly request: RpcRequest;
  readonly replyAddress?: ReplyAddress;
}

export interface DecodedReply {
  readonly msgId: string;
  readonly reply: RpcReply;
}

export function encodeRequest(request: RpcRequest, uniqueId: string, replyAddress?: ReplyAddress): string {
  const message: WireObject = { method: request.method, args: request.args, _unique_id: uniqueId };
  if (request.version !== undefined) message['version'] = request.version;
  if (replyAddress !== undefined) {
    message['_msg_id'] = replyAddress.msgId;
    message['_reply_q'] = replyAddress.replyTo;
  }
  return envelope({ ...message, ...packContext(request.context) });
}

export function decodeRequest(body: string): DecodedRequest {
  const message = openEnvelope(body);
  const { method, args, version } = message;
  if (typeof method !== 'string' || method === '') throw new MalformedMessage('RPC message without a method');
  if (!isWireObject(args)) throw new MalformedMessage(`RPC message for '${method}' without an args object`);
  if (version !== undefined && version !== null && typeof version !== 'string') {
    throw new MalformedMessage(`RPC message for '${method}' with a non-string version`);
  }
  const request: RpcRequest = { method, args, context: unpackContext(message), ...(typeof version === 'string' ? { version } : {}) };
  const { _msg_id: msgId, _reply_q: replyTo } = message;
  if (typeof msgId === 'string' && typeof replyTo === 'string') return { request, replyAddress: { msgId, replyTo } };
  return { request };
}

export function encodeReply(msgId: string, reply: RpcReply, uniqueId: string): string {
  const failure = 'failure' in reply ? JSON.stringify(wireFailure(reply.failure)) : null;
  const result = 'result' in reply ? (reply.result ?? null) : null;
  return envelope({ _msg_id: msgId, result, failure, ending: true, _unique_id: uniqueId });
}

export function decodeReply(body: string): DecodedReply {
  const message = openEnvelope(body);
  const { _msg_id: msgId, failure, result } = message;
  if (typeof msgId !== 'string') throw new MalformedMessage('RPC reply without _msg_id');
  if (typeof failure === 'string') return { msgId, reply: { failure: parseFailure(failure) } };
  return { msgId, reply: { result: result ?? null } };
}

export function encodeNotification(notification: NotificationMessage, uniqueId: string): string {
  return envelope({
    message_id: notification.messageId,
    publisher_id: notification.publisherId,
    event_type: notification.eventType,
    priority: notification.priority.toUpperCase(),
    payload: notification.payload,
    timestamp: notification.timestamp,
    _unique_id: uniqueId,
    ...packContext(notification.context),
  });
}

export function decodeNotification(body: string): NotificationMessage {
  const message = openEnvelope(body);
  const { message_id: messageId, publisher_id: publisherId, event_type: eventType, timestamp } = message;
  const priority = parsePriority(message['priority']);
  if (typeof messageId !== 'string' || typeof publisherId !== 'string' || typeof eventType !== 'string') {
    throw new MalformedMessage('notification without message_id, publisher_id or event_type');
  }
  return {
    messageId,
    publisherId,
    eventType,
    priority,
    payload: message['payload'] ?? null,
    timestamp: typeof timestamp === 'string' ? timestamp : '',
    context: unpackContext(message),
  };
}

/**
 * What a caller learns about an error thrown by an endpoint. A TstackError keeps its status
 * and title; a RemoteError passes on the failure it carries, so errors cross several hops
 * under their original class name; anything else is a 500.
 */
export function toRemoteFailure(error: unknown): RemoteFailure {
  if (error instanceof RemoteError) {
    return { className: error.className, message: error.message, status: error.status, title: error.title };
  }
  if (isTstackError(error)) return { className: error.name, message: error.message, status: error.status, title: error.title };
  if (error instanceof Error) return { className: error.name, message: error.message, status: 500, title: 'Internal Server Error' };
  return { className: 'Error', message: String(error), status: 500, title: 'Internal Server Error' };
}

function envelope(message: WireObject): string {
  return JSON.stringify({ 'oslo.version': ENVELOPE_VERSION, 'oslo.message': JSON.stringify(message) });
}

function openEnvelope(body: string): WireObject {
  const outer = parseObject(body);
  const inner = outer['oslo.message'];
  return typeof inner === 'string' ? parseObject(inner) : outer;
}

function parseObject(text: string): WireObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MalformedMessage('message is not valid JSON', { cause: error });
  }
  if (!isWireObject(value)) throw new MalformedMessage('message is not a JSON object');
  return value;
}

function isWireObject(value: unknown): value is WireObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function packContext(context: MessageContext): WireObject {
  const packed: WireObject = {};
  for (const [key, value] of Object.entries(context)) {
    if (value !== undefined) packed[CONTEXT_PREFIX + key] = value;
  }
  return packed;
}

function unpackContext(message: WireObject): MessageContext {
  const context: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message)) {
    if (key.startsWith(CONTEXT_PREFIX)) context[key.slice(CONTEXT_PREFIX.length)] = value;
  }
  return context as MessageContext;
}

function wireFailure(failure: RemoteFailure): WireObject {
  return {
    class: failure.className,
    module: 'tstack',
    message: failure.message,
    tb: [],
    args: [failure.message],
    kwargs: {},
    status: failure.status,
    title: failure.title,
  };
}

function parseFailure(text: string): RemoteFailure {
  const wire = parseObject(text);
  return {
    className: typeof wire['class'] === 'string' ? wire['class'] : 'Error',
    message: typeof wire['message'] === 'string' ? wire['message'] : '',
    status: typeof wire['status'] === 'number' ? wire['status'] : 500,
    title: typeof wire['title'] === 'string' ? wire['title'] : 'Internal Server Error',
  };
}

function parsePriority(value: unknown): NotificationPriority {
  const priority = typeof value === 'string' ? value.toLowerCase() : '';
  const known = NOTIFICATION_PRIORITIES.find((candidate) => candidate === priority);
  if (known === undefined) throw new MalformedMessage(`notification with unknown priority ${JSON.stringify(value)}`);
  return known;
}
