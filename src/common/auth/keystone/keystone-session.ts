// The service user's session (keystoneauth1 Session + v3.Password): one project-scoped token,
// reused until shortly before it expires, its catalog, and authenticated requests that renew
// the token once when a service answers 401.

import { ServiceUnavailable } from '../../errors/index.js';
import { EndpointNotFound, ServiceAuthenticationFailed } from './errors.js';
import { exchange, parseJson } from './http.js';
import type { HttpReply, HttpTransport } from './http.js';
import { readKeystoneToken } from './keystone-token.js';
import type { CatalogEntry } from './keystone-token.js';

export interface KeystoneSessionOptions {
  /** Keystone's v3 URL, e.g. http://127.0.0.1:5000/v3 ('/v3' is appended when missing). */
  readonly authUrl: string;
  /** The service user, e.g. 'glance'. */
  readonly username: string;
  readonly password: string;
  /** The project the token is scoped to, usually 'service'. */
  readonly projectName: string;
  /** Domain of the user by name or id; the id 'default' when neither is given. */
  readonly userDomainName?: string;
  readonly userDomainId?: string;
  /** Domain of the project by name or id; the id 'default' when neither is given. */
  readonly projectDomainName?: string;
  readonly projectDomainId?: string;
  /** HTTP client; the global fetch by default. */
  readonly fetch?: typeof fetch;
  /** Milliseconds since the epoch; Date.now by default. */
  readonly now?: () => number;
  /** Limit on each request to Keystone or another service, body included. Default 10 s. */
  readonly timeoutMs?: number;
  /**
   * A token is renewed this long before it expires (keystoneauth's 120 s), or at half its
   * lifetime when that comes sooner, so a short-lived token is not renewed on every call.
   */
  readonly renewBeforeMs?: number;
}

/** What `request` sends: a fetch RequestInit whose body can be sent twice (string or bytes). */
export interface SessionRequestInit extends Omit<RequestInit, 'signal'> {
  readonly signal?: AbortSignal;
}

/** Endpoint interfaces, with the v2 spellings keystoneauth still accepts. */
export type EndpointInterface = 'public' | 'internal' | 'admin' | 'publicURL' | 'internalURL' | 'adminURL';

interface CachedToken {
  readonly token: string;
  readonly renewAt: number;
  readonly catalog: readonly CatalogEntry[];
}

function domainRef(id: string | undefined, name: string | undefined): Record<string, string> {
  if (id !== undefined) return { id };
  return name !== undefined ? { name } : { id: 'default' };
}

/** Settles with `promise`, or rejects with the signal's reason as soon as the caller gives up. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as unknown);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as unknown);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export class KeystoneSession {
  /** Keystone's v3 URL without a trailing slash. */
  readonly authUrl: string;
  private readonly transport: HttpTransport;
  private readonly now: () => number;
  private readonly renewBeforeMs: number;
  private cached: CachedToken | undefined;
  private pending: Promise<CachedToken> | undefined;

  constructor(private readonly options: KeystoneSessionOptions) {
    const base = options.authUrl.replace(/\/+$/, '');
    this.authUrl = base.endsWith('/v3') ? base : `${base}/v3`;
    this.transport = { fetch: options.fetch ?? fetch, timeoutMs: options.timeoutMs ?? 10_000 };
    this.now = options.now ?? Date.now;
    this.renewBeforeMs = options.renewBeforeMs ?? 120_000;
  }

  /**
   * A valid service token: the cached one, or a new one when it is missing or about to expire.
   * Concurrent callers share one authentication. Throws ServiceAuthenticationFailed when Keystone
   * refuses the credentials, ServiceUnavailable when it cannot be reached or answers 5xx.
   */
  async getToken(signal?: AbortSignal): Promise<string> {
    return (await this.current(signal)).token;
  }

  /** The catalog of the service token (fetching a token first if needed). */
  async catalog(signal?: AbortSignal): Promise<readonly CatalogEntry[]> {
    return (await this.current(signal)).catalog;
  }

  /**
   * The URL of the first endpoint of `serviceType` with that interface (and region, when given).
   * Throws EndpointNotFound when the catalog has none.
   */
  async endpointFor(serviceType: string, endpointInterface: EndpointInterface = 'public', region?: string, signal?: AbortSignal): Promise<string> {
    const wanted = endpointInterface.replace(/URL$/, '');
    for (const entry of await this.catalog(signal)) {
      if (entry.type !== serviceType) continue;
      const endpoint = entry.endpoints.find((e) => e.interface === wanted && (region === undefined || e.regionId === region));
      if (endpoint) return endpoint.url;
    }
    throw new EndpointNotFound({ serviceType, interface: wanted, region });
  }

  /** Forgets the cached token (only if it is `token`, when given), so the next call authenticates. */
  invalidate(token?: string): void {
    if (token === undefined || this.cached?.token === token) this.cached = undefined;
  }

  /**
   * Sends `init` to `url` with the service token as X-Auth-Token; on a 401 renews the token and
   * sends once more (keystoneauth's reauthentication). Resolves with any other status; throws
   * ServiceUnavailable when the server cannot be reached in time.
   */
  async request(url: string, init: SessionRequestInit = {}): Promise<HttpReply> {
    const { signal, ...rest } = init;
    const send = async (token: string): Promise<HttpReply> => {
      const headers = new Headers(rest.headers);
      headers.set('x-auth-token', token);
      return exchange(this.transport, url, { ...rest, headers }, signal);
    };
    const token = await this.getToken(signal);
    const first = await send(token);
    if (first.status !== 401) return first;
    this.invalidate(token);
    return send(await this.getToken(signal));
  }

  private async current(signal: AbortSignal | undefined): Promise<CachedToken> {
    const cached = this.cached;
    if (cached && this.now() < cached.renewAt) return cached;
    // One caller giving up must not abort the authentication the others wait for.
    this.pending ??= this.authenticate().finally(() => { this.pending = undefined; });
    return untilAborted(this.pending, signal);
  }

  private async authenticate(): Promise<CachedToken> {
    const { options } = this;
    const url = `${this.authUrl}/auth/tokens`;
    const body = { auth: {
      identity: { methods: ['password'], password: { user: {
        name: options.username, password: options.password, domain: domainRef(options.userDomainId, options.userDomainName),
      } } },
      scope: { project: { name: options.projectName, domain: domainRef(options.projectDomainId, options.projectDomainName) } },
    } };
    const reply = await exchange(this.transport, url, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body),
    });
    const what = `Keystone (POST ${url}) for service user ${options.username}`;
    if (reply.status >= 500) throw new ServiceUnavailable(`${what} answered ${reply.status}.`);
    if (reply.status !== 201 && reply.status !== 200) throw new ServiceAuthenticationFailed(`${what} answered ${reply.status}: ${reply.text.slice(0, 200)}`);
    const token = reply.headers.get('x-subject-token');
    if (!token) throw new ServiceUnavailable(`${what} answered without an X-Subject-Token header.`);
    const parsed = readKeystoneToken(parseJson(reply.text, what));
    this.cached = { token, renewAt: this.renewAt(parsed.context.expiresAt, parsed.issuedAt), catalog: parsed.catalog };
    return this.cached;
  }

  private renewAt(expiresAt: Date, issuedAt: Date | undefined): number {
    const expires = expiresAt.getTime();
    const lifetime = expires - (issuedAt?.getTime() ?? this.now());
    return expires - Math.min(this.renewBeforeMs, Math.max(lifetime, 0) / 2);
  }
}
