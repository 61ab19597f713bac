// Multi-host mode: `tstack manage db-sync`, `manage bootstrap` and `serve identity|image` from
// tstack.conf files naming PostgreSQL or MariaDB and RabbitMQ, as the hosts of a larger cloud
// run them; the image service validates tokens against the identity service over REST.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testDatabaseTargets } from '../../src/common/db/testing.js';
import { freePort, REPO_ROOT } from '../support/cloud.js';
import { issueToken, request } from '../support/identity-http.js';

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

/** Starts `tstack serve <service>` and resolves once it says it is serving. */
async function serve(service: string, config: string): Promise<{ stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [TSTACK, 'serve', service, '--config', config], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => { output += chunk; if (output.includes(`tstack serving ${service}`)) resolve(); });
    child.stderr.on('data', (chunk: Buffer) => { output += chunk; });
    void exited.then((code) => reject(new Error(`serve ${service} exited with ${code}: ${output.slice(-2000)}`)));
  });
  return {
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

const rabbit = await rabbitProblem();

for (const target of (await testDatabaseTargets()).filter((t) => t.dialect !== 'sqlite')) {
  const skip = target.skipReason ?? (rabbit && `RabbitMQ not reachable at ${RABBIT_URL}: ${rabbit}`);
  describe(`tstack serve identity and image on ${target.dialect} + RabbitMQ`, { skip }, () => {
    const cleanups: (() => Promise<unknown>)[] = [];
    after(async () => { for (const cleanup of cleanups.reverse()) await cleanup(); });
    let authUrl = '';
    let dataDir = '';

    it('identity: migrates, bootstraps and serves tokens from the config file', async () => {
      const database = await target.create();
      cleanups.push(database.drop);
      dataDir = await mkdtemp(join(tmpdir(), 'tstack-serve-'));
      cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
      const port = await freePort();
      authUrl = `http://127.0.0.1:${port}/v3`;
      const config = join(dataDir, 'identity.conf');
      await writeFile(config, [
        '[DEFAULT]', `data_dir = ${dataDir}`, `transport_url = ${RABBIT_URL}`, '',
        '[identity]', `port = ${port}`, `connection = ${database.url}`, 'password_hash_cost = 10', '',
      ].join('\n'));

      const manage = (...args: string[]) => promisify(execFile)(process.execPath, [TSTACK, 'manage', ...args, '--config', config]);
      assert.match((await manage('db-sync', 'identity')).stdout, /applied 001_resource_initial/);
      assert.match((await manage('db-sync', 'identity')).stdout, /up to date/);
      await manage('bootstrap', '--bootstrap-password', 'multi-host-pw');

      const server = await serve('identity', config);
      cleanups.push(server.stop);
      const token = await issueToken(authUrl, { username: 'admin', password: 'multi-host-pw', domainName: 'Default', projectName: 'admin' });
      assert.ok(token.startsWith('gAAAAA'), 'a Fernet token');
    });

    it('image: validates tokens with that identity service and stores image data', async () => {
      assert.ok(authUrl, 'the identity host runs');
      const admin = await issueToken(authUrl, { username: 'admin', password: 'multi-host-pw', domainName: 'Default', projectName: 'admin' });
      // What an operator does for a new service host: a service user with the service role.
      const user = (await request(`${authUrl}/users`, { method: 'POST', token: admin, body: { user: { name: 'glance', password: 'glance-pw' } } })).json as { user: { id: string } };
      const project = ((await request(`${authUrl}/projects?name=service`, { token: admin })).json as { projects: { id: string }[] }).projects[0]!;
      const role = ((await request(`${authUrl}/roles?name=service`, { token: admin })).json as { roles: { id: string }[] }).roles[0]!;
      assert.equal((await request(`${authUrl}/projects/${project.id}/users/${user.user.id}/roles/${role.id}`, { method: 'PUT', token: admin })).status, 204);

      const database = await target.create();
      cleanups.push(database.drop);
      const port = await freePort();
      const config = join(dataDir, 'image.conf');
      await writeFile(config, [
        '[DEFAULT]', `data_dir = ${dataDir}`, '',
        '[image]', `port = ${port}`, `connection = ${database.url}`, `auth_url = ${authUrl}`, 'service_password = glance-pw', '',
      ].join('\n'));
      const server = await serve('image', config);
      cleanups.push(server.stop);

      const imageUrl = `http://127.0.0.1:${port}`;
      const created = await request(`${imageUrl}/v2/images`, { method: 'POST', token: admin, body: { name: 'multi', disk_format: 'raw', container_format: 'bare' } });
      assert.equal(created.status, 201, created.text);
      const id = (created.json as { id: string }).id;
      const data = randomBytes(256 * 1024);
      const upload = await fetch(`${imageUrl}/v2/images/${id}/file`, { method: 'PUT', headers: { 'x-auth-token': admin, 'content-type': 'application/octet-stream' }, body: data });
      assert.equal(upload.status, 204);
      const shown = (await request(`${imageUrl}/v2/images/${id}`, { token: admin })).json as { status: string; checksum: string };
      assert.equal(shown.status, 'active');
      assert.equal(shown.checksum, createHash('md5').update(data).digest('hex'));
      const download = Buffer.from(await (await fetch(`${imageUrl}/v2/images/${id}/file`, { headers: { 'x-auth-token': admin } })).arrayBuffer());
      assert.ok(download.equals(data), 'downloaded bytes equal the upload');
      assert.equal((await request(`${imageUrl}/v2/images`, { token: 'not-a-token' })).status, 401);
      assert.equal(await server.stop(), 0, 'SIGTERM stops the service cleanly');
    });
  });
}
