// Starts a real `tstack up` cloud in a throw-away data dir for client and conformance tests,
// and runs Debian's `openstack` CLI (python-openstackclient) against it.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOpenrc } from './openrc.js';

/** The repository root (this file is test/support/cloud.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Debian's python-openstackclient; it runs on /usr/bin/python3. */
export const OPENSTACK_BIN = '/usr/bin/openstack';

/** PATH for the Python clients, so a pyenv or virtualenv python3 cannot shadow Debian's. */
export const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';

const READY_MARKER = 'tstack ready';
const TAIL_CHARS = 4000;

export interface StartCloudOptions {
  /** Extra environment for `tstack up` (e.g. `TSTACK_IDENTITY__...` overrides). */
  readonly env?: Readonly<Record<string, string>>;
  /** How long to wait for the `tstack ready` line; default 60 s. */
  readonly readyTimeoutMs?: number;
  /** Bind address; default 127.0.0.1. */
  readonly bind?: string;
  /** Run in this existing data dir (kept by stop()), e.g. to start a cloud a second time. */
  readonly dataDir?: string;
}

export interface Cloud {
  /** The data dir the cloud runs in; removed by stop() unless it was given in the options. */
  readonly dataDir: string;
  /** Identity v3 URL from the openrc, e.g. http://127.0.0.1:PORT/v3. */
  readonly authUrl: string;
  /** The variables exported by DIR/openrc (OS_AUTH_URL, OS_USERNAME, OS_PASSWORD...). */
  readonly env: Readonly<Record<string, string>>;
  /** The port the identity service listens on. */
  readonly port: number;
  /**
   * The port given to the image service (`TSTACK_IMAGE__PORT`): a free one, or the value of
   * `options.env.TSTACK_IMAGE__PORT`. Nothing listens there while `tstack up` runs no image service.
   */
  readonly imagePort: number;
  /** Process id of the `tstack up` child (for /proc/<pid>/status); undefined if spawn failed. */
  readonly pid: number | undefined;
  /** SIGTERM, wait for exit (SIGKILL after 15 s), remove the data dir. Safe to call twice. */
  stop(): Promise<void>;
}

/** A TCP port that was free a moment ago (listen on port 0, read it, close). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolvePort(port) : reject(new Error('no port assigned'))));
    });
  });
}

/** The last `max` characters of a growing log, for error messages. */
class Tail {
  private text = '';
  constructor(private readonly max = TAIL_CHARS) {}
  push(chunk: string): void {
    this.text = (this.text + chunk).slice(-this.max);
  }
  toString(): string {
    return this.text;
  }
}

/** The parent environment minus TSTACK_* and OS_* variables, so each cloud is hermetic. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith('TSTACK_') || key.startsWith('OS_')) continue;
    env[key] = value;
  }
  // Every CLI call authenticates with a password; the production cost (2^16, ~200 ms) would
  // make the suite slow without testing anything more. Tests may set their own.
  env.TSTACK_IDENTITY__PASSWORD_HASH_COST = '12';
  return env;
}

async function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolveExit) => {
    const timer = setTimeout(() => resolveExit(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolveExit(true);
    });
  });
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await waitForExit(child, 15_000))) {
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
  }
}

interface Launch {
  readonly child: ChildProcess;
  readonly stdout: Tail;
  readonly stderr: Tail;
}

/** Resolves once stdout has the ready line; rejects on exit, spawn error or timeout. */
function waitReady(launch: Launch, timeoutMs: number): Promise<void> {
  const { child, stdout, stderr } = launch;
  return new Promise((resolveReady, reject) => {
    let seen = '';
    const fail = (why: string): void => {
      cleanup();
      reject(new Error(`tstack up ${why}\n--- stderr (tail) ---\n${stderr}\n--- stdout (tail) ---\n${stdout}`));
    };
    const onData = (chunk: Buffer): void => {
      seen = (seen + chunk.toString()).slice(-1000);
      if (seen.includes(READY_MARKER)) {
        cleanup();
        resolveReady();
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      fail(`exited before it was ready (code ${code}, signal ${signal})`);
    const onError = (error: Error): void => fail(`could not be started: ${error.message}`);
    const timer = setTimeout(() => fail(`printed no "${READY_MARKER}" line within ${timeoutMs / 1000} s`), timeoutMs);
    function cleanup(): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

interface Ports {
  readonly identity: number;
  readonly image: number;
}

function launch(dataDir: string, ports: Ports, options: StartCloudOptions): Launch {
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'tstack.js'), 'up', '--data-dir', dataDir, '--bind', options.bind ?? '127.0.0.1'],
    {
      cwd: REPO_ROOT,
      env: {
        ...cleanEnv(),
        ...options.env,
        TSTACK_IDENTITY__PORT: String(ports.identity),
        TSTACK_IMAGE__PORT: String(ports.image),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const stdout = new Tail();
  const stderr = new Tail();
  child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return { child, stdout, stderr };
}

/** The image port asked for in options.env, else a free port other than the identity one. */
async function imagePortFor(options: StartCloudOptions, host: string, identityPort: number): Promise<number> {
  const wanted = Number(options.env?.TSTACK_IMAGE__PORT);
  if (Number.isInteger(wanted) && wanted > 0) return wanted;
  for (;;) {
    const port = await freePort(host);
    if (port !== identityPort) return port;
  }
}

/**
 * Starts `node bin/tstack.js up` on a fresh temporary data dir and free loopback ports
 * (identity, and `TSTACK_IMAGE__PORT` for the image service),
 * waits for its `tstack ready` line and reads the openrc it wrote. Needs a built dist/
 * (`npm run build`). Throws with the tail of the process's stderr when it fails to start.
 */
export async function startCloud(options: StartCloudOptions = {}): Promise<Cloud> {
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error(`${REPO_ROOT}/dist is missing: run \`npm run build\` first`);
  }
  const dataDir = options.dataDir ?? await mkdtemp(join(tmpdir(), 'tstack-test-'));
  const removeDataDir = options.dataDir === undefined
    ? () => rm(dataDir, { recursive: true, force: true })
    : async () => {};
  const host = options.bind ?? '127.0.0.1';
  const port = await freePort(host);
  const imagePort = await imagePortFor(options, host, port);
  const started = launch(dataDir, { identity: port, image: imagePort }, options);
  try {
    await waitReady(started, options.readyTimeoutMs ?? 60_000);
    const env = parseOpenrc(await readFile(join(dataDir, 'openrc'), 'utf8'));
    const authUrl = env.OS_AUTH_URL;
    if (!authUrl) throw new Error(`${dataDir}/openrc sets no OS_AUTH_URL`);
    let stopped: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopped ??= terminate(started.child).then(removeDataDir);
      return stopped;
    };
    return { dataDir, authUrl, env, port, imagePort, pid: started.child.pid, stop };
  } catch (error) {
    await terminate(started.child);
    await removeDataDir();
    throw error;
  }
}

/** Why the CLI tests cannot run here, or undefined when they can. */
export function skipReason(): string | undefined {
  if (!existsSync(OPENSTACK_BIN)) {
    return `${OPENSTACK_BIN} is missing (apt-get install python3-openstackclient)`;
  }
  return undefined;
}

export interface CommandResult {
  /** Exit status; -1 when the process was killed (timeout). */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to completion with a timeout (SIGKILL when it expires). */
export function run(
  file: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<CommandResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(file, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code: code ?? -1, stdout, stderr });
    });
  });
}

