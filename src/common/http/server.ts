// Builds the Fastify instance every API service starts from: request ids, JSON parsing that
// answers 400 on malformed bodies, schema validation without silent coercion, and one error
// handler that renders domain errors in the body style of the owning service.

import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import Fastify, { LogController } from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { FastifyBaseLogger } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { BadRequest, NotFound, TstackError, isTstackError } from '../errors/index.js';
import { newRequestId, REQUEST_ID_HEADER } from './request-id.js';
import type { ErrorRenderer, ErrorRequest, RenderedError } from './error-bodies.js';
import { SchemaViolation, createSchemaCompiler } from './validation.js';
import type { RequestPart } from './validation.js';

/**
 * The Fastify instance every API service registers its routes on: route schemas are TypeBox
 * schemas, and handlers see `request.body` / `params` / `query` typed from them.
 */
export type ApiServer = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

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

/** One route as registered: its method and its path pattern (`/v3/users/:user_id`). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered so far, so tests can walk them all (new routes included). */
    registeredRoutes(): readonly RegisteredRoute[];
  }
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

/**
 * The deepest nesting of arrays and objects a JSON body may have. OpenStack's request bodies
 * go about 6 levels deep (an auth request's auth.identity.password.user.domain.id); 32 leaves ample
 * room while keeping every recursive walk of a body (schema validation, JSON-patch, copies,
 * serialisation) far from the stack limit: 10,000 levels used to crash them into a 500.
 */
export const MAX_JSON_DEPTH = 32;

/** Decodes as UTF-8 and refuses invalid sequences instead of storing U+FFFD in their place. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Thrown for a JSON body that is not valid UTF-8, not JSON, or nested too deep (400). */
export class MalformedJsonBody extends BadRequest {}

/**
 * True when arrays and objects in `text` nest deeper than `limit`: one pass over the characters
 * (brackets inside strings ignored), stopping as soon as the limit is passed, so a hostile body
 * costs no recursion and at most one scan. Run before JSON.parse; malformed JSON is JSON.parse's
 * to refuse.
 */
