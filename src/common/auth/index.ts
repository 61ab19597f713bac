// Public surface of the auth foundations: request context, token validation hook and cache.
export { policyCredentials } from './context.js';
export type { PolicySubject, RequestContext, ValidatedToken } from './context.js';
export { installAuthHook, requireAuth, TokenCache } from './auth-hook.js';
export type { AuthHookOptions, TokenValidator } from './auth-hook.js';
export { EndpointNotFound, KeystoneSession, KeystoneTokenValidator, ServiceAuthenticationFailed } from './keystone/index.js';
export type { CatalogEndpoint, CatalogEntry, EndpointInterface, HttpReply, KeystoneSessionOptions, KeystoneTokenValidatorOptions, SessionRequestInit } from './keystone/index.js';
