// The service kit on a tiny service declared in this file: database opened and migrated,
// policy file applied and its problems logged, auth hook with the service's error body,
// periodic tasks started by listen and stopped by close, ports, service-user checks.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { policyCredentials, requireAuth } from '../auth/index.js';
import type { TokenValidator, ValidatedToken } from '../auth/index.js';
import { defineGroup, loadConfig } from '../config/index.js';
import type { ConfigOverrides } from '../config/index.js';
import { Unauthorized } from '../errors/index.js';
import { createLogger } from '../log/index.js';
import { InProcessTransport } from '../messaging/index.js';
import { PortInUse } from './port-check.js';
import { serviceOptions, serviceUserFromOptions, serviceUserOptions } from './service-options.js';
import { defineService, startService } from './start-service.js';
import type { ServiceContext } from './service-definition.js';

const toyOptions = defineGroup('toy', { ...serviceOptions({ port: 0, label: 'toy', tokenCacheSeconds: 0 }) });
const toyUserOptions = defineGroup('toyuser', { ...serviceOptions({ port: 0, label: 'toy', tokenCacheSeconds: 0 }), ...serviceUserOptions({ username: 'toy', label: 'toy' }) });

interface ToyTables { toy_item: { name: string } }

function toyService(runs: { count: number; aborted: number }) {
  return defineService({
    name: 'toy',
    catalog: { type: 'toy', name: 'toybox', pathSuffix: '/v1' },
    options: toyOptions,
    migrations: [
      { name: '001_items', up: async (db) => { await db.schema.createTable('toy_item').addColumn('name', 'text').execute(); } },
      { name: '002_seed', up: async (db) => { await db.schema.createIndex('toy_item_name').on('toy_item').column('name').execute(); } },
    ],
    policies: [{ name: 'toy:list', checkStr: 'role:reader', description: 'List items.' }],
    renderError: (error) => ({ body: { toyError: { status: error.status, message: error.message } } }),
    isPublic: (request) => request.url === '/',
    healthPath: '/',
    create: async (ctx: ServiceContext<typeof toyOptions, ToyTables>) => {
      ctx.progress('toy built');
      ctx.app.get('/', async () => ({ ok: true }));
      ctx.app.get('/v1/items', async (request) => {
        ctx.enforcer.authorize('toy:list', {}, policyCredentials(requireAuth(request)));
        return { items: await ctx.database.db.selectFrom('toy_item').selectAll().execute() };
      });
      return {
        api: { greeting: 'hello' },
        periodicTasks: [{
          name: 'count', intervalSeconds: 3600,
          run: async (signal) => {
            runs.count++;
            await new Promise<void>((resolve) => signal.addEventListener('abort', () => { runs.aborted++; resolve(); }));
          },
        }],
      };
    },
  });
}

const validator: TokenValidator = {
  validate: async (token): Promise<ValidatedToken> => {
    if (token !== 'good') throw new Unauthorized();
    return {
      userId: 'u1', userName: 'alice', userDomainId: 'default', userDomainName: 'Default', projectId: 'p1', projectName: 'demo', projectDomainId: 'default',
      roles: ['reader'], isAdminProject: false, auditIds: ['a1'], expiresAt: new Date(Date.now() + 3600_000),
    };
  },
};

function sink() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString())); done(); } });
  return { logger: createLogger({ service: 'toy', level: 'info', format: 'json', destination }), lines };
}

function values<G extends typeof toyOptions | typeof toyUserOptions>(group: G, overrides: ConfigOverrides[string]) {
  return loadConfig({ groups: [group], overrides: { [group.name]: overrides } }).group(group);
}

