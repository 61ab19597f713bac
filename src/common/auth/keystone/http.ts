// One HTTP exchange with a bounded time: the caller's signal and a timeout, and any failure to
// reach the server turned into ServiceUnavailable (keystoneauth's ConnectFailure/ConnectTimeout).

import { ServiceUnavailable } from '../../errors/index.js';

export interface HttpTransport {
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}

/** Rethrows the caller's own abort as is; anything else means the server could not be used. */
function unavailable(error: unknown, what: string, timeout: AbortSignal, transport: HttpTransport, signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  const reason = timeout.aborted ? `no answer within ${transport.timeoutMs} ms` : describe(error);
  return new ServiceUnavailable(`${what} failed: ${reason}.`, { cause: error });
}

/** A whole answer: the timeout covers reading the body too. */
export interface HttpReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * Sends one request and reads its body. Resolves with any HTTP status; rejects with
 * ServiceUnavailable when the server is unreachable or slower than `timeoutMs`, or with the
 * reason of `signal` when the caller gave up.
 */
export async function exchange(transport: HttpTransport, url: string, init: RequestInit, signal?: AbortSignal): Promise<HttpReply> {
  const timeout = AbortSignal.timeout(transport.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const what = `${init.method ?? 'GET'} ${url}`;
  try {
    const response = await transport.fetch(url, { ...init, signal: combined });
    return { status: response.status, headers: response.headers, text: await response.text() };
  } catch (error) {
    throw unavailable(error, what, timeout, transport, signal);
  }
}

/** The body as JSON; a body that is not JSON means the server is not the one we expect. */
export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ServiceUnavailable(`${what} answered with a body that is not JSON.`, { cause: error });
  }
}
