// Multi-host mode: `tstack manage db-sync`, `manage bootstrap` and `serve identity` from a
// tstack.conf naming PostgreSQL or MariaDB and RabbitMQ, as one host of a larger cloud runs it.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testDatabaseTargets } from '../../src/common/db/testing.js';
import { freePort, REPO_ROOT } from '../support/cloud.js';
import { issueToken } from '../support/identity-http.js';

const TSTACK = join(REPO_ROOT, 'bin', 'tstack.js');
const RABBIT_URL = process.env.TSTACK_TEST_RABBIT_URL ?? 'rabbit://guest:guest@127.0.0.1:5672/';

async function rabbitProblem(): Promise<string | undefined> {
  const url = new URL(RABBIT_URL.replace(/^rabbit:/, 'http:'));
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port || 5672) });
    socket.setTimeout(2000, () => { socket.destroy(); resolve('connection timed out'); });
    socket.once('connect', () => { socket.end(); resolve(undefined); });
    socket.once('error', (error) => resolve(error.message));
  });
}

const rabbit = await rabbitProblem();

for (const target of (await testDatabaseTargets()).filter((t) => t.dialect !== 'sqlite')) {
  const skip = target.skipReason ?? (rabbit && `RabbitMQ not reachable at ${RABBIT_URL}: ${rabbit}`);
  describe(`tstack serve identity on ${target.dialect} + RabbitMQ`, { skip }, () => {
    const cleanups: (() => Promise<void>)[] = [];
    after(async () => { for (const cleanup of cleanups.reverse()) await cleanup(); });

    it('migrates, bootstraps and serves tokens from the config file', async () => {
      const database = await target.create();
      cleanups.push(database.drop);
      const dataDir = await mkdtemp(join(tmpdir(), 'tstack-serve-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const port = await freePort();
      const config = join(dataDir, 'tstack.conf');
      await writeFile(config, [
        '[DEFAULT]', `data_dir = ${dataDir}`, `transport_url = ${RABBIT_URL}`, '',
        '[identity]', `port = ${port}`, `connection = ${database.url}`, 'password_hash_cost = 10', '',
      ].join('\n'));

      const manage = (...args: string[]) => promisify(execFile)(process.execPath, [TSTACK, 'manage', ...args, '--config', config]);
      assert.match((await manage('db-sync', 'identity')).stdout, /applied 001_resource_initial/);
      assert.match((await manage('db-sync', 'identity')).stdout, /up to date/);
      await manage('bootstrap', '--bootstrap-password', 'multi-host-pw');

      const server = spawn(process.execPath, [TSTACK, 'serve', 'identity', '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
      cleanups.push(async () => { if (server.exitCode === null) { server.kill('SIGKILL'); await exited; } });
      await new Promise<void>((resolve, reject) => {
        let output = '';
        server.stdout.on('data', (chunk: Buffer) => { output += chunk; if (output.includes('tstack serving identity')) resolve(); });
        server.stderr.on('data', (chunk: Buffer) => { output += chunk; });
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${output.slice(-2000)}`)));
      });

      const token = await issueToken(`http://127.0.0.1:${port}/v3`, { username: 'admin', password: 'multi-host-pw', domainName: 'Default', projectName: 'admin' });
      assert.ok(token.startsWith('gAAAAA'), 'a Fernet token');

      server.kill('SIGTERM');
      assert.equal(await exited, 0, 'SIGTERM stops the service cleanly');
    });
  });
}
