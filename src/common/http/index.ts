// Public surface of the HTTP toolkit every API service is built with.
export { MAX_JSON_DEPTH, MalformedJsonBody, addJsonBodyParser, createHttpServer, parseJsonRequestBody, toDomainError } from './server.js';
export type { ApiServer, HttpServerOptions, RegisteredRoute } from './server.js';
export { authorize, createAuthorizer } from './authorize.js';
export type { Authorizer, AuthorizerOptions, PolicyTarget } from './authorize.js';
export { FLASK_QUERY_RULE, WEBOB_QUERY_RULE, queryReader } from './query.js';
export type { QueryReader, RepeatedParameterRule } from './query.js';
export { Enum, Nullable, SchemaViolation, createSchemaCompiler, jsonschemaWording } from './validation.js';
export type { AjvViolation, ErrorMessage, RequestPart, SchemaCheck, SchemaCompiler } from './validation.js';
export { keystoneErrorBody } from './error-bodies.js';
export type { ErrorRenderer, ErrorRequest, RenderedError } from './error-bodies.js';
export { REQUEST_ID_HEADER, newRequestId } from './request-id.js';
export { negotiateMicroversion, microversionResponseHeaders, parseVersion, compareVersions, formatVersion, atLeast } from './microversion.js';
export type { Microversion, MicroversionRange } from './microversion.js';
export {
  parseChangesSince, parseFields, parseLimit, parseMarker, parseSort, parseTagFilter, parseTimeFilters,
} from './list-query.js';
export type { LimitOptions, SortOptions } from './list-query.js';
export { requestBaseUrl } from './versions.js';
export type { ApiVersion, VersionLink } from './versions.js';
