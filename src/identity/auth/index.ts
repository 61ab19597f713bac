// Authentication (keystone/auth): turns an auth request (password, token, application
// credential) into token data, through the lookups the other subsystems provide.

export { AuthManager } from './manager.js';
export type { AuthManagerDeps } from './manager.js';
export { authRequestSchema } from './auth-request.js';
export type { AuthRequest, EntityRef } from './auth-request.js';
export type { ApplicationCredentialRecord, AuthLookups, CatalogService, DomainRecord, ProjectRecord, RoleRef, UserRecord } from './lookups.js';
