// Notifier and NotificationListener beyond the transport contract: error handling and typed events.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { InProcessTransport } from './in-process/index.js';
import type { MessagingLogger } from './logger.js';
import { NotificationListener } from './notification-listener.js';
import type { Notification } from './notification-listener.js';
import { Notifier } from './notifier.js';

interface ComputeEvents {
  'compute.instance.create.end': { readonly instance_id: string };
  'compute.instance.delete.end': { readonly instance_id: string; readonly reason: string };
}

it('never rejects: a failed publication is logged', async () => {
  const transport = new InProcessTransport();
  await transport.close();
  const logged: string[] = [];
  const logger: MessagingLogger = { debug: () => {}, info: () => {}, warn: () => {}, error: (_fields, message) => void logged.push(message) };
  await new Notifier({ transport, publisherId: 'compute.h1', logger }).info('compute.instance.create.end', {});
  assert.deepEqual(logged, ['could not send notification']);
});

it('types payloads by event type on both sides', async () => {
  const transport = new InProcessTransport();
  const received: Notification<ComputeEvents>[] = [];
  const listener = new NotificationListener<ComputeEvents>({ transport, handler: (notification) => void received.push(notification) });
  await listener.start();
  const notifier = new Notifier<ComputeEvents>({ transport, publisherId: 'compute.h1', newId: () => 'n-1' });
  await notifier.info('compute.instance.delete.end', { instance_id: 'i-1', reason: 'user' });
  // @ts-expect-error a payload missing a field of its event type
  await notifier.info('compute.instance.delete.end', { instance_id: 'i-1' });
  await new Promise((resolve) => setImmediate(resolve));
  const [first] = received;
  assert.ok(first?.eventType === 'compute.instance.delete.end');
  assert.equal(first.payload.reason, 'user');
  assert.equal(first.messageId, 'n-1');
  await listener.stop();
  await transport.close();
});
