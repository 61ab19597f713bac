// When the database goes away, identity answers 503 in Keystone's error body — never a 401 that
// would tell a client its (correct) password is wrong, and never a 500. PostgreSQL is reached
// through a TCP relay the test cuts, so the outage is real: the driver's own connection errors.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../common/config/index.js';
import { testDatabaseTargets } from '../common/db/testing.js';
import { createLogger } from '../common/log/index.js';
import { identityOptions } from './config.js';
import { IdentityService } from './service.js';

const PASSWORD = 'bootstrap-secret';

/** A TCP relay to host:port that can be cut: open sockets destroyed, new ones refused. */
async function relay(host: string, port: number): Promise<{ port: number; cut(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect({ host, port });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => client.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('relay did not bind');
  return {
    port: address.port,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

const postgres = (await testDatabaseTargets()).find((t) => t.dialect === 'postgresql')!;

describe('identity with its database gone', { skip: postgres.skipReason }, () => {
  let service: IdentityService;
  let dataDir: string;
  let drop: () => Promise<void>;
  let cut: () => Promise<void>;

  before(async () => {
    const database = await postgres.create();
    drop = database.drop;
    const url = new URL(database.url);
    const link = await relay(url.hostname, Number(url.port || 5432));
    cut = link.cut;
    url.port = String(link.port);
    dataDir = mkdtempSync(join(tmpdir(), 'tstack-outage-'));
    const config = loadConfig({ groups: [identityOptions], overrides: { identity: { connection: url.toString(), password_hash_cost: 10, token_cache_seconds: 0 } } }).group(identityOptions);
    service = await IdentityService.create({ dataDir, config, logger: createLogger({ service: 'identity', level: 'silent' }) });
    await service.bootstrap({ adminUsername: 'admin', adminPassword: PASSWORD, publicUrl: 'http://127.0.0.1:5000/v3', regionId: 'RegionOne' });
  });

  after(async () => {
    await service?.close().catch(() => undefined); // the pool's sockets are already dead
    rmSync(dataDir, { recursive: true, force: true });
    await drop?.();
  });

  it('answers 503 in its own error body to a correct password, and to a token check', async () => {
    const auth = { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: PASSWORD } } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } };
    const ok = await service.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: auth });
    assert.equal(ok.statusCode, 201, ok.body);
    const token = String(ok.headers['x-subject-token']);

    await cut();
    const issue = await service.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: auth });
    assert.equal(issue.statusCode, 503, issue.body);
    assert.deepEqual(Object.keys(issue.json().error).sort(), ['code', 'message', 'title']);
    assert.equal(issue.json().error.code, 503);
    assert.equal(issue.json().error.title, 'Service Unavailable');
    const list = await service.app.inject({ method: 'GET', url: '/v3/users', headers: { 'x-auth-token': token } });
    assert.equal(list.statusCode, 503, list.body);
    const rescope = await service.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: { auth: { identity: { methods: ['token'], token: { id: token } } } } });
    assert.equal(rescope.statusCode, 503, rescope.body);
  });
});
