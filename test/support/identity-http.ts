// Plain-fetch helpers for checks the CLI cannot express: exact status codes and Keystone's
// `{"error": {"code", "title", "message"}}` bodies.

import assert from 'node:assert/strict';

export interface HttpResult {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  readonly json: unknown;
  readonly text: string;
}

export interface RequestOptions {
  readonly method?: string;
  readonly token?: string;
  /** A string is sent as is (for malformed JSON); anything else is JSON-encoded. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Sends one request with a 30 s timeout and reads the whole body. */
export async function request(url: string, options: RequestOptions = {}): Promise<HttpResult> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.token !== undefined) headers['X-Auth-Token'] = options.token;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const response = await fetch(url, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

export interface PasswordAuth {
  readonly username: string;
  readonly password: string;
  /** Domain name of the user (and of the project); default "Default". */
  readonly domainName?: string;
  /** Scope to this project (by name); unscoped when absent. */
  readonly projectName?: string;
}

/** The body of a password `POST /v3/auth/tokens`. */
export function passwordAuthBody(auth: PasswordAuth): unknown {
  const domain = { name: auth.domainName ?? 'Default' };
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: auth.username, domain, password: auth.password } } },
      ...(auth.projectName === undefined ? {} : { scope: { project: { name: auth.projectName, domain } } }),
    },
  };
}

/** `POST /v3/auth/tokens` with a password; returns the raw result (token in X-Subject-Token). */
export function authenticate(authUrl: string, auth: PasswordAuth): Promise<HttpResult> {
  return request(`${authUrl}/auth/tokens`, { body: passwordAuthBody(auth) });
}

/** Issues a token and returns it; fails the test when Keystone does not answer 201. */
export async function issueToken(authUrl: string, auth: PasswordAuth): Promise<string> {
  const result = await authenticate(authUrl, auth);
  assert.equal(result.status, 201, `token issue for ${auth.username} answered ${result.status}: ${result.text}`);
  const token = result.headers.get('x-subject-token');
  assert.ok(token, 'no X-Subject-Token header in the token response');
  return token;
}

/** Asserts Keystone's error body: `{"error": {"code": status, "title": string, "message": string}}`. */
export function assertKeystoneError(result: HttpResult, status: number): void {
  assert.equal(result.status, status, `expected ${status}, got ${result.status}: ${result.text}`);
  const body = result.json as { error?: { code?: unknown; title?: unknown; message?: unknown } } | undefined;
  assert.ok(body?.error, `no "error" object in the ${status} body: ${result.text}`);
  assert.equal(body.error.code, status, `error.code in ${result.text}`);
  assert.equal(typeof body.error.title, 'string', `error.title in ${result.text}`);
  assert.equal(typeof body.error.message, 'string', `error.message in ${result.text}`);
}
