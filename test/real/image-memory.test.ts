// Streams a 2 GiB image into a real `tstack up` and back out while sampling the server's
// resident memory: upload and download must stream, not buffer. A measurement, not a timing
// test; the figures are printed for the record.
// Run: cd /work/main && npm run build && node --import tsx --test test/real/image-memory.test.ts

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { serviceEndpoint, startCloud } from '../support/cloud.js';
import type { Cloud } from '../support/cloud.js';
import { issueToken } from '../support/identity-http.js';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const IMAGE_BYTES = 2 * GiB;
const CHUNK_BYTES = MiB;
const MIN_FREE_BYTES = 5 * GiB;
/** Growth of the server's RSS above idle that still counts as streaming. */
const HEADROOM_BYTES = 300 * MiB;
const SAMPLE_MS = 200;
const TRANSFER_TIMEOUT_MS = 20 * 60_000;

function skipReason(): string | undefined {
  if (!existsSync('/proc/self/status')) return 'needs Linux /proc to read the server\'s VmRSS';
  const dir = tmpdir();
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  if (free < MIN_FREE_BYTES) {
    return `only ${(free / GiB).toFixed(1)} GiB free in ${dir} (the data dir's filesystem); needs ${MIN_FREE_BYTES / GiB} GiB`;
  }
  return undefined;
}

const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

/** VmRSS in bytes of `pid` and all its descendants (0 for a process that is gone). */
function treeRss(pid: number): number {
  let total = 0;
  try {
    const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    total += Number(kb ?? 0) * 1024;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      for (const child of children ? children.split(/\s+/) : []) total += treeRss(Number(child));
    }
  } catch {
    // The process (or a thread) exited between two reads.
  }
  return total;
}

/** Samples treeRss(pid) every SAMPLE_MS until stopped; reports the peak and the sample count. */
function sampleRss(pid: number): () => { peak: number; samples: number } {
  let peak = treeRss(pid);
  let samples = 1;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRss(pid));
    samples += 1;
  }, SAMPLE_MS);
  return () => {
    clearInterval(timer);
    peak = Math.max(peak, treeRss(pid));
    return { peak, samples: samples + 1 };
  };
}

/** Median RSS over a second of quiet. */
async function idleRss(pid: number): Promise<number> {
  const values: number[] = [];
  for (let i = 0; i < 5; i++) {
    values.push(treeRss(pid));
    await new Promise((r) => setTimeout(r, SAMPLE_MS));
  }
  return values.sort((a, b) => a - b)[2] ?? 0;
}

/** `total` bytes of pseudo-random data made on demand (a random MiB, each copy stamped with its index). */
function generated(total: number, hash: Hash): ReadableStream<Uint8Array> {
  const block = randomBytes(CHUNK_BYTES);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) {
        controller.close();
        return;
      }
      const chunk = Buffer.from(block.subarray(0, Math.min(CHUNK_BYTES, total - sent)));
      chunk.writeDoubleBE(sent, 0);
      hash.update(chunk);
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
}

