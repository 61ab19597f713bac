// Public surface of quotas: the engine, its tables and its error.
export { QuotaEngine, QuotaExceeded } from './quota-engine.js';
export type { QuotaCounter, QuotaDetail, QuotaEngineDeps, QuotaLimits } from './quota-engine.js';
export { createQuotaTables } from './quota-tables.js';
export type { QuotaTables } from './quota-tables.js';
