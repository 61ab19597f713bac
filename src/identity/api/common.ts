// Pieces every Keystone route uses: the policy check with Keystone's wording, Keystone's
// `links` blocks, Flask's reading of the query string, and id generation.

import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { createAuthorizer, queryReader, requestBaseUrl, FLASK_QUERY_RULE } from '../../common/http/index.js';
import type { Authorizer } from '../../common/http/index.js';
import type { Enforcer } from '../../common/policy/index.js';
import { ForbiddenAction } from '../errors.js';

export { authorize } from '../../common/http/index.js';
export type { Authorizer } from '../../common/http/index.js';

/** The Authorizer of Keystone's Enforcer: a denial is keystone.exception.ForbiddenAction, worded as Keystone words it. */
export function identityAuthorizer(enforcer: Enforcer): Authorizer {
  return createAuthorizer(enforcer, {
    denied: (action, cause) => new ForbiddenAction(`You are not authorized to perform the requested action: ${action}.`, { cause }),
  });
}

/** Keystone runs on Flask: a repeated single-valued parameter counts by its first occurrence. */
export const keystoneQuery = queryReader(FLASK_QUERY_RULE);

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

/**
 * Keystone's reading of boolean query filters: `?enabled` alone and `?enabled=true/1/yes`
 * are true, `0`, `false`, `no` and `off` are false.
 */
export function queryBool(value: unknown): boolean | undefined {
  // A repeated flag counts by its first occurrence, as everywhere in Keystone's query strings.
  const first = keystoneQuery.string({ value }, 'value');
  if (first === undefined) return undefined;
  const text = first.toLowerCase();
  return !['0', 'false', 'no', 'off'].includes(text);
}

/** A boolean query parameter as Keystone reads it (see queryBool), or undefined when absent. */
export function queryBoolean(query: unknown, name: string): boolean | undefined {
  return queryBool(keystoneQuery.string(query, name));
}

/** A string query parameter, or undefined (the first one when repeated, as Flask reads it). */
export function queryString(query: unknown, name: string): string | undefined {
  return keystoneQuery.string(query, name);
}

/** Keystone ids: uuid4 as 32 hex characters. */
export function newId(): string {
  return randomUUID().replaceAll('-', '');
}
