// The periodic task scheduler under a hand-moved clock: jitter of the first run, the interval
// between runs, a throwing task isolated and logged, no overlap, stop aborting and waiting.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../log/index.js';
import { PeriodicTasks } from './periodic-tasks.js';
import type { PeriodicTask, Timers } from './periodic-tasks.js';

/** Timers whose time moves only when the test says so. */
class ManualTimers implements Timers {
  now = 0;
  private next = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get armed(): number[] {
    return [...this.pending.values()].map((p) => p.at);
  }

  /** Moves time forward, firing due timers in order and letting their runs settle. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, p]) => p.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
      await settle();
    }
    this.now = until;
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
}

function captureLogger(): { logger: ReturnType<typeof createLogger>; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString())); done(); } });
  return { logger: createLogger({ service: 'test', level: 'debug', format: 'json', destination }), lines };
}

function scheduler(tasks: PeriodicTask[], timers: ManualTimers, random = () => 0.5) {
  const { logger, lines } = captureLogger();
  return { periodic: new PeriodicTasks(tasks, { logger, timers, random, now: () => timers.now }), lines };
}

describe('PeriodicTasks', () => {
  it('runs a task first after random × interval, then every interval, until stopped', async () => {
    const timers = new ManualTimers();
    const runs: number[] = [];
    const { periodic } = scheduler([{ name: 'count', intervalSeconds: 10, run: async () => { runs.push(timers.now); } }], timers, () => 0.25);
    await timers.advance(60_000);
    assert.deepEqual(runs, [], 'nothing runs before start');
    periodic.start();
    await timers.advance(35_000);
    assert.deepEqual(runs.map((t) => t - 60_000), [2_500, 12_500, 22_500, 32_500]);
    await periodic.stop();
    await timers.advance(60_000);
    assert.equal(runs.length, 4, 'nothing runs after stop');
    assert.deepEqual(timers.armed, []);
  });

  it('keeps the first run within [0, interval) for any random draw', async () => {
    for (const draw of [0, 0.999999]) {
      const timers = new ManualTimers();
      const { periodic } = scheduler([{ name: 'x', intervalSeconds: 30, run: async () => {} }], timers, () => draw);
      periodic.start();
      const [first] = timers.armed;
      assert.ok(first !== undefined && first >= 0 && first < 30_000, `first run at ${first}`);
      await periodic.stop();
    }
  });

  it('logs a throwing task, keeps running it, and leaves the other tasks alone', async () => {
    const timers = new ManualTimers();
    let failures = 0;
    let healthy = 0;
    const { periodic, lines } = scheduler([
      { name: 'broken', intervalSeconds: 10, run: async () => { failures++; throw new Error('database went away'); } },
      { name: 'healthy', intervalSeconds: 10, run: async () => { healthy++; } },
    ], timers, () => 0);
    periodic.start();
    await timers.advance(25_000);
    assert.equal(failures, 3);
    assert.equal(healthy, 3);
    const errors = lines.filter((l) => l.level === 50);
    assert.equal(errors.length, 3);
    assert.equal(errors[0]?.task, 'broken');
    assert.match(String((errors[0]?.err as { message: string }).message), /database went away/);
    await periodic.stop();
  });

  it('never overlaps a run with itself: a long run delays the next one', async () => {
    const timers = new ManualTimers();
    let active = 0;
    let maxActive = 0;
    const starts: number[] = [];
    let release: (() => void) | undefined;
    const { periodic } = scheduler([{
      name: 'slow', intervalSeconds: 10,
      run: async () => {
        active++; maxActive = Math.max(maxActive, active); starts.push(timers.now);
        await new Promise<void>((resolve) => { release = resolve; });
        active--;
      },
    }], timers, () => 0);
    periodic.start();
    await timers.advance(45_000);
    assert.deepEqual(starts, [0], 'the second run waits for the first to finish');
    assert.deepEqual(timers.armed, [], 'nothing is armed while a run is in progress');
    release?.();
    await settle();
    assert.deepEqual(timers.armed, [45_000], 'an overdue run starts right after the long one');
    await timers.advance(0);
    assert.deepEqual(starts, [0, 45_000]);
    assert.equal(maxActive, 1);
    release?.();
    await periodic.stop();
  });

  it('stop aborts the running task\'s signal and waits until it returns', async () => {
    const timers = new ManualTimers();
    let finished = false;
    let sawAbort = false;
    const { periodic, lines } = scheduler([{
      name: 'long', intervalSeconds: 10,
      run: (signal) => new Promise<void>((resolve, reject) => {
        signal.addEventListener('abort', () => {
          sawAbort = true;
          setTimeout(() => { finished = true; reject(new Error('aborted')); }, 20);
        });
        void resolve;
      }),
    }], timers, () => 0);
    periodic.start();
    await timers.advance(0);
    await periodic.stop();
    assert.ok(sawAbort, 'the signal aborted');
    assert.ok(finished, 'stop resolved only after the run returned');
    assert.equal(lines.filter((l) => l.level === 50).length, 0, 'a run ended by stop is not an error');
    assert.deepEqual(timers.armed, []);
  });

  it('skips tasks whose interval is 0 (disabled by configuration)', async () => {
    const timers = new ManualTimers();
    let runs = 0;
    const { periodic } = scheduler([{ name: 'off', intervalSeconds: 0, run: async () => { runs++; } }], timers);
    periodic.start();
    await timers.advance(1_000_000);
    assert.equal(runs, 0);
    assert.deepEqual(timers.armed, []);
    await periodic.stop();
  });
});
