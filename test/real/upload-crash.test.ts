// A `tstack up` killed with SIGKILL in the middle of an upload (PUT /file) and of a stage
// (PUT /stage) used to leave the images saving / uploading forever, every retry a 409. Started
// again on the same data dir, the image service reconciles: both images are queued again, the
// partial files are gone, and the owner can upload, stage and import.
// Run: npm run build && node --import tsx --test test/real/upload-crash.test.ts

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, serviceEndpoint, startCloud } from '../support/cloud.js';
import type { Cloud } from '../support/cloud.js';
import { issueToken } from '../support/identity-http.js';

/** A body that sends a chunk every 50 ms until `signal` aborts (fetch keeps pulling a body whose connection died). */
function endlessBody(signal: AbortSignal): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      if (signal.aborted) controller.error(signal.reason);
      else controller.enqueue(new Uint8Array(16 * 1024).fill(7));
    },
  });
}

async function files(directory: string): Promise<string[]> {
  return readdir(directory).catch(() => []);
}

describe('an upload interrupted by SIGKILL', () => {
  let dataDir: string | undefined;
  let cloud: Cloud | undefined;
  after(async () => {
    await cloud?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('is queued again after a restart, its partial data removed, and can be uploaded again', { timeout: 180_000 }, async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tstack-upload-crash-'));
    // The same image port both times: the image host keeps its name (host:port) across the restart.
    const env = { TSTACK_IMAGE__PORT: String(await freePort()) };
    cloud = await startCloud({ dataDir, env });
    const admin = { username: cloud.env.OS_USERNAME ?? '', password: cloud.env.OS_PASSWORD ?? '', domainName: 'Default', projectName: 'admin' };
    let token = await issueToken(cloud.authUrl, admin);
    const glance = (await serviceEndpoint(cloud.authUrl, token, 'image')).replace(/\/v2$/, '');
    const call = async (method: string, path: string, init: { body?: string | Uint8Array | ReadableStream<Uint8Array>; type?: string; signal?: AbortSignal } = {}) => {
      const response = await fetch(`${glance}${path}`, {
        method,
        headers: { 'X-Auth-Token': token, ...(init.type ? { 'Content-Type': init.type } : {}) },
        ...(init.body ? { body: init.body, duplex: 'half' } : {}),
        ...(init.signal ? { signal: init.signal } : {}),
      } as RequestInit);
      const text = await response.text();
      return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
    };
    const create = async (name: string) => {
      const created = await call('POST', '/v2/images', { body: JSON.stringify({ name, disk_format: 'raw', container_format: 'bare' }), type: 'application/json' });
      assert.equal(created.status, 201, created.text);
      return String(created.json().id);
    };
    const statusOf = async (id: string) => String((await call('GET', `/v2/images/${id}`)).json().status);
    const waitFor = async (id: string, wanted: string) => {
      for (let i = 0; i < 100 && (await statusOf(id)) !== wanted; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(await statusOf(id), wanted);
    };

    const saved = await create('crash-upload');
    const staged = await create('crash-stage');
    const inFlight = new AbortController();
    const uploads = [
      call('PUT', `/v2/images/${saved}/file`, { body: endlessBody(inFlight.signal), type: 'application/octet-stream', signal: inFlight.signal }).catch(() => undefined),
      call('PUT', `/v2/images/${staged}/stage`, { body: endlessBody(inFlight.signal), type: 'application/octet-stream', signal: inFlight.signal }).catch(() => undefined),
    ];
    await waitFor(saved, 'saving');
    await waitFor(staged, 'uploading');
    await new Promise((r) => setTimeout(r, 300));
    const partial = (names: string[]) => names.filter((name) => name.endsWith('.part'));
    assert.equal(partial(await files(join(dataDir, 'images'))).length, 1, 'a partial file is being written to the store');
    assert.equal(partial(await files(join(dataDir, 'image-staging'))).length, 1, 'a partial file is being staged');

    assert.ok(cloud.pid, 'no pid for tstack up');
    process.kill(cloud.pid, 'SIGKILL');
    await cloud.stop();
    inFlight.abort();
    await Promise.all(uploads);

    cloud = await startCloud({ dataDir, env });
    token = await issueToken(cloud.authUrl, admin);
    assert.equal(await statusOf(saved), 'queued');
    assert.equal(await statusOf(staged), 'queued');
    assert.deepEqual(partial(await files(join(dataDir, 'images'))), []);
    assert.deepEqual(await files(join(dataDir, 'image-staging')), []);

    const data = new TextEncoder().encode('uploaded after the crash');
    const upload = await call('PUT', `/v2/images/${saved}/file`, { body: data, type: 'application/octet-stream' });
    assert.equal(upload.status, 204, upload.text);
    assert.equal(await statusOf(saved), 'active');
    const stage = await call('PUT', `/v2/images/${staged}/stage`, { body: data, type: 'application/octet-stream' });
    assert.equal(stage.status, 204, stage.text);
    const imported = await call('POST', `/v2/images/${staged}/import`, { body: JSON.stringify({ method: { name: 'glance-direct' } }), type: 'application/json' });
    assert.equal(imported.status, 202, imported.text);
    await waitFor(staged, 'active');
  });
});
