// Runs a service's declared periodic work (Nova's @periodic_task, oslo.service's
// FixedIntervalLoopingCall): each task on its own timer, first run after a random part of its
// interval so a restart of many hosts does not hit the database at the same instant.

import type { Logger } from '../log/index.js';

/**
 * One job a service runs on a timer, declared by the manager that owns the work
 * (for example `{ name: 'prune-revocations', intervalSeconds: 3600, run: () => revoke.pruneExpired(...) }`).
 */
export interface PeriodicTask {
  /** Names the task in log lines; unique within a service. */
  readonly name: string;
  /** Seconds between the start of one run and the start of the next; 0 or less disables the task. */
  readonly intervalSeconds: number;
  /**
   * Does one round of work. A throw is logged and the task runs again at its next turn.
   * `signal` aborts when the service stops; a long run should give up at that point.
   */
  run(signal: AbortSignal): Promise<unknown>;
}

/** The timer functions the scheduler uses; injected so tests can move time by hand. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PeriodicTasksDeps {
  readonly logger: Logger;
  /** A number in [0, 1): the jitter of each task's first run. Default Math.random. */
  readonly random?: () => number;
  /** Milliseconds now, to subtract a run's length from the wait before the next. Default Date.now. */
  readonly now?: () => number;
  /** Default: the global setTimeout/clearTimeout, unref'd so a pending timer never keeps a process alive. */
  readonly timers?: Timers;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

interface Slot {
  readonly task: PeriodicTask;
  timer: unknown;
  running: Promise<void> | undefined;
}

/**
 * Schedules a list of periodic tasks. `start` arms them; `stop` disarms them, aborts the
 * signal of any run in progress and resolves once that run has returned. A task never
 * overlaps itself: its next run is armed only when the current one has finished.
 */
export class PeriodicTasks {
  private readonly slots: Slot[];
  private controller = new AbortController();
  private started = false;

  constructor(tasks: readonly PeriodicTask[], private readonly deps: PeriodicTasksDeps) {
    this.slots = tasks.map((task) => ({ task, timer: undefined, running: undefined }));
  }

  /** The tasks this scheduler runs (disabled ones included). */
  get tasks(): readonly PeriodicTask[] {
    return this.slots.map((slot) => slot.task);
  }

  /** Arms every enabled task: its first run comes after `random() × interval`. Idempotent. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.controller = new AbortController();
    const random = this.deps.random ?? Math.random;
    for (const slot of this.slots) {
      if (!(slot.task.intervalSeconds > 0)) {
        this.deps.logger.debug(`periodic task ${slot.task.name} is disabled (interval ${slot.task.intervalSeconds})`);
        continue;
      }
      this.arm(slot, random() * slot.task.intervalSeconds * 1000);
    }
  }

  /** Disarms every task, aborts runs in progress and waits for them to return. Idempotent. */
  async stop(): Promise<void> {
    this.started = false;
    this.controller.abort();
    for (const slot of this.slots) {
      if (slot.timer !== undefined) this.timers.clearTimeout(slot.timer);
      slot.timer = undefined;
    }
    await Promise.all(this.slots.map((slot) => slot.running));
  }

  private get timers(): Timers {
    return this.deps.timers ?? realTimers;
  }

  private arm(slot: Slot, delayMs: number): void {
    slot.timer = this.timers.setTimeout(() => {
      slot.timer = undefined;
      slot.running = this.runOnce(slot).finally(() => {
        slot.running = undefined;
      });
    }, Math.max(0, delayMs));
  }

  private async runOnce(slot: Slot): Promise<void> {
    const now = this.deps.now ?? Date.now;
    const startedAt = now();
    const { signal } = this.controller;
    try {
      await slot.task.run(signal);
    } catch (error) {
      // Never fatal: a database blip must not stop the service, and the next run may succeed.
      if (!signal.aborted) this.deps.logger.error({ err: error, task: slot.task.name }, `periodic task ${slot.task.name} failed`);
    }
    if (!this.started || signal.aborted) return;
    this.arm(slot, slot.task.intervalSeconds * 1000 - (now() - startedAt));
  }
}
