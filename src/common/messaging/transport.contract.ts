// The contract every Transport meets, run by in-process-transport.test.ts and
// rabbit-transport.test.ts alike, through the public RpcClient, RpcServer, Notifier and
// NotificationListener. Mirrors the role of oslo.messaging's functional tests run per driver.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { NotFound } from '../errors/index.js';
import { MessagingTimeout, MessagingUnavailable, RemoteError } from './errors.js';
import type { MessageContext } from './message-context.js';
import { NotificationListener } from './notification-listener.js';
import type { Notification } from './notification-listener.js';
import { Notifier } from './notifier.js';
import type { RpcEndpoints, RpcMethod } from './rpc-api.js';
import { RpcClient } from './rpc-client.js';
import { RpcServer } from './rpc-server.js';
import type { Target } from './target.js';
import type { NotificationPriority, Transport } from './transport.js';

/** The API every test server implements. */
export interface EchoApi {
  echo: RpcMethod<{ readonly value: string }, { readonly value: string; readonly server: string; readonly context: MessageContext }>;
  fail: RpcMethod<{ readonly kind: 'not-found' | 'type-error' | 'string' }, null>;
  sleep: RpcMethod<{ readonly ms: number; readonly value: number }, number>;
  hold: RpcMethod<{ readonly value: string }, string>;
  record: RpcMethod<{ readonly value: string }, null>;
  shapes: RpcMethod<{ readonly when: string }, { readonly date: string; readonly missing: null; readonly nested: readonly number[] }>;
  bigint: RpcMethod<Record<string, never>, number>;
}

class InstanceNotFound extends NotFound {
  constructor(instanceId: string) {
    super(`Instance ${instanceId} could not be found.`);
  }
}

/** A server of EchoApi named `server`, recording what reaches it. */
export class EchoServer {
  readonly received: string[] = [];
  private readonly held: (() => void)[] = [];
  private readonly waiters: (() => void)[] = [];
  readonly rpc: RpcServer<EchoApi>;

  constructor(transport: Transport, target: Target, readonly name: string) {
    this.rpc = new RpcServer<EchoApi>({ transport, target: { ...target, server: name }, endpoints: this.endpoints() });
  }

  /** Resolves once `count` casts or calls have been recorded. */
  async receivedCount(count: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) assert.fail(`${this.name} received ${this.received.length} of ${count} messages`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
  }

  /** Lets every held `hold` call return. */
  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }

  private note(value: string): void {
    this.received.push(value);
    for (const wake of this.waiters.splice(0)) wake();
  }

  private endpoints(): RpcEndpoints<EchoApi> {
    return {
      echo: (context, { value }) => {
        this.note(value);
        return { value, server: this.name, context };
      },
      fail: (_context, { kind }) => {
        if (kind === 'not-found') throw new InstanceNotFound('i-1');
        if (kind === 'string') throw 'a bare string';
        throw new TypeError('bad type');
      },
      sleep: async (_context, { ms, value }) => {
        await sleep(ms);
        return value;
      },
      hold: async (_context, { value }) => {
        this.note(value);
        await new Promise<void>((resolve) => this.held.push(resolve));
        return value;
      },
      record: (_context, { value }) => {
        this.note(value);
        return null;
      },
      shapes: (_context, { when }) => ({ date: new Date(when) as unknown as string, missing: undefined as unknown as null, nested: [1, 2] }),
      bigint: () => 1n as unknown as number,
    };
  }
}

/**
 * Registers the contract suite. `create` builds a fresh transport for the suite (and one more
 * for the close() test); every transport it returns is closed at the end.
 */
