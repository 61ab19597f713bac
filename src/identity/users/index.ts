// Public surface of Keystone's identity subsystem: users, groups, memberships, passwords.
export { IdentityManager } from './manager.js';
export type { IdentityManagerDeps, DomainLookup } from './manager.js';
export type { UserBackend, UserChanges, GroupChanges } from './backend.js';
export { SqlUserBackend } from './backends/sql.js';
export type { UserTables } from './backends/sql.js';
export { userMigrations } from './migrations.js';
export { ScryptPasswordHasher } from '../password-hash.js';
export type { PasswordHasher, ScryptHasherOptions } from '../password-hash.js';
export { userPolicies } from './policies.js';
export { MAX_PASSWORD_LENGTH, PASSWORD_TOO_LONG, USER_OPTION_NAMES } from './model.js';
export type {
  User, Group, UserCreate, UserUpdate, GroupCreate, GroupUpdate, UserFilter, GroupFilter,
  UserOptions, UserOptionName, UserOptionValue, ExtraAttributes,
} from './model.js';
