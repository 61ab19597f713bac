// Public surface of the identity service (Keystone): what the CLI and other services may use.
export {
  IdentityApi, IdentityService, identityConnection, identityKeyRepository, identityMigrations, identityPolicies, identityService,
  rotateIdentityKeys, setupIdentityKeys,
} from './service.js';
export type { BootstrapOptions, IdentityConfig, IdentityManagers, IdentityServiceOptions, IdentityTables } from './service.js';
export { identityOptions } from './config.js';
