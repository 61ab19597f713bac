// Runs the transport contract against RabbitMQ, plus what only a real broker shows: separate
// connections, an unreachable broker, connection loss and recovery. Needs a broker at
// TSTACK_TEST_RABBIT_URL (default rabbit://guest:guest@127.0.0.1:5672/); skipped otherwise.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, connect as connectTcp } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { after, before, describe, it, test } from 'node:test';
import { connect } from 'amqplib';
import { MessagingTimeout, MessagingUnavailable } from '../errors.js';
import { RpcClient } from '../rpc-client.js';
import { EchoServer, transportContract } from '../transport.contract.js';
import type { EchoApi } from '../transport.contract.js';
import { RabbitTransport } from './rabbit-transport.js';
import type { RabbitTransportOptions } from './rabbit-transport.js';
import { parseRabbitUrl } from './rabbit-url.js';
import type { RabbitUrl } from './rabbit-url.js';

const url = process.env['TSTACK_TEST_RABBIT_URL'] ?? 'rabbit://guest:guest@127.0.0.1:5672/';
// A fresh exchange per run, and auto-delete queues, keep parallel runs apart and the broker clean.
const controlExchange = `tstack-test-${randomUUID()}`;

function rabbit(overrides: Partial<RabbitTransportOptions> = {}): RabbitTransport {
  return new RabbitTransport({ url, controlExchange, autoDelete: true, ioTimeoutMs: 5_000, connectTimeoutMs: 2_000, ...overrides });
}

const unreachable = await probe(parseRabbitUrl(url));

if (unreachable !== null) {
  test('RabbitMQ transport', (t) => {
    t.skip(`RabbitMQ not reachable at ${url.replace(/:[^:@/]*@/, ':***@')}: ${unreachable}`);
  });
} else {
  transportContract('RabbitMQ', () => rabbit());

  describe('RabbitMQ transport', () => {
    const closing: (() => Promise<void>)[] = [];
    after(async () => {
      for (const close of closing.reverse()) await close();
    });

    function track<T extends { close(): Promise<void> }>(closable: T): T {
      closing.push(() => closable.close());
      return closable;
    }

    it('serves a client on another connection', async () => {
      const [serverSide, clientSide] = [track(rabbit()), track(rabbit())];
      const target = { topic: `separate-${randomUUID()}` };
      const server = new EchoServer(serverSide, target, 'host-a');
      await server.rpc.start();
      const result = await new RpcClient<EchoApi>({ transport: clientSide, target }).call('echo', { value: 'across' });
      assert.equal(result.server, 'host-a');
      await server.rpc.stop();
    });

    it('fails fast with MessagingUnavailable when no broker listens', async () => {
      const transport = track(rabbit({ url: 'rabbit://guest:guest@127.0.0.1:1/' }));
      const client = new RpcClient<EchoApi>({ transport, target: { topic: 'nowhere' }, timeoutMs: 5_000 });
      const started = Date.now();
      await assert.rejects(client.call('echo', { value: 'x' }), (error: unknown) => {
        assert.ok(error instanceof MessagingUnavailable);
        assert.match(error.message, /127\.0\.0\.1:1/);
        assert.doesNotMatch(error.message, /guest:guest/);
        return true;
      });
      await assert.rejects(client.cast('record', { value: 'x' }), MessagingUnavailable);
      assert.ok(Date.now() - started < 4_000);
    });

    describe('through a connection that drops', () => {
      let proxy: TcpProxy;
      before(async () => {
        const { hosts } = parseRabbitUrl(url);
        const host = hosts[0];
        assert.ok(host !== undefined);
        proxy = await TcpProxy.start(host.hostname, host.port);
        closing.push(() => proxy.close());
      });

      it('fails a call in flight with MessagingUnavailable, then reconnects on the next call', async () => {
        const target = { topic: `drop-client-${randomUUID()}` };
        const server = new EchoServer(track(rabbit()), target, 'host-a');
        await server.rpc.start();
        const clientSide = track(rabbit({ url: proxy.url(url) }));
        const client = new RpcClient<EchoApi>({ transport: clientSide, target, timeoutMs: 5_000 });
        assert.equal((await client.call('echo', { value: 'before' })).value, 'before');
        const inFlight = client.call('hold', { value: 'during' });
        await server.receivedCount(2);
        const started = Date.now();
        proxy.dropAll();
        await assert.rejects(inFlight, (error: unknown) => {
          assert.ok(error instanceof MessagingUnavailable);
          assert.match(error.message, /Lost the connection to RabbitMQ.*'hold'/);
          return true;
        });
        assert.ok(Date.now() - started < 2_000);
        server.release();
        assert.equal((await client.call('echo', { value: 'after' })).value, 'after');
        await server.rpc.stop();
      });

      it('re-subscribes a server once the broker is back', async () => {
        const target = { topic: `drop-server-${randomUUID()}` };
        const server = new EchoServer(track(rabbit({ url: proxy.url(url) })), target, 'host-a');
        await server.rpc.start();
        const client = new RpcClient<EchoApi>({ transport: track(rabbit()), target, timeoutMs: 300 });
        assert.equal((await client.call('echo', { value: 'before' })).value, 'before');
        proxy.dropAll();
        const deadline = Date.now() + 10_000;
        let answer: string | null = null;
        while (answer === null && Date.now() < deadline) {
          answer = await client.call('echo', { value: 'after' }).then((result) => result.value, (error: unknown) => {
            assert.ok(error instanceof MessagingTimeout, String(error));
            return null;
          });
        }
        assert.equal(answer, 'after');
        await server.rpc.stop();
      });
    });

    it('lets the broker delete a pool queue left without a consumer for idleExpiryMs', async () => {
      // Queues that outlive their consumer (no auto-delete), as in a deployment.
      const transport = track(rabbit({ autoDelete: false }));
      const pool = `expiring-${randomUUID()}`;
      const subscription = await transport.listenForNotifications({ targets: [{ topic: `expiry-${randomUUID()}` }], priorities: ['info'], pool, idleExpiryMs: 300 }, async () => {});
      const host = parseRabbitUrl(url);
      const model = await connect({ ...host.hosts[0]!, vhost: host.vhost }, { timeout: 2_000 });
      try {
        const channel = await model.createChannel();
        assert.equal((await channel.checkQueue(pool)).queue, pool);
        await subscription.stop();
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        const gone = await model.createChannel();
        gone.on('error', () => undefined); // the 404 below also closes the channel with an 'error' event
        await assert.rejects(gone.checkQueue(pool), /NOT_FOUND/);
      } finally {
        await model.close().catch(() => undefined); // the channel the 404 closed is gone already
      }
    });
  });
}

/** Null when a broker answers at `target`, else why not. */
async function probe(target: RabbitUrl): Promise<string | null> {
  const host = target.hosts[0];
  if (host === undefined) return 'no host in URL';
  try {
    const model = await connect({ ...host, vhost: target.vhost }, { timeout: 2_000 });
    await model.close();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Forwards TCP to the broker and can cut every connection at once, as a failing network would. */
class TcpProxy {
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  static async start(host: string, port: number): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server);
    server.on('connection', (client) => {
      const upstream = connectTcp(port, host);
      for (const [from, to] of [[client, upstream], [upstream, client]] as const) {
        proxy.sockets.add(from);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          proxy.sockets.delete(from);
          to.destroy();
        });
        from.pipe(to);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  /** `url` with its host replaced by this proxy. */
  url(original: string): string {
    const { port } = this.server.address() as AddressInfo;
    return original.replace(/@[^/,]*/, `@127.0.0.1:${port}`);
  }

  dropAll(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
