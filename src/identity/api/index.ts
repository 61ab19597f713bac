// The identity API (keystone/api): every route registration, the error renderer and the
// policy adapter that service.ts wires.

export { registerAuthRoutes } from './auth.js';
export { identityAuthorizer } from './common.js';
export { renderIdentityError } from './error-renderer.js';
export { registerVersionRoutes } from './versions.js';
export { registerDomainRoutes } from './domains.js';
export { projectView, registerProjectRoutes } from './projects.js';
export { registerUserRoutes } from './users.js';
export { registerGroupRoutes } from './groups.js';
export { registerRegionRoutes } from './regions.js';
export { registerServiceRoutes } from './services.js';
export { registerEndpointRoutes } from './endpoints.js';
export { registerRoleRoutes } from './roles.js';
export { registerGrantRoutes } from './grants.js';
export { registerRoleAssignmentRoutes } from './role-assignments.js';
export { registerApplicationCredentialRoutes } from './application-credentials.js';
