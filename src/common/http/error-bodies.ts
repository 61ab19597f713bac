// Error body styles, one per OpenStack client family. Each service picks the renderer its
// clients parse; see the error sections of ../shared/api-specs/*.yaml.

import type { FastifyRequest } from 'fastify';
import type { TstackError } from '../errors/index.js';

export interface RenderedError {
  readonly body: unknown;
  readonly contentType?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * What a renderer may read of the request (enough to build absolute URLs). Requests that Node's
 * HTTP parser refused never become Fastify requests; their renderer gets a stand-in.
 */
export type ErrorRequest = Pick<FastifyRequest, 'protocol' | 'host' | 'headers'>;

export type ErrorRenderer = (error: TstackError, request: ErrorRequest) => RenderedError;

/** Keystone: `{"error": {"code": 404, "title": "Not Found", "message": "..."}}`. */
export function keystoneErrorBody(error: TstackError): RenderedError {
  return { body: { error: { code: error.status, title: error.title, message: error.message } } };
}
