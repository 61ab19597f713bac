// Public surface of application credentials.
export { ApplicationCredentialManager } from './manager.js';
export type { ApplicationCredentialManagerDeps } from './manager.js';
export type { ApplicationCredentialBackend } from './backend.js';
export { SqlApplicationCredentialBackend } from './backends/sql.js';
export type { ApplicationCredentialTables } from './backends/sql.js';
export { applicationCredentialMigrations } from './migrations.js';
export { applicationCredentialPolicies } from './policies.js';
export { ApplicationCredentialValidationError, ValidationExpirationError, ValidationTimeStampError } from './errors.js';
export type { RoleLookup, RoleRecord } from './role-lookup.js';
export type {
  AccessRule, AccessRuleInput, ApplicationCredential, ApplicationCredentialCreate, ApplicationCredentialFilter,
  ApplicationCredentialRef, ApplicationCredentialRole, CreatedApplicationCredential, RoleSelector,
} from './model.js';
