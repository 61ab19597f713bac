// Public surface of the auth foundations: request context, token validation hook and cache,
// application-credential access rules, and revocation notifications that empty the cache.
export { policyCredentials } from './context.js';
export type { PolicySubject, RequestContext, ValidatedToken } from './context.js';
export { accessRulesAllow } from './access-rules.js';
export type { AccessRequest, AccessRule } from './access-rules.js';
export { installAuthHook, requireAuth, TokenCache } from './auth-hook.js';
export type { AuthHookOptions, RevokedTokens, TokenValidator } from './auth-hook.js';
export { REVOCATION_EVENT_TYPES, RevocationListener, revokedBy } from './revocation-listener.js';
export type { RevocationListenerOptions } from './revocation-listener.js';
export { ACCESS_RULES_HEADER, ACCESS_RULES_VERSION, EndpointNotFound, KeystoneSession, KeystoneTokenValidator, ServiceAuthenticationFailed } from './keystone/index.js';
export type { CatalogEndpoint, CatalogEntry, EndpointInterface, HttpReply, KeystoneSessionOptions, KeystoneTokenValidatorOptions, SessionRequestInit } from './keystone/index.js';
