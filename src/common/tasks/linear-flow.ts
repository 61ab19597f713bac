// A linear flow with revert (TaskFlow's `linear_flow`): ordered steps that each may undo what
// they did; when one fails, every step that ran is reverted in reverse order, the failing one
// included, so a multi-step operation (an image upload, a server build) never leaves half its
// work behind. Steps pass typed results to later steps through the flow's context.

import { setTimeout as sleep } from 'node:timers/promises';
import { FlowAborted } from './errors.js';
import { attachFlowFailure } from './flow-failure.js';
import type { RevertFailure } from './flow-failure.js';

/** Where revert failures are reported; a pino logger fits. */
export interface FlowLogger {
  error(details: Readonly<Record<string, unknown>>, message: string): void;
}

/** When and how often a failed step runs again before the flow gives up and reverts. */
export interface RetryPolicy {
  /** Extra attempts after the first; 0 means no retry. */
  readonly retries: number;
  /** Wait before the first retry, in ms; default 0. */
  readonly delayMs?: number;
  /** Each further wait is the previous one times this; default 2. */
  readonly backoff?: number;
  /** Upper bound of one wait, in ms; default unbounded. */
  readonly maxDelayMs?: number;
  /** Which errors are worth another attempt; default every error. An abort is never retried. */
  readonly retryable?: (error: unknown) => boolean;
}

/**
 * One step of a flow. Its result is stored in the context under its `name`, where later steps
 * (and reverts) read it.
 *
 * `revert` runs when this step or a later one fails. It also runs for the step that failed
 * itself, as in TaskFlow, because a step that throws may have done part of its work (a store
 * that wrote half a file, a record half updated): then `ctx[name]` is absent. A revert must
 * therefore accept a context without its own result, and be safe to run when nothing was done.
 *
 * A retried step is simply run again (no revert in between): a retryable failure must leave
 * nothing behind, or `run` must be safe to repeat.
 */
export interface FlowStep<Ctx, Name extends string, Out> {
  readonly name: Name;
  run(ctx: Ctx, signal: AbortSignal): Promise<Out> | Out;
  revert?(ctx: Ctx & { readonly [K in Name]?: Out }, error: unknown): Promise<void> | void;
  readonly retry?: RetryPolicy;
}

export interface FlowRunOptions {
  /** Revert failures are logged here (the flow still reverts the remaining steps). */
  readonly logger: FlowLogger;
  /**
   * Aborting stops the flow: the running step sees it through its own signal, no further step
   * starts, no retry waits, and what ran is reverted. Reverts themselves are never aborted.
   */
  readonly signal?: AbortSignal;
}

// A step with its types erased, as stored by the flow; `then` keeps the typed view.
interface AnyStep {
  readonly name: string;
  run(ctx: object, signal: AbortSignal): unknown;
  revert?(ctx: object, error: unknown): unknown;
  readonly retry?: RetryPolicy;
}

/** The context after a step named `Name` produced `Out`. */
export type WithResult<Ctx, Name extends string, Out> = Ctx & { readonly [K in Name]: Out };

/**
 * An ordered list of steps run one after the other. Immutable: `then` returns a new flow, so a
 * flow can be defined once and run many times concurrently.
 *
 * ```ts
 * const flow = LinearFlow.start<{ imageId: string }>('upload')
 *   .then({ name: 'stored', run: (ctx, signal) => store.add(ctx.imageId, data, { signal }),
 *           revert: (ctx) => ctx.stored && store.delete(ctx.stored.location) })
 *   .then({ name: 'image', run: (ctx) => images.completeUpload(ctx.imageId, ctx.stored) });
 * const { image } = await flow.run({ imageId }, { logger });
 * ```
 *
 * `run` resolves with the context holding every step's result. On failure it rejects with the
 * original error, to which a FlowFailure is attached (`flowFailureOf(error)`): the failing
 * step, whether every revert succeeded (`state`), and the revert errors.
 */
export class LinearFlow<In extends object, Ctx extends object = In> {
  private constructor(
    readonly name: string,
    private readonly steps: readonly AnyStep[],
  ) {}

  /** An empty flow whose context starts as the input `In`. */
  static start<In extends object>(name: string): LinearFlow<In, In> {
    return new LinearFlow<In, In>(name, []);
  }

  /** The names of the steps, in order. */
  get stepNames(): readonly string[] {
    return this.steps.map((step) => step.name);
  }

  /** This flow with `step` appended. */
  then<Name extends string, Out>(step: FlowStep<Ctx, Name, Out>): LinearFlow<In, WithResult<Ctx, Name, Out>> {
    if (this.steps.some((s) => s.name === step.name)) throw new TypeError(`flow ${this.name} already has a step named ${step.name}`);
    return new LinearFlow<In, WithResult<Ctx, Name, Out>>(this.name, [...this.steps, step as unknown as AnyStep]);
  }

  async run(input: In, options: FlowRunOptions): Promise<Ctx> {
    const ctx: Record<string, unknown> = { ...(input as Record<string, unknown>) };
    const started: AnyStep[] = [];
    const signal = options.signal ?? new AbortController().signal;
    let current: AnyStep | undefined;
    try {
      for (const step of this.steps) {
        current = step;
        if (signal.aborted) throw new FlowAborted(this.name, step.name, signal.reason);
        started.push(step);
        ctx[step.name] = await runWithRetry(this.name, step, ctx, signal);
      }
      return ctx as Ctx;
    } catch (error) {
      const failures = await this.revert(started, ctx, error, options.logger);
      throw attachFlowFailure(error, {
        flow: this.name,
        step: current?.name ?? '',
        state: failures.length ? 'revert-failed' : 'reverted',
        revertFailures: failures,
      });
    }
  }

  /** Reverts `started` last first; a revert that throws is logged and the others still run. */
  private async revert(started: readonly AnyStep[], ctx: Record<string, unknown>, error: unknown, logger: FlowLogger): Promise<RevertFailure[]> {
    const failures: RevertFailure[] = [];
    for (const step of [...started].reverse()) {
      if (!step.revert) continue;
      try {
        await step.revert(ctx, error);
      } catch (revertError) {
        failures.push({ step: step.name, error: revertError });
        logger.error({ err: revertError, flow: this.name, step: step.name, cause: describe(error) }, `flow ${this.name}: reverting step ${step.name} failed`);
      }
    }
    return failures;
  }
}

async function runWithRetry(flow: string, step: AnyStep, ctx: object, signal: AbortSignal): Promise<unknown> {
  const policy = step.retry;
  let delay = policy?.delayMs ?? 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await step.run(ctx, signal);
    } catch (error) {
      if (!policy || attempt >= policy.retries || signal.aborted || !(policy.retryable?.(error) ?? true)) throw error;
    }
    if (delay > 0) await sleep(delay, undefined, { signal }).catch(() => undefined);
    if (signal.aborted) throw new FlowAborted(flow, step.name, signal.reason);
    delay = Math.min(delay * (policy.backoff ?? 2), policy.maxDelayMs ?? Infinity);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
