// Adding a service is its folder plus one line in src/services.ts: a tiny example service,
// declared here through the kit exactly as a service folder's service.ts would, is added to
// the list and run by `tstack up` in-process. Up migrates its database, creates its service
// user, puts it in the catalog, starts it (tokens validated by the identity service over REST),
// health-checks it and runs its periodic task; config sample, policy sample and db-sync know it.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { requireAuth, policyCredentials } from '../common/auth/index.js';
import { defineGroup, intOpt } from '../common/config/index.js';
import { keystoneErrorBody } from '../common/http/index.js';
import { defineService, serviceOptions, serviceUserFromOptions, serviceUserOptions } from '../common/service/index.js';
import type { ServiceContext } from '../common/service/index.js';
import { SERVICES } from '../services.js';
import type { ServiceList } from '../services.js';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

// ---- what src/example/config.ts and src/example/service.ts would hold -------------------
const exampleOptions = defineGroup('example', {
  ...serviceOptions({ port: 8999, label: 'example', tokenCacheSeconds: 0 }),
  ...serviceUserOptions({ username: 'exemplar', label: 'example' }),
  tick_interval: intOpt({ default: 60, min: 0, help: 'Seconds between two ticks of the example periodic task; 0 disables it.' }),
});

interface ExampleTables {
  example_note: { id: number; text: string };
}

const exampleService = defineService({
  name: 'example',
  catalog: { type: 'example', name: 'exemplar', pathSuffix: '/v1' },
  options: exampleOptions,
  migrations: [{
    name: '001_example_initial',
    up: async (db) => {
      await db.schema.createTable('example_note').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('text', 'text', (c) => c.notNull()).execute();
    },
  }],
  policies: [{ name: 'example:list_notes', checkStr: 'role:reader', description: 'List the notes.', operations: [{ method: 'GET', path: '/v1/notes' }] }],
  renderError: keystoneErrorBody,
  isPublic: (request) => request.url === '/',
  healthPath: '/',
  serviceUser: serviceUserFromOptions,
  create: async (ctx: ServiceContext<typeof exampleOptions, ExampleTables>) => {
    let ticks = 0;
    ctx.app.get('/', async () => ({ version: 'v1' }));
    ctx.app.get('/v1/notes', async (request) => {
      ctx.enforcer.authorize('example:list_notes', {}, policyCredentials(requireAuth(request)));
      return { notes: await ctx.database.db.selectFrom('example_note').selectAll().execute(), ticks };
    });
    return {
      api: {},
      periodicTasks: [{
        name: 'tick', intervalSeconds: ctx.config.tick_interval,
        run: async () => {
          ticks++;
          await ctx.database.db.insertInto('example_note').values({ id: ticks, text: `tick ${ticks}` }).execute();
        },
      }],
    };
  },
});
// ---- and the one line in src/services.ts ------------------------------------------------
const services: ServiceList = { identity: SERVICES.identity, all: [...SERVICES.all, exampleService] };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function capture(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => { text += chunk.toString(); });
  return { stream, text: () => text };
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a new service added to the list', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tstack-example-'));
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  function io(env: Record<string, string>, stop: Promise<void> = Promise.resolve()) {
    const stdout = capture();
    const stderr = capture();
    const cli: CliIo = { stdout: stdout.stream, stderr: stderr.stream, env, services, waitForStop: () => stop };
    return { cli, stdout: stdout.text, stderr: stderr.text };
  }

  it('is started, registered, authenticated, health-checked and scheduled by tstack up', async () => {
    const [identityPort, imagePort, examplePort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      TSTACK_IDENTITY__PORT: String(identityPort), TSTACK_IMAGE__PORT: String(imagePort), TSTACK_EXAMPLE__PORT: String(examplePort),
      TSTACK_IDENTITY__PASSWORD_HASH_COST: '10', TSTACK_EXAMPLE__TICK_INTERVAL: '1', TSTACK_DEFAULT__LOG_LEVEL: 'warn',
    };
    let stop = (): void => {};
    const up = io(env, new Promise<void>((resolve) => { stop = resolve; }));
    const exit = main(['up', '--data-dir', dataDir], up.cli);
    try {
      await until('tstack ready', () => (up.stdout().includes('tstack ready') ? true : undefined));
      const lines = up.stdout();
      assert.match(lines, /^example: database created \(1 migrations\)$/m);
      assert.match(lines, /^identity: service user exemplar ready$/m);
      assert.match(lines, new RegExp(`^example: listening on http://127.0.0.1:${examplePort}/v1$`, 'm'));
      assert.match(lines, new RegExp(`tstack ready: .*example http://127.0.0.1:${examplePort}/v1`));

      const identityUrl = `http://127.0.0.1:${identityPort}/v3`;
      assert.match(lines, /^identity: admin user admin bootstrapped in project admin/m);
      const password = readFileSync(join(dataDir, 'admin-password'), 'utf8').trim();
      const auth = await fetch(`${identityUrl}/auth/tokens`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password } } }, scope: { project: { name: 'admin', domain: { id: 'default' } } } } }),
      });
      assert.equal(auth.status, 201);
      const token = auth.headers.get('x-subject-token') ?? '';
      const catalog = ((await auth.json()) as { token: { catalog: { type: string; name: string; endpoints: { url: string }[] }[] } }).token.catalog;
      const entry = catalog.find((service) => service.type === 'example');
      assert.equal(entry?.name, 'exemplar');
      assert.deepEqual(entry?.endpoints.map((e) => e.url), Array(3).fill(`http://127.0.0.1:${examplePort}/v1`));

      const notesUrl = `http://127.0.0.1:${examplePort}/v1/notes`;
      const refused = await fetch(notesUrl);
      assert.equal(refused.status, 401);
      assert.equal(((await refused.json()) as { error: { code: number } }).error.code, 401, 'rendered by the service\'s error renderer');
      assert.equal((await fetch(notesUrl, { headers: { 'x-auth-token': 'not-a-token' } })).status, 401);
      const ticked = await until('a periodic tick', async () => {
        const reply = await fetch(notesUrl, { headers: { 'x-auth-token': token } });
        assert.equal(reply.status, 200, 'the admin token is validated by the identity service');
        const body = (await reply.json()) as { notes: { text: string }[]; ticks: number };
        return body.ticks > 0 ? body : undefined;
      }, 10_000);
      assert.equal(ticked.notes[0]?.text, 'tick 1');
    } finally {
      stop();
    }
    assert.equal(await exit, 0);
    assert.match(up.stdout(), /tstack: stopping/);

    const sample = io(env);
    assert.equal(await main(['config', 'sample'], sample.cli), 0);
    assert.match(sample.stdout(), /^\[example\]$/m);
    assert.match(sample.stdout(), /^#tick_interval = 60$/m);
    const policy = io(env);
    assert.equal(await main(['policy', 'sample', 'example'], policy.cli), 0);
    assert.match(policy.stdout(), /^#"example:list_notes": "role:reader"$/m);
    const sync = io(env);
    assert.equal(await main(['manage', 'db-sync', 'example', '--data-dir', dataDir], sync.cli), 0);
    assert.equal(sync.stdout(), 'example: database is up to date\n');
    const help = io(env);
    assert.equal(await main(['up', '--help'], help.cli), 0);
    assert.match(help.stdout(), /example\s+8999\s+TSTACK_EXAMPLE__PORT\s+\[example\] port/);
  });
});