describe('image data streams through tstack without buffering', { skip: skipReason() }, () => {
  let cloud: Cloud | undefined;
  let token = '';
  let glance = '';
  let imageId = '';

  before(async () => {
    cloud = await startCloud();
    token = await issueToken(cloud.authUrl, {
      username: cloud.env.OS_USERNAME ?? '', password: cloud.env.OS_PASSWORD ?? '', projectName: 'admin',
    });
    glance = (await serviceEndpoint(cloud.authUrl, token, 'image')).replace(/\/v2$/, '');
  }, { timeout: 90_000 });

  after(async () => {
    if (imageId) {
      await fetch(`${glance}/v2/images/${imageId}`, { method: 'DELETE', headers: { 'X-Auth-Token': token } }).catch(() => undefined);
    }
    await cloud?.stop();
  });

  it(`upload and download ${IMAGE_BYTES / GiB} GiB: server RSS stays within ${mib(HEADROOM_BYTES)} of idle, sha512 round-trips`,
    { timeout: 2 * TRANSFER_TIMEOUT_MS }, async () => {
      assert.ok(cloud?.pid, 'no pid for the tstack up process');
      const pid = cloud.pid;
      const created = await fetch(`${glance}/v2/images`, {
        method: 'POST',
        headers: { 'X-Auth-Token': token, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'memory-2g', disk_format: 'raw', container_format: 'bare', visibility: 'private' }),
      });
      const createdText = await created.text();
      assert.equal(created.status, 201, `POST /v2/images answered ${created.status}: ${createdText}`);
      imageId = (JSON.parse(createdText) as { id: string }).id;
      const idle = await idleRss(pid);

      const uploadHash = createHash('sha512');
      let stop = sampleRss(pid);
      let started = Date.now();
      const upload = await fetch(`${glance}/v2/images/${imageId}/file`, {
        method: 'PUT',
        headers: { 'X-Auth-Token': token, 'Content-Type': 'application/octet-stream' },
        body: generated(IMAGE_BYTES, uploadHash),
        duplex: 'half',
        signal: AbortSignal.timeout(TRANSFER_TIMEOUT_MS),
      });
      const uploadText = await upload.text();
      const uploadSeconds = (Date.now() - started) / 1000;
      const up = stop();
      assert.equal(upload.status, 204, `PUT /v2/images/${imageId}/file (chunked, ${IMAGE_BYTES} bytes) answered ${upload.status}: ${uploadText}`);
      const uploaded = uploadHash.digest('hex');

      const shown = await fetch(`${glance}/v2/images/${imageId}`, { headers: { 'X-Auth-Token': token } });
      const record = (await shown.json()) as { status?: string; size?: number; os_hash_value?: string };
      assert.equal(record.status, 'active');
      assert.equal(record.size, IMAGE_BYTES);
      assert.equal(record.os_hash_value, uploaded, 'os_hash_value is the sha512 of the uploaded bytes');

      const downloadHash = createHash('sha512');
      let received = 0;
      stop = sampleRss(pid);
      started = Date.now();
      const download = await fetch(`${glance}/v2/images/${imageId}/file`, {
        headers: { 'X-Auth-Token': token },
        signal: AbortSignal.timeout(TRANSFER_TIMEOUT_MS),
      });
      assert.equal(download.status, 200, `GET /v2/images/${imageId}/file answered ${download.status}`);
      assert.ok(download.body, 'the download has no body');
      const reader = download.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        downloadHash.update(value);
        received += value.length;
      }
      const downloadSeconds = (Date.now() - started) / 1000;
      const down = stop();

      const rate = (seconds: number): string => `${(IMAGE_BYTES / seconds / 1e6).toFixed(1)} MB/s`;
      console.log(`image memory: idle RSS ${mib(idle)}`);
      console.log(`image memory: upload peak RSS ${mib(up.peak)} (+${mib(up.peak - idle)}), ${up.samples} samples, ${uploadSeconds.toFixed(1)} s, ${rate(uploadSeconds)}`);
      console.log(`image memory: download peak RSS ${mib(down.peak)} (+${mib(down.peak - idle)}), ${down.samples} samples, ${downloadSeconds.toFixed(1)} s, ${rate(downloadSeconds)}`);

      assert.equal(received, IMAGE_BYTES, 'bytes downloaded');
      assert.equal(downloadHash.digest('hex'), uploaded, 'the download\'s sha512 equals the upload\'s');
      assert.ok(up.peak - idle < HEADROOM_BYTES, `upload grew the server's RSS by ${mib(up.peak - idle)} (idle ${mib(idle)})`);
      assert.ok(down.peak - idle < HEADROOM_BYTES, `download grew the server's RSS by ${mib(down.peak - idle)} (idle ${mib(idle)})`);
    });
});
