// Public surface of the identity service (Keystone): what the CLI and other services may use.
export {
  IdentityService, identityConnection, identityKeyRepository, identityMigrations, identityPolicies,
  rotateIdentityKeys, setupIdentityKeys, syncIdentityDatabase,
} from './service.js';
export type { BootstrapOptions, IdentityConfig, IdentityServiceOptions } from './service.js';
export { identityOptions } from './config.js';
