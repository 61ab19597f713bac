// Fixture for the catalog API tests: a catalog on in-memory SQLite behind the region, service
// and endpoint routes, with Keystone's default catalog policies.

import type { FastifyInstance } from 'fastify';
import type { ValidatedToken } from '../../common/auth/index.js';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { CatalogManager, SqlCatalogBackend, catalogMigrations, catalogPolicies } from '../catalog/index.js';
import type { CatalogTables } from '../catalog/index.js';
import { registerEndpointRoutes } from './endpoints.js';
import { registerRegionRoutes } from './regions.js';
import { registerServiceRoutes } from './services.js';
import { buildTestApp, testAuthorizer } from './testing.js';

/** The app (for `inject`) and its catalog (to arrange data directly). */
export async function buildCatalogTestApp(extraTokens: Readonly<Record<string, ValidatedToken>> = {}): Promise<{ app: FastifyInstance; catalog: CatalogManager }> {
  const database = openDatabase<CatalogTables>('sqlite:///:memory:');
  await migrateDatabase(database, 'identity', catalogMigrations);
  const catalog = new CatalogManager({ backend: new SqlCatalogBackend(database.db) });
  const deps = { policy: testAuthorizer(catalogPolicies), catalog };
  const app = await buildTestApp((a) => {
    registerRegionRoutes(a, deps);
    registerServiceRoutes(a, deps);
    registerEndpointRoutes(a, deps);
  }, extraTokens);
  app.addHook('onClose', () => database.close());
  return { app, catalog };
}
