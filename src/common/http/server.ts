// Builds the Fastify instance every API service starts from: request ids, JSON parsing that
// answers 400 on malformed bodies, schema validation without silent coercion, and one error
// handler that renders domain errors in the body style of the owning service.

import Fastify, { LogController } from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import { BadRequest, NotFound, TstackError, isTstackError } from '../errors/index.js';
import { newRequestId, REQUEST_ID_HEADER } from './request-id.js';
import type { ErrorRenderer } from './error-bodies.js';

export interface HttpServerOptions {
  readonly logger: FastifyBaseLogger;
  /** Renders an error in the body style the service's clients expect. */
  readonly renderError: ErrorRenderer;
  /** Largest accepted request body for parsed (JSON) content types. */
  readonly bodyLimitBytes?: number;
  /**
   * Route `/x/` as `/x` (default true: Keystone's clients use both). Glance answers
   * `/v2/images/` with 404, and Tempest checks it.
   */
  readonly ignoreTrailingSlash?: boolean;
}

class UnsupportedMediaType extends TstackError {
  readonly status = 415;
  readonly title = 'Unsupported Media Type';
}

class InternalServerError extends TstackError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
}

class MethodNotAllowed extends TstackError {
  readonly status = 405;
  readonly title = 'Method Not Allowed';
}

class PayloadTooLarge extends TstackError {
  readonly status = 413;
  readonly title = 'Request Entity Too Large';
}

/** JSON bodies, parsed by us so malformed input becomes the service's own 400 body. */
function parseJsonBody(_req: FastifyRequest, body: string, done: (err: Error | null, value?: unknown) => void): void {
  if (body.trim() === '') return done(null, undefined);
  try {
    done(null, JSON.parse(body));
  } catch {
    done(new BadRequest('Malformed request body: it is not valid JSON.'));
  }
}

/** Maps anything thrown by a handler or by Fastify itself to a domain error. */
export function toDomainError(error: unknown): TstackError {
  if (isTstackError(error)) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    const first = fastifyError.validation[0];
    const where = first?.instancePath ? `'${first.instancePath.replace(/^\//, '').replaceAll('/', '.')}' ` : '';
    return new BadRequest(`Invalid input for field ${where}${first?.message ?? 'is invalid'}.`.replace(/\s+/g, ' '));
  }
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new UnsupportedMediaType('The request media type is not supported by this resource.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new PayloadTooLarge('Request is too large.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new BadRequest('Malformed request body.');
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new BadRequest(fastifyError.message ?? 'Bad request.');
  }
  return new InternalServerError('An unexpected error prevented the server from fulfilling your request.', { cause: error });
}

export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => newRequestId(),
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // OpenStack clients send paths like /v3/ and /v3 interchangeably.
    // Keystone ids (regions, for one) may be 255 characters; Fastify's default allows 100.
    routerOptions: { ignoreTrailingSlash: options.ignoreTrailingSlash ?? true, ignoreDuplicateSlashes: true, maxParamLength: 512 },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
  });

  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const domainError = toDomainError(error);
    if (domainError.status >= 500) request.log.error({ err: error }, 'unhandled error');
    const rendered = options.renderError(domainError, request);
    for (const [name, value] of Object.entries(rendered.headers ?? {})) reply.header(name, value);
    return reply.status(domainError.status).type(rendered.contentType ?? 'application/json').send(rendered.body);
  });

  // Remember every route's path pattern, so a known path asked with the wrong method is a 405
  // (as the OpenStack services answer) rather than a 404.
  const routes: { pattern: RegExp; method: string }[] = [];
  app.addHook('onRoute', (route) => {
    const source = route.url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    for (const method of [route.method].flat()) routes.push({ pattern: new RegExp(`^${source}/?$`), method });
  });
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).map((r) => r.method))];
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      throw new MethodNotAllowed(`The method ${request.method} is not allowed for this resource.`);
    }
    throw new NotFound('The resource could not be found.');
  });

  return app;
}
