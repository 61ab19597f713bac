// The role of keystonemiddleware's auth_token: reads X-Auth-Token, validates it (with a short
// cache so a busy API does not ask Keystone on every request), and attaches the context.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Unauthorized } from '../errors/index.js';
import { accessRulesAllow } from './access-rules.js';
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
  /**
   * The service's catalog type (`identity`, `image`...), which application-credential access
   * rules name. Without it a token restricted by access rules is refused everywhere.
   */
  readonly serviceType?: string;
  readonly now?: () => number;
}

/**
 * Which cached tokens a revocation covers: every token whose fields match all the set ones
 * (Keystone's revocation-event matching). `{}` covers every token.
 */
export interface RevokedTokens {
  readonly userId?: string;
  readonly projectId?: string;
  /** Any token whose audit chain holds this id (the token and those rescoped from it). */
  readonly auditId?: string;
}

function covers(revoked: RevokedTokens, token: ValidatedToken): boolean {
  return (revoked.userId === undefined || revoked.userId === token.userId)
    && (revoked.projectId === undefined || revoked.projectId === token.projectId)
    && (revoked.auditId === undefined || token.auditIds.includes(revoked.auditId));
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

  /** Drops the cached tokens `revoked` covers; returns how many. */
  drop(revoked: RevokedTokens): number {
    let dropped = 0;
    for (const [token, entry] of this.entries) {
      if (covers(revoked, entry.token)) {
        this.entries.delete(token);
        dropped++;
      }
    }
    return dropped;
  }
}

/** The message keystonemiddleware answers a call outside an application credential's access rules with. */
const OUTSIDE_ACCESS_RULES = 'The authorization token does not have the necessary permission to access this endpoint.';

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
    // Access rules, as keystonemiddleware's _validate_access_rules: a call the credential's rules
    // do not name is refused with 401 (InvalidToken there), before any handler runs.
    const path = request.url.split('?')[0] ?? '';
    if (!accessRulesAllow(validated.accessRules, { serviceType: options.serviceType ?? '', method: request.method, path })) {
      // A public route stays usable, as with any token that may not be used here.
      if (options.isPublic(request)) return;
      throw new Unauthorized(OUTSIDE_ACCESS_RULES);
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
