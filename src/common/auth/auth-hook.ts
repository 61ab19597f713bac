// The role of keystonemiddleware's auth_token: reads X-Auth-Token, validates it (with a short
// cache so a busy API does not ask Keystone on every request), and attaches the context.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Unauthorized } from '../errors/index.js';
import type { RequestContext, ValidatedToken } from './context.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook on every request that carried a valid token. */
    auth?: RequestContext;
  }
}

export interface TokenValidator {
  /** Resolves the identity behind `token`; throws Unauthorized when it is invalid, expired or revoked. */
  validate(token: string, signal?: AbortSignal): Promise<ValidatedToken>;
}

export interface AuthHookOptions {
  readonly validator: TokenValidator;
  /** How long a validated token is trusted without asking again; 0 disables the cache. */
  readonly cacheTtlMs: number;
  /** Requests that need no token (version discovery, token issue). */
  readonly isPublic: (request: FastifyRequest) => boolean;
  readonly now?: () => number;
}

/** A bounded cache of validated tokens; `clear()` is called when revocations are known. */
export class TokenCache {
  private readonly entries = new Map<string, { token: ValidatedToken; until: number }>();
  constructor(private readonly ttlMs: number, private readonly now: () => number = Date.now, private readonly maxEntries = 10_000) {}

  get(token: string): ValidatedToken | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until <= this.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.token;
  }

  set(token: string, validated: ValidatedToken): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { token: validated, until: Math.min(this.now() + this.ttlMs, validated.expiresAt.getTime()) });
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Installs the hook; returns the cache so the owner can clear it on revocation. */
export function installAuthHook(app: FastifyInstance, options: AuthHookOptions): TokenCache {
  const cache = new TokenCache(options.cacheTtlMs, options.now);
  // onRequest, before the body is read: an unauthenticated caller learns nothing about validation.
  app.addHook('onRequest', async (request) => {
    const header = request.headers['x-auth-token'];
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) {
      if (options.isPublic(request)) return;
      throw new Unauthorized();
    }
    let validated = cache.get(token);
    if (!validated) {
      try {
        validated = await options.validator.validate(token);
      } catch (error) {
        // A public route stays usable with a bad token, as keystonemiddleware's delay_auth_decision allows.
        if (options.isPublic(request)) return;
        throw error;
      }
      cache.set(token, validated);
    }
    request.auth = { ...validated, requestId: request.id, authToken: token };
  });
  return cache;
}

/** The caller's context; throws Unauthorized on a route reached without a token. */
export function requireAuth(request: FastifyRequest): RequestContext {
  if (!request.auth) throw new Unauthorized();
  return request.auth;
}
