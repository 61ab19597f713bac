// Public surface of the assignment subsystem: roles, implied roles, grants and role assignments.
export { AssignmentManager } from './manager.js';
export type { AssignmentManagerDeps, DescribeOptions, GrantHolder, GrantParties, GrantSubject } from './manager.js';
export { RoleManager } from './role-manager.js';
export type { RoleInference, RoleManagerDeps } from './role-manager.js';
export type { AssignmentBackend, GrantFilter, RoleBackend, RoleFilter } from './backend.js';
export { SqlAssignmentBackend } from './backends/sql.js';
export type { AssignmentTables } from './backends/sql.js';
export { SqlRoleBackend } from './backends/sql-roles.js';
export { assignmentMigrations } from './migrations.js';
export { assignmentPolicies } from './policies.js';
export type { ActorRef, DomainRef, IdentityLookup, ProjectRef, ResourceLookup } from './lookups.js';
export { SYSTEM_TARGET_ID } from './model.js';
export type {
  ActorType, AssignmentNames, AssignmentSource, Grant, ImpliedRole, NamedInDomain, NamedRoleAssignment, Role,
  RoleAssignment, RoleAssignmentQuery, RoleCreate, RoleOptions, RoleSummary, RoleUpdate, TargetType,
} from './model.js';
export {
  DomainSpecificRoleMismatch, DuplicateImpliedRole, DuplicateRole, ImpliedRoleNotFound, InvalidImpliedRole,
  ResourceDeleteForbidden, ResourceUpdateForbidden, RoleAssignmentNotFound, RoleNotFound,
} from './errors.js';
