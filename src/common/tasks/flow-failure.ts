// What a failed flow attaches to the error it rejects with: which step failed, and whether
// the reverts left everything undone.

/** A revert that threw; the flow logged it and went on reverting the other steps. */
export interface RevertFailure {
  readonly step: string;
  readonly error: unknown;
}

export interface FlowFailure {
  readonly flow: string;
  /** The step whose run failed (or that was about to start when the flow was aborted). */
  readonly step: string;
  /** `reverted`: every revert succeeded; `revert-failed`: some did not (see revertFailures). */
  readonly state: 'reverted' | 'revert-failed';
  readonly revertFailures: readonly RevertFailure[];
}

/** Thrown instead of the original when that was not an extensible object (a thrown string, a frozen error). */
export class FlowFailed extends Error {
  constructor(readonly original: unknown) {
    super(`flow failed: ${String(original)}`, { cause: original });
    this.name = 'FlowFailed';
  }
}

const KEY = 'flowFailure';

/**
 * `error` with `failure` attached as a non-enumerable `flowFailure` property (or wrapped in
 * FlowFailed). An error passing through nested flows carries the outermost flow's failure.
 */
export function attachFlowFailure(error: unknown, failure: FlowFailure): unknown {
  const target = typeof error === 'object' && error !== null && Object.isExtensible(error)
    ? error
    : new FlowFailed(error);
  Object.defineProperty(target, KEY, { value: failure, enumerable: false, configurable: true });
  return target;
}

/** The FlowFailure attached to an error a flow rejected with, or undefined. */
export function flowFailureOf(error: unknown): FlowFailure | undefined {
  if (typeof error !== 'object' || error === null || !Object.hasOwn(error, KEY)) return undefined;
  return (error as { readonly [KEY]: FlowFailure })[KEY];
}
