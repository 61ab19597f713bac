// The JSON wire format: oslo envelope, context keys, nested failures, malformed input.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { NotFound } from '../errors/index.js';
import { decodeNotification, decodeReply, decodeRequest, encodeNotification, encodeReply, encodeRequest, toRemoteFailure } from './codec.js';
import { MalformedMessage, RemoteError } from './errors.js';

it('wraps requests in the oslo 2.0 envelope with _context_ keys', () => {
  const body = encodeRequest({ method: 'ping', args: { a: 1 }, context: { request_id: 'req-1', roles: ['admin'] }, version: '1.2' }, 'u-1', {
    msgId: 'm-1',
    replyTo: 'reply_q',
  });
  const outer = JSON.parse(body) as Record<string, string>;
  assert.equal(outer['oslo.version'], '2.0');
  assert.deepEqual(JSON.parse(outer['oslo.message'] ?? ''), {
    method: 'ping', args: { a: 1 }, version: '1.2', _unique_id: 'u-1', _msg_id: 'm-1', _reply_q: 'reply_q',
    _context_request_id: 'req-1', _context_roles: ['admin'],
  });
  assert.deepEqual(decodeRequest(body), {
    request: { method: 'ping', args: { a: 1 }, context: { request_id: 'req-1', roles: ['admin'] }, version: '1.2' },
    replyAddress: { msgId: 'm-1', replyTo: 'reply_q' },
  });
});

it('reads a message without an envelope, as oslo does', () => {
  assert.deepEqual(decodeRequest('{"method":"cast_me","args":{}}'), { request: { method: 'cast_me', args: {}, context: {} } });
});

it('refuses messages without a method or an args object', () => {
  for (const body of ['not json', '[]', '{"args":{}}', '{"method":"m","args":[]}', '{"method":"m","args":{},"version":2}']) {
    assert.throws(() => decodeRequest(body), MalformedMessage, body);
  }
});

it('sends failures as a nested JSON string carrying class, message and status', () => {
  const failure = toRemoteFailure(new NotFound('gone'));
  const body = encodeReply('m-1', { failure }, 'u-2');
  const message = JSON.parse((JSON.parse(body) as Record<string, string>)['oslo.message'] ?? '') as Record<string, unknown>;
  assert.equal(message['ending'], true);
  assert.equal(message['result'], null);
  assert.deepEqual(JSON.parse(String(message['failure'])), {
    class: 'NotFound', module: 'tstack', message: 'gone', tb: [], args: ['gone'], kwargs: {}, status: 404, title: 'Not Found',
  });
  assert.deepEqual(decodeReply(body), { msgId: 'm-1', reply: { failure: { className: 'NotFound', message: 'gone', status: 404, title: 'Not Found' } } });
  assert.deepEqual(decodeReply(encodeReply('m-2', { result: undefined }, 'u-3')), { msgId: 'm-2', reply: { result: null } });
});

it('passes a RemoteError on under its remote class name', () => {
  const remote = new RemoteError({ className: 'InstanceNotFound', message: 'no', status: 404, title: 'Not Found' });
  assert.deepEqual(toRemoteFailure(remote), { className: 'InstanceNotFound', message: 'no', status: 404, title: 'Not Found' });
});

it('round-trips notifications with an upper-case priority on the wire', () => {
  const notification = {
    messageId: 'n-1', publisherId: 'compute.h1', eventType: 'compute.instance.create.end', priority: 'info' as const,
    payload: { uuid: 'i-1' }, timestamp: '2024-01-01T00:00:00.000Z', context: { request_id: 'req-2' },
  };
  const body = encodeNotification(notification, 'u-4');
  const message = JSON.parse((JSON.parse(body) as Record<string, string>)['oslo.message'] ?? '') as Record<string, unknown>;
  assert.equal(message['priority'], 'INFO');
  assert.equal(message['event_type'], 'compute.instance.create.end');
  assert.deepEqual(decodeNotification(body), notification);
  assert.throws(() => decodeNotification(body.replace('INFO', 'LOUD')), MalformedMessage);
});