function exceedsDepth(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

/**
 * Parses a JSON request body: strict UTF-8, at most MAX_JSON_DEPTH levels, valid JSON.
 * An empty body is `undefined` (routes with optional bodies decide). Throws MalformedJsonBody.
 */
export function parseJsonRequestBody(raw: Buffer | string): unknown {
  let text: string;
  if (typeof raw === 'string') {
    text = raw;
  } else {
    try {
      text = utf8.decode(raw);
    } catch (error) {
      throw new MalformedJsonBody('Malformed request body: it is not valid UTF-8.', { cause: error });
    }
  }
  if (text.trim() === '') return undefined;
  if (exceedsDepth(text, MAX_JSON_DEPTH)) {
    throw new MalformedJsonBody(`Malformed request body: it is nested more than ${MAX_JSON_DEPTH} levels deep.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new MalformedJsonBody('Malformed request body: it is not valid JSON.', { cause: error });
  }
}

/**
 * Parses bodies of `mediaType` (application/json, or a JSON dialect such as Glance's JSON-patch
 * types) with parseJsonRequestBody, so every JSON body of every service is refused the same way.
 */
export function addJsonBodyParser(app: FastifyInstance, mediaType: string): void {
  if (app.hasContentTypeParser(mediaType)) app.removeContentTypeParser(mediaType);
  app.addContentTypeParser(mediaType, { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonRequestBody(body));
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

class RequestHeaderFieldsTooLarge extends TstackError {
  readonly status = 431;
  readonly title = 'Request Header Fields Too Large';
}

class RequestTimeout extends TstackError {
  readonly status = 408;
  readonly title = 'Request Timeout';
}

/** Errors Fastify's router raises before any route runs (frameworkErrors), as domain errors. */
function routerError(error: FastifyError): TstackError {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new BadRequest('The request URL is malformed: it has an invalid percent-encoding.');
    // A path segment longer than any id the services make cannot name anything.
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new NotFound('The resource could not be found.');
    default:
      return toDomainError(error);
  }
}

/**
 * Errors Node's HTTP parser raises on a request it cannot read (a header block past
 * maxHeaderSize, a malformed Content-Length or chunk, a timeout), as domain errors.
 */
function parserError(error: Error & { code?: string }): TstackError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new RequestHeaderFieldsTooLarge('The request line or its headers are too large.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new RequestTimeout('The request was not received in time.');
    default:
      return new BadRequest('The request is not valid HTTP and could not be read.');
  }
}

function bodyText(rendered: RenderedError): string {
  return typeof rendered.body === 'string' ? rendered.body : JSON.stringify(rendered.body);
}

/**
 * Answers a request Node's parser refused. Fastify never sees such a request, so there is no
 * reply object: a minimal HTTP/1.1 response in the service's error format is written to the
 * socket (only when nothing was written yet, as Node's own handler does), then the socket closes.
 */
function answerUnreadableRequest(renderError: ErrorRenderer, log: FastifyBaseLogger, error: Error & { code?: string }, socket: Socket): void {
  // The peer is gone: there is no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const domainError = parserError(error);
  log.debug({ err: error }, 'unreadable request');
  if (socket.writable && socket.bytesWritten === 0) {
    const standIn: ErrorRequest = { protocol: 'http', host: socket.localAddress ?? 'localhost', headers: {} };
    const rendered = renderError(domainError, standIn);
    const body = bodyText(rendered);
    const headers: Record<string, string> = {
      ...rendered.headers,
      'content-type': rendered.contentType ?? 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      [REQUEST_ID_HEADER]: newRequestId(),
      connection: 'close',
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(`HTTP/1.1 ${domainError.status} ${STATUS_CODES[domainError.status] ?? domainError.title}\r\n${head}\r\n${body}`);
  }
  socket.destroy(error);
}

/** Sends `error` rendered by the service's renderer, with its status and headers. */
function sendError(renderError: ErrorRenderer, request: FastifyRequest, reply: FastifyReply, error: TstackError): FastifyReply {
  const rendered = renderError(error, request);
  for (const [name, value] of Object.entries(rendered.headers ?? {})) reply.header(name, value);
  return reply.status(error.status).type(rendered.contentType ?? 'application/json').send(rendered.body);
}

/** The `title` of the route schema of `part`, which some services name in their messages. */
function schemaTitle(request: FastifyRequest | undefined, part: RequestPart): string | undefined {
  const schema = (request?.routeOptions.schema as Partial<Record<RequestPart, unknown>> | undefined)?.[part];
  const title = typeof schema === 'object' && schema !== null ? (schema as { title?: unknown }).title : undefined;
  return typeof title === 'string' ? title : undefined;
}

/** Maps anything thrown by a handler or by Fastify itself to a domain error. */
export function toDomainError(error: unknown, request?: FastifyRequest): TstackError {
  if (isTstackError(error)) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    const first = fastifyError.validation[0];
    const part = (fastifyError.validationContext ?? 'body') as RequestPart;
    if (first) return new SchemaViolation(first, part, schemaTitle(request, part));
    return new BadRequest('Invalid input.');
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

export function createHttpServer(options: HttpServerOptions): ApiServer {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => newRequestId(),
    bodyLimit: options.bodyLimitBytes ?? 1024 * 1024,
    // OpenStack clients send paths like /v3/ and /v3 interchangeably.
    // Keystone ids (regions, for one) may be 255 characters; Fastify's default allows 100.
    routerOptions: { ignoreTrailingSlash: options.ignoreTrailingSlash ?? true, ignoreDuplicateSlashes: true, maxParamLength: 512 },
    // Every error, whoever raises it, is rendered in the service's own format: the router's
    // (bad percent-encoding, overlong path segment) here, Node's parser's in clientErrorHandler.
    frameworkErrors: (error, request, reply) => {
      reply.header(REQUEST_ID_HEADER, request.id);
      sendError(options.renderError, request, reply, routerError(error));
    },
    clientErrorHandler: (error, socket) => answerUnreadableRequest(options.renderError, options.logger, error, socket),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Route schemas are checked by tstack's Ajv (no coercion; see validation.ts).
  const schemas = createSchemaCompiler();
  app.setValidatorCompiler(({ schema }) => schemas.compileRoute(schema));

  addJsonBodyParser(app, 'application/json');

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const domainError = toDomainError(error, request);
    if (domainError.status >= 500) request.log.error({ err: error }, 'unhandled error');
    return sendError(options.renderError, request, reply, domainError);
  });

  // Remember every route's path pattern, so a known path asked with the wrong method is a 405
  // (as the OpenStack services answer) rather than a 404.
  const routes: (RegisteredRoute & { pattern: RegExp })[] = [];
  app.addHook('onRoute', (route) => {
    const source = route.url.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    for (const method of [route.method].flat()) routes.push({ pattern: new RegExp(`^${source}/?$`), method, url: route.url });
  });
  app.decorate('registeredRoutes', () => routes.map(({ method, url }) => ({ method, url })));
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
