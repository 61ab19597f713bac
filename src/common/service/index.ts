// Public surface of the service kit: one typed declaration per service (`defineService`), the
// wiring every service shares (`startService`), the options every service has, and the
// port check `tstack up` and `serve` run before anything starts.
export { defineService, serviceConnection, startService } from './start-service.js';
export { startServiceAlone } from './start-alone.js';
export type { AloneEnvironment } from './start-alone.js';
export { serviceOptions, serviceUserFromOptions, serviceUserOptions } from './service-options.js';
export type { ServiceOptionDefaults } from './service-options.js';
export { checkPortsFree, PortInUse } from './port-check.js';
export type { PlannedPort } from './port-check.js';
export type {
  BootstrapOptions, CatalogEntry, IdentityAccess, IdentityAdmin, RunningService, ServiceContext, ServiceDefinition,
  ServiceDescriptor, ServiceEnvironment, ServiceOptionGroup, ServiceOptionMap, ServiceParts, ServiceSettings, ServiceSpec,
  ServiceUserOptionMap, ServiceUserSettings, TypedServiceEnvironment,
} from './service-definition.js';
export { cloudOptions } from './cloud-options.js';
