// Runs the transport contract against the in-process bus, plus what only it can show.

import assert from 'node:assert/strict';
import { it } from 'node:test';
import { MessagingTimeout } from '../errors.js';
import { RpcClient } from '../rpc-client.js';
import { RpcServer } from '../rpc-server.js';
import { transportContract } from '../transport.contract.js';
import { InProcessTransport } from './in-process-transport.js';

transportContract('in-process', () => new InProcessTransport());

it('two in-process transports do not see each other', async () => {
  const [one, two] = [new InProcessTransport(), new InProcessTransport()];
  const server = new RpcServer({ transport: one, target: { topic: 't', server: 'h' }, endpoints: { ping: () => 'pong' } });
  await server.start();
  const client = new RpcClient({ transport: two, target: { topic: 't' }, timeoutMs: 50 });
  await assert.rejects(client.call('ping', {}), MessagingTimeout);
  assert.equal(await new RpcClient({ transport: one, target: { topic: 't' } }).call('ping', {}), 'pong');
  await server.stop();
  await Promise.all([one.close(), two.close()]);
});

it('a cast sent while the server is down waits in its queue; an expired call does not', async () => {
  let now = 1_000;
  const transport = new InProcessTransport({ now: () => now });
  const seen: string[] = [];
  const endpoints = { note: (_context: object, args: Record<string, unknown>) => void seen.push(String(args['value'])) };
  const target = { topic: 'queued', server: 'h' };
  const first = new RpcServer({ transport, target, endpoints });
  await first.start();
  await first.stop();
  const client = new RpcClient({ transport, target: { topic: 'queued' }, timeoutMs: 20 });
  await client.cast('note', { value: 'kept' });
  await assert.rejects(client.call('note', { value: 'expired' }), MessagingTimeout);
  now += 1_000;
  const second = new RpcServer({ transport, target, endpoints });
  await second.start();
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(seen, ['kept']);
  await second.stop();
  await transport.close();
});
