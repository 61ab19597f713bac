// Public surface of the HTTP toolkit every API service is built with.
export { createHttpServer, toDomainError } from './server.js';
export type { ApiServer, HttpServerOptions } from './server.js';
export { authorize, createAuthorizer } from './authorize.js';
export type { Authorizer, AuthorizerOptions, PolicyTarget } from './authorize.js';
export { FLASK_QUERY_RULE, WEBOB_QUERY_RULE, queryReader } from './query.js';
export type { QueryReader, RepeatedParameterRule } from './query.js';
export { Enum, Nullable, SchemaViolation, createSchemaCompiler, jsonschemaWording } from './validation.js';
export type { AjvViolation, ErrorMessage, RequestPart, SchemaCheck, SchemaCompiler } from './validation.js';
export { keystoneErrorBody } from './error-bodies.js';
export type { ErrorRenderer, RenderedError } from './error-bodies.js';
export { REQUEST_ID_HEADER, newRequestId } from './request-id.js';
export { negotiateMicroversion, microversionResponseHeaders, parseVersion, compareVersions, formatVersion, atLeast } from './microversion.js';
export type { Microversion, MicroversionRange } from './microversion.js';
export { parsePageRequest, takePage, nextPageUrl } from './pagination.js';
export type { PageRequest } from './pagination.js';
export { requestBaseUrl } from './versions.js';
export type { ApiVersion, VersionLink } from './versions.js';