describe('startService', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tstack-kit-'));
  const transport = new InProcessTransport();
  after(async () => { await transport.close(); rmSync(dir, { recursive: true, force: true }); });

  it('migrates, applies the policy file, authenticates, runs periodic tasks from listen to close', async () => {
    const policyFile = join(dir, 'policy.yaml');
    writeFileSync(policyFile, '"toy:list": "role:admin"\n"toy:broken": "rule:nowhere"\n');
    const runs = { count: 0, aborted: 0 };
    const { logger, lines } = sink();
    const progress: string[] = [];
    const service = toyService(runs);
    const config = values(toyOptions, { policy_file: policyFile });
    const started = await startService(service, { config, dataDir: dir, logger, transport, validator, progress: (m) => progress.push(m), periodic: { random: () => 0 } });
    try {
      assert.deepEqual(progress, ['database created (2 migrations)', 'toy built']);
      assert.deepEqual(started.appliedMigrations, ['001_items', '002_seed']);
      assert.equal(started.api.greeting, 'hello');
      assert.ok(lines.some((l) => l.level === 50 && /policy rule toy:broken/.test(String(l.msg))), 'the broken override is logged');

      const anonymous = await started.app.inject({ method: 'GET', url: '/v1/items' });
      assert.equal(anonymous.statusCode, 401);
      assert.equal(anonymous.json().toyError.status, 401, 'rendered by the service\'s renderer');
      assert.equal((await started.app.inject({ method: 'GET', url: '/' })).statusCode, 200, 'public route');
      const reader = await started.app.inject({ method: 'GET', url: '/v1/items', headers: { 'x-auth-token': 'good' } });
      assert.equal(reader.statusCode, 403, 'policy.yaml made the rule admin-only');

      assert.equal(runs.count, 0, 'periodic tasks wait for listen');
      const address = await started.listen('127.0.0.1');
      assert.match(address, /^http:\/\/127\.0\.0\.1:\d+$/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(runs.count, 1, 'the first run came after random() × interval = 0');
    } finally {
      await started.close();
    }
    assert.equal(runs.aborted, 1, 'close aborted the run in progress and waited for it');

    const again = await startService(service, { config: values(toyOptions, {}), dataDir: dir, logger, transport, validator, progress: (m) => progress.push(m) });
    await again.close();
    assert.equal(progress[2], 'database is up to date');
  });

  it('listen on a busy port throws PortInUse naming the option', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const started = await startService(toyService({ count: 0, aborted: 0 }), { config: values(toyOptions, { port }), dataDir: dir, logger: sink().logger, transport, validator });
    try {
      await assert.rejects(started.listen('127.0.0.1'), (error: unknown) => error instanceof PortInUse && error.message === `toy port ${port} is in use: set [toy] port or TSTACK_TOY__PORT`);
    } finally {
      await started.close();
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a service with a service user needs auth_url and a password', async () => {
    const service = defineService({
      name: 'toyuser', catalog: { type: 'toyuser', name: 'toyuser', pathSuffix: '' }, options: toyUserOptions, migrations: [], policies: [],
      renderError: (error) => ({ body: { message: error.message } }), isPublic: () => false, healthPath: '/', serviceUser: serviceUserFromOptions,
      create: async () => ({ api: {} }),
    });
    await assert.rejects(
      startService(service, { config: values(toyUserOptions, {}), dataDir: dir, logger: sink().logger, transport }),
      /\[toyuser\] auth_url and service_password must be set/,
    );
    const started = await startService(service, {
      config: values(toyUserOptions, {}), dataDir: dir, logger: sink().logger, transport,
      identity: { authUrl: 'http://127.0.0.1:1/v3', servicePassword: 'pw' },
    });
    await started.close();
  });

  it('a service whose create throws fails with that error and can be started again', async () => {
    const working = toyService({ count: 0, aborted: 0 });
    const broken = defineService({ ...working, create: async () => { throw new Error('driver missing'); } });
    const environment = { config: values(toyOptions, {}), dataDir: dir, logger: sink().logger, transport, validator };
    await assert.rejects(startService(broken, environment), /driver missing/);
    const started = await startService(working, environment);
    assert.equal((await started.app.inject({ method: 'GET', url: '/' })).statusCode, 200);
    await started.close();
  });

  it('defineService refuses an option group named differently from the service', () => {
    assert.throws(() => defineService({ ...toyService({ count: 0, aborted: 0 }), name: 'other' }), /option group is named toy/);
  });
});
