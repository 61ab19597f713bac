// Shows that a typed API map binds client and server together at compile time: the lines
// marked @ts-expect-error must fail to compile, and the test compiles this file to prove it.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InProcessTransport } from './in-process/index.js';
import type { RpcEndpoints, RpcMethod } from './rpc-api.js';
import { RpcClient } from './rpc-client.js';
import { RpcServer } from './rpc-server.js';

interface ConductorApi {
  build_instances: RpcMethod<{ readonly instance_uuids: readonly string[] }, null>;
  ping: RpcMethod<{ readonly value: string }, { readonly value: string }>;
}

class ConductorManager implements RpcEndpoints<ConductorApi> {
  readonly built: string[] = [];

  async build_instances(_context: object, args: { readonly instance_uuids: readonly string[] }): Promise<null> {
    this.built.push(...args.instance_uuids);
    return null;
  }

  ping(_context: object, args: { readonly value: string }): { readonly value: string } {
    return { value: args.value };
  }
}

it('a client and a server share one typed API map', async () => {
  const transport = new InProcessTransport();
  const target = { topic: 'conductor', server: 'host-1' };
  const manager = new ConductorManager();
  const server = new RpcServer<ConductorApi>({ transport, target, endpoints: manager });
  await server.start();
  const client = new RpcClient<ConductorApi>({ transport, target: { topic: 'conductor' } });
  const pong: { readonly value: string } = await client.call('ping', { value: 'x' });
  assert.deepEqual(pong, { value: 'x' });
  assert.equal(await client.call('build_instances', { instance_uuids: ['i-1'] }), null);
  assert.deepEqual(manager.built, ['i-1']);
  await server.stop();
  await transport.close();
});

/** Never run: each marked line must be a compile error, which the next test checks. */
export function compileErrors(client: RpcClient<ConductorApi>, transport: InProcessTransport): void {
  // @ts-expect-error a method the API does not have, e.g. after a rename
  void client.call('build_instance', { instance_uuids: [] });
  // @ts-expect-error an argument the method does not take
  void client.call('ping', { valu: 'x' });
  // @ts-expect-error a result read as the wrong type
  void client.call('ping', { value: 'x' }).then((result: { count: number }) => result);
  // @ts-expect-error casts are checked the same way
  void client.cast('pingg', { value: 'x' });
  const target = { topic: 'conductor' };
  // @ts-expect-error endpoints missing a method of the API
  void new RpcServer<ConductorApi>({ transport, target, endpoints: { ping: (_context, args) => args } });
  void new RpcServer<ConductorApi>({
    transport,
    target,
    endpoints: {
      ping: (_context, args) => args,
      // @ts-expect-error an endpoint returning the wrong type
      build_instances: () => 'built',
    },
  });
}

it('a renamed method or argument fails to compile on both sides', { timeout: 60_000 }, async () => {
  const require = createRequire(import.meta.url);
  const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
  const root = dirname(require.resolve('typescript/package.json')).replace(/\/node_modules\/typescript$/, '');
  const directory = await mkdtemp(join(tmpdir(), 'tstack-rpc-api-'));
  try {
    const config = {
      extends: join(root, 'tsconfig.json'),
      compilerOptions: { noEmit: true, rootDir: join(root, 'src'), typeRoots: [join(root, 'node_modules', '@types')] },
      files: [fileURLToPath(import.meta.url)],
      include: [],
    };
    await writeFile(join(directory, 'tsconfig.json'), JSON.stringify(config));
    const compiled = await promisify(execFile)(process.execPath, [tsc, '-p', directory]).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    assert.equal(compiled, '', compiled);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
