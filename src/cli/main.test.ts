// The `tstack` command as a user meets it: help per command with flags, defaults and
// environment overrides; one plain line for a usage mistake; a busy port named with the
// option to change, before anything starts.

import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { SERVICES } from '../services.js';
import type { CliIo } from './cli-io.js';
import { main } from './main.js';

interface Run { code: number; stdout: string; stderr: string }

async function run(argv: string[], env: Record<string, string> = {}): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  const io: CliIo = { stdout, stderr, env, services: SERVICES, waitForStop: () => Promise.resolve() };
  const code = await main(argv, io);
  return { code, stdout: out, stderr: err };
}

async function listen(port = 0): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(port, '127.0.0.1', () => resolve(server));
  });
}

function portOf(server: Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

async function isFree(port: number): Promise<boolean> {
  try {
    const server = await listen(port);
    await new Promise((resolve) => server.close(resolve));
    return true;
  } catch {
    return false;
  }
}

describe('tstack --help', () => {
  it('up --help lists its flags, the default data dir, bind address, every port and its overrides', async () => {
    const { code, stdout } = await run(['up', '--help']);
    assert.equal(code, 0);
    for (const expected of [
      /--data-dir <dir>/, /default: \.tstack; env TSTACK_DEFAULT__DATA_DIR/, /--bind <host>/, /default: 127\.0\.0\.1; env\s+TSTACK_DEFAULT__BIND_HOST/,
      /--config <file>/, /TSTACK_CONFIG/, /--debug/,
      /identity\s+5000\s+TSTACK_IDENTITY__PORT\s+\[identity\] port/, /image\s+9292\s+TSTACK_IMAGE__PORT\s+\[image\] port/,
      /log_format = auto\|text\|json/,
    ]) assert.match(stdout, expected);
    assert.doesNotMatch(stdout, /--bootstrap-password|--show-secrets/, 'only the flags of up');
  });

  it('each command has its own help', async () => {
    const serve = await run(['serve', '--help']);
    assert.match(serve.stdout, /Usage: tstack serve \[options\] <service>/);
    assert.match(serve.stdout, /choices: "identity", "image"/);
    assert.match(serve.stdout, /auth_url/);
    const bootstrap = await run(['manage', 'bootstrap', '--help']);
    assert.match(bootstrap.stdout, /--bootstrap-password <password>/);
    assert.match(bootstrap.stdout, /TSTACK_IDENTITY__BOOTSTRAP_PASSWORD/);
    assert.doesNotMatch(bootstrap.stdout, /--bind/);
    const show = await run(['config', 'show', '--help']);
    assert.match(show.stdout, /--show-secrets/);
    const top = await run(['--help']);
    for (const command of ['up', 'serve', 'manage', 'config', 'policy']) assert.match(top.stdout, new RegExp(`^  ${command} `, 'm'));
  });

  it('no command prints the overview and exits 2', async () => {
    const { code, stderr } = await run([]);
    assert.equal(code, 2);
    assert.match(stderr, /Usage: tstack/);
  });
});

describe('tstack usage errors', () => {
  it('an unknown flag is one plain line naming the help to read, exit 2', async () => {
    const { code, stdout, stderr } = await run(['up', '--foo']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.equal(stderr, "tstack: unknown option '--foo' (see tstack up --help)\n");
  });

  it('a near miss suggests the flag, still on one line', async () => {
    const { code, stderr } = await run(['manage', 'db-sync', '--data-dri', 'x']);
    assert.equal(code, 2);
    assert.equal(stderr.split('\n').length, 2);
    assert.match(stderr, /^tstack: unknown option '--data-dri' \(Did you mean --data-dir\?\) \(see tstack manage db-sync --help\)$/m);
  });

  it('an unknown service or command is refused the same way', async () => {
    const serve = await run(['serve', 'nova']);
    assert.equal(serve.code, 2);
    assert.match(serve.stderr, /^tstack: .*'nova'.*Allowed choices are identity, image.*\(see tstack serve --help\)\n$/);
    const unknown = await run(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "tstack: unknown command 'frobnicate' (see tstack --help)\n");
  });
});

describe('tstack with a busy port', () => {
  const dirs: string[] = [];
  after(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

  for (const busy of ['identity', 'image'] as const) {
    it(`up names the ${busy} port and its option, and starts nothing`, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'tstack-busy-'));
      dirs.push(dataDir);
      const blocker = await listen();
      const other = await listen();
      const otherPort = portOf(other);
      await new Promise((resolve) => other.close(resolve));
      const ports = busy === 'identity' ? { identity: portOf(blocker), image: otherPort } : { identity: otherPort, image: portOf(blocker) };
      try {
        const { code, stdout, stderr } = await run(['up', '--data-dir', dataDir], {
          TSTACK_IDENTITY__PORT: String(ports.identity), TSTACK_IMAGE__PORT: String(ports.image),
        });
        const upper = busy.toUpperCase();
        assert.equal(stderr, `tstack: ${busy} port ${ports[busy]} is in use: set [${busy}] port or TSTACK_${upper}__PORT\n`);
        assert.equal(code, 1);
        assert.equal(stdout, '', 'no progress line: nothing started');
        assert.deepEqual(readdirSync(dataDir), [], 'no database, key or credential was created');
        assert.ok(await isFree(busy === 'identity' ? ports.image : ports.identity), 'the other service does not listen');
      } finally {
        await new Promise((resolve) => blocker.close(resolve));
      }
    });
  }

  it('serve names the port of the one service it runs', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tstack-busy-'));
    dirs.push(dataDir);
    const blocker = await listen();
    try {
      const { code, stderr } = await run(['serve', 'identity', '--data-dir', dataDir], { TSTACK_IDENTITY__PORT: String(portOf(blocker)) });
      assert.equal(code, 1);
      assert.equal(stderr, `tstack: identity port ${portOf(blocker)} is in use: set [identity] port or TSTACK_IDENTITY__PORT\n`);
      assert.ok(!existsSync(join(dataDir, 'identity.db')));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('two services given the same port are refused before either starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tstack-busy-'));
    dirs.push(dataDir);
    const free = await listen();
    const port = portOf(free);
    await new Promise((resolve) => free.close(resolve));
    const { code, stderr } = await run(['up', '--data-dir', dataDir], { TSTACK_IDENTITY__PORT: String(port), TSTACK_IMAGE__PORT: String(port) });
    assert.equal(code, 1);
    assert.equal(stderr, `tstack: image port ${port} is in use: set [image] port or TSTACK_IMAGE__PORT\n`);
  });
});

describe('tstack policy and config samples', () => {
  it('policy sample works for every service with policies', async () => {
    for (const service of SERVICES.all.filter((s) => s.policies.length > 0)) {
      const { code, stdout } = await run(['policy', 'sample', service.name]);
      assert.equal(code, 0);
      for (const rule of service.policies) assert.ok(stdout.includes(`#"${rule.name}":`), `${service.name}: ${rule.name}`);
    }
  });

  it('config sample has every option group, periodic intervals and log options included', async () => {
    const { stdout } = await run(['config', 'sample']);
    for (const pattern of [/^\[DEFAULT\]$/m, /^\[identity\]$/m, /^\[image\]$/m, /^#log_format = auto$/m, /^#revocation_prune_interval = 3600$/m, /^#task_cleanup_interval = 3600$/m]) {
      assert.match(stdout, pattern);
    }
  });

  it('config show applies environment overrides', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tstack-show-'));
    try {
      const { code, stdout } = await run(['config', 'show', '--data-dir', dataDir], { TSTACK_DEFAULT__LOG_FORMAT: 'json' });
      assert.equal(code, 0);
      assert.match(stdout, /^log_format = json$/m);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
