// Pieces every Glance route uses: policy checks with Glance's wording, the policy target of an
// image, webob-style plain-text error bodies, and query-string access.

import type { FastifyRequest } from 'fastify';
import { policyCredentials, requireAuth } from '../../common/auth/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import { Forbidden, TstackError } from '../../common/errors/index.js';
import type { RenderedError } from '../../common/http/index.js';
import { PolicyNotAuthorized } from '../../common/policy/index.js';
import type { Enforcer } from '../../common/policy/index.js';
import type { Image } from '../model.js';

/** Decides whether a caller may perform a named Glance action on a target (same shape as identity's). */
export interface Authorizer {
  /** Throws a 403 error when `context` may not perform `action` on `target`. */
  authorize(action: string, target: Readonly<Record<string, unknown>>, context: RequestContext): void;
}

/** 415: a body in a media type the route does not take; a PATCH names Glance's JSON-patch types in Accept-Patch. */
export class UnsupportedMediaType extends TstackError {
  readonly status = 415;
  readonly title = 'Unsupported Media Type';
  readonly headers: Readonly<Record<string, string>>;
  constructor(message: string, acceptPatch: readonly string[] = []) {
    super(message);
    this.headers = acceptPatch.length ? { 'accept-patch': [...acceptPatch].sort().join(', ') } : {};
  }
}

/** The Authorizer of an oslo.policy-style Enforcer, with Glance's denial message. */
export function enforcerAuthorizer(enforcer: Enforcer): Authorizer {
  return {
    authorize: (action, target, context) => {
      try {
        enforcer.authorize(action, target, policyCredentials(context));
      } catch (error) {
        if (error instanceof PolicyNotAuthorized) throw new Forbidden(`You are not authorized to complete ${action} action.`, { cause: error });
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

/** What policy rules read about an image: its owner as `project_id`, as glance.api.policy.ImageTarget. */
export function imageTarget(image: Image): Record<string, unknown> {
  // Extra properties first: a property named `project_id` must never stand in for the owner.
  return {
    ...image.properties, id: image.id, project_id: image.owner, owner: image.owner, visibility: image.visibility,
    status: image.status, protected: image.protected, name: image.name,
  };
}

/**
 * Glance's error bodies are webob's plain-text pages ("404 Not Found\n\n<message>\n\n   ");
 * glanceclient and openstacksdk show that text to the user.
 */
export function renderImageError(error: TstackError): RenderedError {
  const headers = error instanceof UnsupportedMediaType ? { headers: error.headers } : {};
  return { body: `${error.status} ${error.title}\n\n${error.message}\n\n   `, contentType: 'text/plain; charset=UTF-8', ...headers };
}

/** Every value of a query parameter, in order (repeated parameters such as `tag`). */
export function queryValues(query: unknown, name: string): string[] {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** A string query parameter, or undefined; the last one wins when repeated. */
export function queryString(query: unknown, name: string): string | undefined {
  const values = queryValues(query, name);
  return values[values.length - 1];
}
