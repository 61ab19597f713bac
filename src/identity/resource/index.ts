// Public surface of the resource subsystem: domains, projects and their hierarchy and tags.
export { ResourceManager } from './manager.js';
export type { ResourceManagerDeps } from './manager.js';
export type { ResourceBackend, ProjectChanges } from './backend.js';
export { SqlResourceBackend } from './backends/sql.js';
export type { ResourceTables } from './backends/sql.js';
export { resourceMigrations } from './migrations.js';
export { resourcePolicies } from './policies.js';
export { ProjectConflict, ImmutableResource, ImmutableProjectTags } from './errors.js';
export { MAX_PROJECT_TAGS, MAX_TAG_LENGTH } from './tags.js';
export type {
  Domain, DomainCreate, DomainFilters, DomainUpdate, IdTree, Project, ProjectCreate, ProjectFilters,
  ProjectUpdate, ResourceOptions, TagFilters,
} from './model.js';
