import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FlowAborted, FlowFailed, LinearFlow, flowFailureOf } from './index.js';
import type { FlowLogger } from './index.js';

/** A logger that keeps what it was given. */
function recordingLogger(): FlowLogger & { lines: { details: Readonly<Record<string, unknown>>; message: string }[] } {
  const lines: { details: Readonly<Record<string, unknown>>; message: string }[] = [];
  return { lines, error: (details, message) => { lines.push({ details, message }); } };
}

class Boom extends Error {
  readonly status = 413;
}

describe('LinearFlow', () => {
  it('runs steps in order, passing typed results along', async () => {
    const flow = LinearFlow.start<{ base: number }>('math')
      .then({ name: 'doubled', run: (ctx) => ctx.base * 2 })
      .then({ name: 'text', run: async (ctx) => `${ctx.base}→${ctx.doubled}` });
    const result = await flow.run({ base: 21 }, { logger: recordingLogger() });
    assert.equal(result.doubled, 42);
    assert.equal(result.text, '21→42');
    assert.deepEqual(flow.stepNames, ['doubled', 'text']);
  });

  it('reverts the steps that ran in reverse order, the failing one included, and rejects with the original error', async () => {
    const events: string[] = [];
    const failure = new Boom('too large');
    const flow = LinearFlow.start<object>('upload')
      .then({ name: 'a', run: () => { events.push('run a'); return 'A'; }, revert: (ctx, error) => { events.push(`revert a (${ctx.a}, ${(error as Error).message})`); } })
      .then({ name: 'b', run: () => { events.push('run b'); return 'B'; }, revert: (ctx) => { events.push(`revert b (${ctx.b})`); } })
      .then({ name: 'c', run: (): string => { events.push('run c'); throw failure; }, revert: (ctx) => { events.push(`revert c (${String(ctx.c)})`); } })
      .then({ name: 'd', run: () => { events.push('run d'); }, revert: () => { events.push('revert d'); } });
    const logger = recordingLogger();
    await assert.rejects(flow.run({}, { logger }), (error) => error === failure);
    assert.deepEqual(events, ['run a', 'run b', 'run c', 'revert c (undefined)', 'revert b (B)', 'revert a (A, too large)']);
    assert.deepEqual(flowFailureOf(failure), { flow: 'upload', step: 'c', state: 'reverted', revertFailures: [] });
    assert.equal(failure.status, 413, 'the original error keeps its class and fields');
    assert.deepEqual(logger.lines, []);
  });

  it('logs a revert that fails, still runs the other reverts, and reports it', async () => {
    const events: string[] = [];
    const deleteFailed = new Error('store delete failed');
    const flow = LinearFlow.start<object>('upload')
      .then({ name: 'begin', run: () => 'saving', revert: () => { events.push('back to queued'); } })
      .then({ name: 'write', run: () => 'file', revert: () => { throw deleteFailed; } })
      .then({ name: 'complete', run: () => { throw new Error('quota'); } });
    const logger = recordingLogger();
    const rejection = await flow.run({}, { logger }).then(() => undefined, (error: unknown) => error);
    assert.ok(rejection instanceof Error);
    assert.equal(rejection.message, 'quota');
    assert.deepEqual(events, ['back to queued']);
    const failure = flowFailureOf(rejection);
    assert.equal(failure?.state, 'revert-failed');
    assert.deepEqual(failure?.revertFailures, [{ step: 'write', error: deleteFailed }]);
    assert.equal(logger.lines.length, 1);
    assert.equal(logger.lines[0]?.details.err, deleteFailed);
    assert.equal(logger.lines[0]?.details.step, 'write');
    assert.match(logger.lines[0]?.message ?? '', /reverting step write failed/);
  });

  it('retries a step with backoff until it succeeds', async () => {
    const times: number[] = [];
    const flow = LinearFlow.start<object>('flaky').then({
      name: 'value',
      run: () => {
        times.push(Date.now());
        if (times.length < 3) throw new Error('transient');
        return 'ok';
      },
      retry: { retries: 3, delayMs: 20, backoff: 2 },
    });
    assert.equal((await flow.run({}, { logger: recordingLogger() })).value, 'ok');
    assert.equal(times.length, 3);
    const [t0 = 0, t1 = 0, t2 = 0] = times;
    assert.ok(t1 - t0 >= 15, `first wait ${t1 - t0} ms`);
    assert.ok(t2 - t1 >= 35, `second wait ${t2 - t1} ms (backoff)`);
  });

  it('gives up after the retries are exhausted, and never retries errors that are not retryable', async () => {
    let attempts = 0;
    let reverted = 0;
    const flow = LinearFlow.start<object>('flaky').then({
      name: 'value',
      run: (): string => { attempts += 1; throw new Error(`attempt ${attempts}`); },
      revert: () => { reverted += 1; },
      retry: { retries: 2, delayMs: 1 },
    });
    await assert.rejects(flow.run({}, { logger: recordingLogger() }), /attempt 3/);
    assert.equal(attempts, 3);
    assert.equal(reverted, 1, 'reverted once, after the last attempt');

    attempts = 0;
    const picky = LinearFlow.start<object>('picky').then({
      name: 'value',
      run: (): string => { attempts += 1; throw new Boom('permanent'); },
      retry: { retries: 5, retryable: (error) => !(error instanceof Boom) },
    });
    await assert.rejects(picky.run({}, { logger: recordingLogger() }), Boom);
    assert.equal(attempts, 1);
  });

  it('stops on abort: the running step sees the signal, no later step runs, what ran is reverted', async () => {
    const events: string[] = [];
    const controller = new AbortController();
    const flow = LinearFlow.start<object>('stream')
      .then({ name: 'begin', run: () => 'x', revert: () => { events.push('revert begin'); } })
      .then({
        name: 'write',
        run: (_ctx, signal) => new Promise<string>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
          setTimeout(() => controller.abort(new Error('client went away')), 10);
        }),
        revert: () => { events.push('revert write'); },
      })
      .then({ name: 'complete', run: () => { events.push('run complete'); } });
    await assert.rejects(flow.run({}, { logger: recordingLogger(), signal: controller.signal }), /client went away/);
    assert.deepEqual(events, ['revert write', 'revert begin']);

    const before = new AbortController();
    before.abort(new Error('stopping'));
    const error = await flow.run({}, { logger: recordingLogger(), signal: before.signal }).catch((e: unknown) => e);
    assert.ok(error instanceof FlowAborted);
    assert.equal(flowFailureOf(error)?.step, 'begin');
  });

  it('aborts a retry wait', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const flow = LinearFlow.start<object>('slow-retry').then({
      name: 'value',
      run: (): string => { attempts += 1; throw new Error('transient'); },
      retry: { retries: 10, delayMs: 10_000 },
    });
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    await assert.rejects(flow.run({}, { logger: recordingLogger(), signal: controller.signal }), FlowAborted);
    assert.equal(attempts, 1);
    assert.ok(Date.now() - started < 5000);
  });

  it('wraps a thrown value that is not an object, and refuses two steps of one name', async () => {
    const flow = LinearFlow.start<object>('odd').then({ name: 'x', run: (): string => { throw 'plain string'; } });
    const error = await flow.run({}, { logger: recordingLogger() }).catch((e: unknown) => e);
    assert.ok(error instanceof FlowFailed);
    assert.equal(error.original, 'plain string');
    assert.equal(flowFailureOf(error)?.state, 'reverted');
    assert.throws(() => flow.then({ name: 'x', run: () => 1 }), TypeError);
  });
});
