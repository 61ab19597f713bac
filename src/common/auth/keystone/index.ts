// Public surface of the Keystone client side: the service user's session and the token validator.
export { KeystoneSession } from './keystone-session.js';
export type { EndpointInterface, KeystoneSessionOptions, SessionRequestInit } from './keystone-session.js';
export { ACCESS_RULES_HEADER, ACCESS_RULES_VERSION, KeystoneTokenValidator } from './keystone-token-validator.js';
export type { KeystoneTokenValidatorOptions } from './keystone-token-validator.js';
export type { CatalogEndpoint, CatalogEntry } from './keystone-token.js';
export type { HttpReply } from './http.js';
export { EndpointNotFound, ServiceAuthenticationFailed } from './errors.js';
