// Pieces every Keystone route uses: policy checks, Keystone's `links` blocks, body access,
// boolean query parsing and id generation.

import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { policyCredentials, requireAuth } from '../../common/auth/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import { requestBaseUrl } from '../../common/http/index.js';
import { PolicyNotAuthorized } from '../../common/policy/index.js';
import type { Enforcer } from '../../common/policy/index.js';
import { ForbiddenAction, ValidationError } from '../errors.js';

/** Decides whether a caller may perform a named Keystone action on a target. */
export interface Authorizer {
  /** Throws a 403 error when `context` may not perform `action` on `target`. */
  authorize(action: string, target: Readonly<Record<string, unknown>>, context: RequestContext): void;
}

/** The Authorizer of an oslo.policy-style Enforcer: the caller's context becomes its credentials. */
export function enforcerAuthorizer(enforcer: Enforcer): Authorizer {
  return {
    authorize: (action, target, context) => {
      try {
        enforcer.authorize(action, target, policyCredentials(context));
      } catch (error) {
        // Keystone's own wording for a policy denial (keystone.exception.ForbiddenAction).
        if (error instanceof PolicyNotAuthorized) throw new ForbiddenAction(`You are not authorized to perform the requested action: ${action}.`, { cause: error });
        throw error;
      }
    },
  };
}

/** Authenticates (401 without a valid token) and authorizes (403) one request. */
export function authorize(policy: Authorizer, request: FastifyRequest, action: string, target: Readonly<Record<string, unknown>> = {}): RequestContext {
  const context = requireAuth(request);
  policy.authorize(action, target, context);
  return context;
}

/** `http://host:port/v3/<path>` as the caller sees it. */
export function v3Url(request: FastifyRequest, path: string): string {
  return `${requestBaseUrl(request)}/v3/${path.replace(/^\//, '')}`;
}

/** The `links` block of a single entity: `{"self": ".../v3/projects/<id>"}`. */
export function entityLinks(request: FastifyRequest, path: string): { self: string } {
  return { self: v3Url(request, path) };
}

/** A Keystone list body: `{"<key>": [...], "links": {"self", "previous": null, "next": null}}`. */
export function listBody<T>(request: FastifyRequest, key: string, items: readonly T[]): Record<string, unknown> {
  return { [key]: items, links: { self: `${requestBaseUrl(request)}${request.url}`, previous: null, next: null } };
}

/** The object under `key` in a JSON body, or a 400 naming what is missing. */
export function bodyMember(body: unknown, key: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError(`Expecting to find ${key} in request body. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`);
  }
  const member = (body as Record<string, unknown>)[key];
  if (typeof member !== 'object' || member === null || Array.isArray(member)) {
    throw new ValidationError(`Invalid input for field '${key}': expected an object. The server could not comply with the request since it is either malformed or otherwise incorrect.`);
  }
  return member as Record<string, unknown>;
}

/**
 * Keystone's reading of boolean query filters: `?enabled` alone and `?enabled=true/1/yes`
 * are true, `0`, `false`, `no` and `off` are false.
 */
export function queryBool(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  const text = String(value).toLowerCase();
  return !['0', 'false', 'no', 'off'].includes(text);
}

/** A string query parameter, or undefined (first one when repeated). */
export function queryString(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
  return value === undefined ? undefined : String(value);
}

/** Keystone ids: uuid4 as 32 hex characters. */
export function newId(): string {
  return randomUUID().replaceAll('-', '');
}
