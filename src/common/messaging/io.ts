// Timeouts and cancellation for every messaging call that waits on the network or a peer.

/** How long an operation may wait. */
export interface IoOptions {
  /** Give up after this many milliseconds. Each caller documents its default. */
  readonly timeoutMs?: number;
  /** Give up when this signal aborts; the operation then rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
}

/** IoOptions with the timeout settled. */
export interface Deadline {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Settles like `work`, unless the deadline passes first (rejects with `onTimeout()`) or the
 * signal aborts (rejects with its reason). `work` is not cancelled, only no longer awaited;
 * its late rejection is swallowed. Leaves no timer or listener behind.
 */
export function withDeadline<T>(work: Promise<T>, deadline: Deadline, onTimeout: () => Error): Promise<T> {
  const { timeoutMs, signal } = deadline;
  if (signal?.aborted === true) {
    work.catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      cleanUp();
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      cleanUp();
      reject(onTimeout());
    }, timeoutMs);
    const cleanUp = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        cleanUp();
        resolve(value);
      },
      (error: unknown) => {
        cleanUp();
        reject(error);
      },
    );
  });
}

/** Resolves once `work` settles or `timeoutMs` passes, whichever comes first; never rejects. */
export async function settleWithin(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  await withDeadline(work, { timeoutMs }, () => new Error('deadline')).catch(() => {});
}