export function transportContract(name: string, create: () => Transport): void {
  describe(`${name} transport contract`, () => {
    const transport = create();
    const cleanUps: (() => Promise<void>)[] = [];
    const topic = (): string => `contract-${randomUUID()}`;

    async function startServers(target: Target, ...names: string[]): Promise<EchoServer[]> {
      const servers = names.map((serverName) => new EchoServer(transport, target, serverName));
      for (const server of servers) {
        await server.rpc.start({ timeoutMs: 5_000 });
        cleanUps.push(() => server.rpc.stop({ timeoutMs: 1_000 }));
      }
      return servers;
    }

    function client(target: Target, timeoutMs = 5_000): RpcClient<EchoApi> {
      return new RpcClient<EchoApi>({ transport, target, timeoutMs });
    }

    after(async () => {
      for (const cleanUp of cleanUps.reverse()) await cleanUp();
      await transport.close();
    });

    it('call returns the endpoint result and carries the request context', async () => {
      const target = { topic: topic() };
      await startServers(target, 'host-a');
      const context: MessageContext = { request_id: 'req-1', user_id: 'u-1', project_id: 'p-1', roles: ['admin', 'member'] };
      const result = await client(target).call('echo', { value: 'hello' }, { context });
      assert.deepEqual(result, { value: 'hello', server: 'host-a', context });
    });

    it('arguments and results travel as JSON', async () => {
      const target = { topic: topic() };
      await startServers(target, 'host-a');
      const result = await client(target).call('shapes', { when: '2020-01-02T03:04:05.000Z' });
      assert.deepEqual(result, { date: '2020-01-02T03:04:05.000Z', nested: [1, 2] });
    });

    it('arguments that are not JSON are refused before anything is sent', async () => {
      const rpc = new RpcClient({ transport, target: { topic: topic() }, timeoutMs: 5_000 });
      await assert.rejects(rpc.call('echo', { value: 1n }), TypeError);
      await assert.rejects(rpc.cast('echo', { value: 1n }), TypeError);
    });

    it('a call nobody serves fails with MessagingTimeout', async () => {
      const started = Date.now();
      await assert.rejects(client({ topic: topic() }, 200).call('echo', { value: 'x' }), MessagingTimeout);
      assert.ok(Date.now() - started < 2_000);
    });

    it('a call whose endpoint is too slow fails with MessagingTimeout', async () => {
      const target = { topic: topic() };
      const [server] = await startServers(target, 'host-a');
      await assert.rejects(client(target).call('hold', { value: 'slow' }, { timeoutMs: 200 }), (error: unknown) => {
        assert.ok(error instanceof MessagingTimeout);
        assert.equal(error.status, 504);
        assert.match(error.message, /'hold'/);
        return true;
      });
      server?.release();
    });

    it('an endpoint error comes back as RemoteError with class name, message and status', async () => {
      const target = { topic: topic() };
      await startServers(target, 'host-a');
      const rpc = client(target);
      await assert.rejects(rpc.call('fail', { kind: 'not-found' }), (error: unknown) => {
        assert.ok(error instanceof RemoteError);
        assert.equal(error.className, 'InstanceNotFound');
        assert.equal(error.message, 'Instance i-1 could not be found.');
        assert.equal(error.status, 404);
        assert.equal(error.title, 'Not Found');
        return true;
      });
      await assert.rejects(rpc.call('fail', { kind: 'type-error' }), { name: 'RemoteError', className: 'TypeError', message: 'bad type', status: 500 });
      await assert.rejects(rpc.call('fail', { kind: 'string' }), { className: 'Error', message: 'a bare string', status: 500 });
      assert.equal((await rpc.call('echo', { value: 'still serving' })).value, 'still serving');
    });

    it('a result that is not JSON comes back as RemoteError', async () => {
      const target = { topic: topic() };
      await startServers(target, 'host-a');
      await assert.rejects(client(target).call('bigint', {}), { className: 'TypeError', status: 500 });
    });

    it('an unknown method or an unsupported version comes back as RemoteError', async () => {
      const target = { topic: topic(), version: '1.3' };
      await startServers(target, 'host-a');
      const untyped = new RpcClient({ transport, target: { topic: target.topic }, timeoutMs: 5_000 });
      await assert.rejects(untyped.call('no_such_method', {}), { className: 'NoSuchMethod' });
      await assert.rejects(untyped.call('constructor', {}), { className: 'NoSuchMethod' });
      await assert.rejects(untyped.call('echo', { value: 'v' }, { version: '1.4' }), { className: 'UnsupportedVersion' });
      await assert.rejects(untyped.call('echo', { value: 'v' }, { version: '2.0' }), { className: 'UnsupportedVersion' });
      assert.deepEqual(await untyped.call('echo', { value: 'v' }, { version: '1.2' }), { value: 'v', server: 'host-a', context: {} });
    });

    it('cast reaches one server without waiting for it', async () => {
      const target = { topic: topic() };
      const servers = await startServers(target, 'host-a', 'host-b');
      await client(target).cast('record', { value: 'c1' });
      const all = (): string[] => servers.flatMap((server) => server.received);
      const deadline = Date.now() + 5_000;
      while (all().length === 0 && Date.now() < deadline) await sleep(10);
      await sleep(50);
      assert.deepEqual(all(), ['c1']);
    });

    it('fanoutCast reaches every server on the topic', async () => {
      const target = { topic: topic() };
      const [a, b] = await startServers(target, 'host-a', 'host-b');
      await client(target).fanoutCast('record', { value: 'everyone' });
      await a?.receivedCount(1);
      await b?.receivedCount(1);
      assert.deepEqual([a?.received, b?.received], [['everyone'], ['everyone']]);
    });

    it('a server-targeted call reaches only that server; topic calls are shared', async () => {
      const target = { topic: topic() };
      const [a, b] = await startServers(target, 'host-a', 'host-b');
      const rpc = client(target);
      for (let i = 0; i < 4; i += 1) assert.equal((await rpc.call('echo', { value: `b${i}` }, { server: 'host-b' })).server, 'host-b');
      const targeted = new RpcClient<EchoApi>({ transport, target: { ...target, server: 'host-a' }, timeoutMs: 5_000 });
      assert.equal((await targeted.call('echo', { value: 'a' })).server, 'host-a');
      assert.deepEqual(a?.received, ['a']);
      assert.deepEqual(b?.received, ['b0', 'b1', 'b2', 'b3']);
      const answeredBy = new Set<string>();
      for (let i = 0; i < 6; i += 1) answeredBy.add((await rpc.call('echo', { value: `t${i}` })).server);
      assert.deepEqual([...answeredBy].sort(), ['host-a', 'host-b']);
    });

    it('concurrent calls each get their own reply', async () => {
      const target = { topic: topic() };
      await startServers(target, 'host-a', 'host-b');
      const rpc = client(target);
      const values = Array.from({ length: 40 }, (_, i) => i);
      const results = await Promise.all(values.map((value) => rpc.call('sleep', { value, ms: (40 - value) % 7 * 5 })));
      assert.deepEqual(results, values);
    });

    it('an aborted call rejects with the signal reason', async () => {
      const target = { topic: topic() };
      const [server] = await startServers(target, 'host-a');
      const controller = new AbortController();
      const calling = client(target).call('hold', { value: 'x' }, { signal: controller.signal });
      await server?.receivedCount(1);
      controller.abort();
      await assert.rejects(calling, { name: 'AbortError' });
      await assert.rejects(client(target).call('echo', { value: 'y' }, { signal: AbortSignal.abort() }), { name: 'AbortError' });
      server?.release();
    });

    it('stop() lets running calls finish, then takes no more requests', async () => {
      const target = { topic: topic() };
      const server = new EchoServer(transport, target, 'host-a');
      await server.rpc.start();
      const rpc = client(target);
      const running = rpc.call('hold', { value: 'in flight' });
      await server.receivedCount(1);
      const stopping = server.rpc.stop({ timeoutMs: 5_000 });
      await sleep(20);
      server.release();
      await stopping;
      assert.equal(await running, 'in flight');
      await assert.rejects(rpc.call('echo', { value: 'late' }, { timeoutMs: 200 }), MessagingTimeout);
      await server.rpc.stop();
    });

    it('notifications reach listeners by priority and event type', async () => {
      const notificationTopic = topic();
      const received: Notification[] = [];
      const listener = new NotificationListener({
        transport,
        targets: [{ topic: notificationTopic }],
        priorities: ['info', 'error'],
        eventTypes: ['compute.instance.*'],
        handler: (notification) => {
          received.push(notification);
        },
      });
      await listener.start({ timeoutMs: 5_000 });
      cleanUps.push(() => listener.stop());
      const notifier = new Notifier({ transport, publisherId: 'compute.host-a', topics: [notificationTopic], now: () => new Date(0) });
      const context = { request_id: 'req-n' };
      await notifier.warn('compute.instance.create.start', { skipped: 'warn' }, { context });
      await notifier.info('image.upload', { skipped: 'event type' }, { context });
      await notifier.info('compute.instance.create.end', { uuid: 'i-1' }, { context });
      await notifier.error('compute.instance.create.error', { uuid: 'i-2' }, { context });
      const deadline = Date.now() + 5_000;
      while (received.length < 2 && Date.now() < deadline) await sleep(10);
      await sleep(100);
      const byPriority = (priority: NotificationPriority): Notification | undefined => received.find((n) => n.priority === priority);
      assert.equal(received.length, 2);
      assert.deepEqual(byPriority('info'), {
        ...byPriority('info'),
        publisherId: 'compute.host-a',
        eventType: 'compute.instance.create.end',
        payload: { uuid: 'i-1' },
        timestamp: '1970-01-01T00:00:00.000Z',
        context,
      });
      assert.deepEqual(byPriority('error')?.payload, { uuid: 'i-2' });
    });

    it('every listener pool gets its own copy of a notification', async () => {
      const notificationTopic = topic();
      const seen: string[] = [];
      const pools = [`pool-a-${randomUUID()}`, `pool-b-${randomUUID()}`];
      for (const pool of pools) {
        const listener = new NotificationListener({
          transport,
          targets: [{ topic: notificationTopic }],
          priorities: ['info'],
          pool,
          handler: () => {
            seen.push(pool);
          },
        });
        await listener.start({ timeoutMs: 5_000 });
        cleanUps.push(() => listener.stop());
      }
      await new Notifier({ transport, publisherId: 'test', topics: [notificationTopic] }).info('thing.happened', {});
      const deadline = Date.now() + 5_000;
      while (seen.length < 2 && Date.now() < deadline) await sleep(10);
      assert.deepEqual(seen.sort(), [...pools].sort());
    });

    it('close() fails calls still waiting with MessagingUnavailable and refuses new ones', async () => {
      const own = create();
      const target = { topic: topic() };
      const server = new EchoServer(own, target, 'host-a');
      await server.rpc.start({ timeoutMs: 5_000 });
      const rpc = new RpcClient<EchoApi>({ transport: own, target, timeoutMs: 5_000 });
      const waiting = assert.rejects(rpc.call('hold', { value: 'x' }), MessagingUnavailable);
      await server.receivedCount(1);
      await own.close();
      await waiting;
      await assert.rejects(rpc.call('echo', { value: 'y' }), MessagingUnavailable);
      await assert.rejects(rpc.cast('record', { value: 'y' }), MessagingUnavailable);
      server.release();
      await server.rpc.stop({ timeoutMs: 1_000 });
      await own.close();
    });
  });
}