/**
 * The environment for the Python clients: Debian's PATH, HOME and locale from this process,
 * then `env` (typically a cloud's openrc variables plus overrides). Keys whose value is
 * undefined are left out, so `{ OS_PASSWORD: undefined }` removes a variable.
 */
export function clientEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const base: Record<string, string | undefined> = {
    PATH: SYSTEM_PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    no_proxy: '127.0.0.1,localhost,::1',
    NO_PROXY: '127.0.0.1,localhost,::1',
    ...env,
  };
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) if (value !== undefined) result[key] = value;
  return result;
}

/** Runs `/usr/bin/openstack ARGS` with `env` (see clientEnv); never throws on a non-zero exit. */
export function openstack(
  env: Readonly<Record<string, string | undefined>>,
  args: readonly string[],
  timeoutMs = 120_000,
): Promise<CommandResult> {
  return run(OPENSTACK_BIN, args, clientEnv(env), timeoutMs);
}

/** Thrown by openstackJson when the CLI exits non-zero or prints something that is not JSON. */
export class CommandFailed extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: CommandResult,
  ) {
    super(`openstack ${args.join(' ')} exited ${result.code}\n${result.stderr.trim() || result.stdout.trim()}`);
    this.name = 'CommandFailed';
  }
}

/** Runs `openstack ARGS -f json` and returns the parsed output; throws CommandFailed otherwise. */
export async function openstackJson(
  env: Readonly<Record<string, string | undefined>>,
  args: readonly string[],
): Promise<unknown> {
  const full = [...args, '-f', 'json'];
  const result = await openstack(env, full);
  if (result.code !== 0) throw new CommandFailed(full, result);
  try {
    return JSON.parse(result.stdout) as unknown;
  } catch (error) {
    throw new CommandFailed(full, { ...result, stderr: `not JSON (${(error as Error).message}): ${result.stdout}` });
  }
}

/** Runs `openstack ARGS` (no output format) and throws CommandFailed on a non-zero exit. */
export async function openstackOk(
  env: Readonly<Record<string, string | undefined>>,
  args: readonly string[],
): Promise<CommandResult> {
  const result = await openstack(env, args);
  if (result.code !== 0) throw new CommandFailed(args, result);
  return result;
}

/**
 * The URL of a service in the catalog of `token` (GET /v3/auth/catalog), trailing slashes
 * removed, e.g. `serviceEndpoint(cloud.authUrl, token, 'image')`. Throws when it is missing.
 */
export async function serviceEndpoint(
  authUrl: string,
  token: string,
  type: string,
  iface: 'public' | 'internal' | 'admin' = 'public',
): Promise<string> {
  const response = await fetch(`${authUrl}/auth/catalog`, {
    headers: { 'X-Auth-Token': token, Accept: 'application/json' },
    signal: AbortSignal.timeout(30_000),
  });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${authUrl}/auth/catalog answered ${response.status}: ${body}`);
  const { catalog } = JSON.parse(body) as { catalog?: { type: string; endpoints: { interface: string; url: string }[] }[] };
  const url = catalog?.find((entry) => entry.type === type)?.endpoints.find((e) => e.interface === iface)?.url;
  if (!url) throw new Error(`no ${iface} ${type} endpoint in the catalog: ${body}`);
  return url.replace(/\/+$/, '');
}
