// Public surface of token revocation.
export { RevokeManager } from './manager.js';
export type { RevokeManagerDeps } from './manager.js';
export { SqlRevokeBackend } from './backends/sql.js';
export type { RevokeTables } from './backends/sql.js';
export { revokeMigrations } from './migrations.js';
export type { RevocationEvent, RevocableToken } from './model.js';
