// Public surface of the service catalog.
export { CatalogManager } from './manager.js';
export type { CatalogManagerDeps, EndpointDeclaration } from './manager.js';
export type { CatalogBackend } from './backend.js';
export { SqlCatalogBackend } from './backends/sql.js';
export type { CatalogTables } from './backends/sql.js';
export { catalogMigrations } from './migrations.js';
export { catalogPolicies } from './policies.js';
export { DuplicateRegion, RegionDeletionError, CircularRegionHierarchy, InvalidEndpointUrl, MissingReference } from './errors.js';
export { ENDPOINT_INTERFACES } from './model.js';
export { extraAttributes } from './extra.js';
export type {
  CatalogEndpoint, CatalogService, Endpoint, EndpointCreate, EndpointFilter, EndpointInterface, EndpointUpdate, ExtraAttributes,
  Region, RegionCreate, RegionFilter, RegionUpdate, Service, ServiceCreate, ServiceFilter, ServiceUpdate,
} from './model.js';
