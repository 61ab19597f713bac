// Pieces every Glance route uses: the policy check with Glance's wording, the one policy
// target of an image, webob-style plain-text error bodies, and webob's reading of the query.

import { Forbidden, TstackError } from '../../common/errors/index.js';
import { SchemaViolation, WEBOB_QUERY_RULE, createAuthorizer, jsonschemaWording, queryReader } from '../../common/http/index.js';
import type { Authorizer, RenderedError } from '../../common/http/index.js';
import type { Enforcer } from '../../common/policy/index.js';
import type { Image } from '../model.js';

export { authorize } from '../../common/http/index.js';
export type { Authorizer } from '../../common/http/index.js';

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

/** The Authorizer of Glance's Enforcer: a denial says "You are not authorized to complete X action.", as Glance does. */
export function imageAuthorizer(enforcer: Enforcer): Authorizer {
  return createAuthorizer(enforcer, {
    denied: (action, cause) => new Forbidden(`You are not authorized to complete ${action} action.`, { cause }),
  });
}

/** Glance runs on webob: a repeated single-valued parameter counts by its last occurrence. */
export const glanceQuery = queryReader(WEBOB_QUERY_RULE);

/** What of an image a policy target needs; an Image fits, and so does the data routes' view of one. */
export interface ImageTargetSource {
  readonly id: string;
  readonly owner: string | null;
  readonly visibility: string;
  readonly status: string;
  readonly protected?: boolean;
  readonly name?: string | null;
  readonly properties?: Readonly<Record<string, string>>;
}

/**
 * What policy rules read about an image, for every rule that takes one (get_image,
 * modify_image, upload_image, download_image...): its owner as `project_id`, as
 * glance.api.policy.ImageTarget.
 */
export function imageTarget(image: ImageTargetSource | Image): Record<string, unknown> {
  // Extra properties first: a property named `project_id` must never stand in for the owner.
  return {
    ...image.properties, id: image.id, project_id: image.owner, owner: image.owner, visibility: image.visibility, status: image.status,
    ...(image.protected === undefined ? {} : { protected: image.protected }),
    ...(image.name === undefined ? {} : { name: image.name }),
  };
}

/**
 * Glance's error bodies are webob's plain-text pages ("404 Not Found\n\n<message>\n\n   ");
 * glanceclient and openstacksdk show that text to the user.
 */
export function renderImageError(error: TstackError): RenderedError {
  const headers = error instanceof UnsupportedMediaType ? { headers: error.headers } : {};
  return { body: `${error.status} ${error.title}\n\n${glanceMessage(error)}\n\n   `, contentType: 'text/plain; charset=UTF-8', ...headers };
}

/**
 * The message as Glance words it: a schema violation in jsonschema's words, prefixed as
 * glance.common.exception.InvalidObject does when the schema has a title.
 */
function glanceMessage(error: TstackError): string {
  if (!(error instanceof SchemaViolation) || error.customMessage !== undefined) return error.message;
  const detail = jsonschemaWording(error);
  return error.schemaTitle ? `Provided object does not match schema '${error.schemaTitle}': ${detail}` : detail;
}

/** Every value of a query parameter, in order (repeated parameters such as `tag`). */
export function queryValues(query: unknown, name: string): string[] {
  return glanceQuery.values(query, name);
}

/** A string query parameter, or undefined; the last one wins when repeated, as webob reads it. */
export function queryString(query: unknown, name: string): string | undefined {
  return glanceQuery.string(query, name);
}
