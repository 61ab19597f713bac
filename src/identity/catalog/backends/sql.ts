// Catalog storage in the identity database. Mirrors keystone/catalog/backends/sql.py.

import type { Kysely, Transaction } from 'kysely';
import { EntityNotFound } from '../../errors.js';
import type { CatalogBackend } from '../backend.js';
import { DuplicateRegion, RegionDeletionError } from '../errors.js';
import type { Endpoint, EndpointFilter, EndpointInterface, ExtraAttributes, Region, RegionFilter, Service, ServiceFilter } from '../model.js';
import { isUniqueViolation } from '../../../common/db/index.js';

export interface CatalogTables {
  region: {
    id: string;
    description: string;
    parent_region_id: string | null;
    /** JSON object of extra attributes. */
    extra: string;
  };
  service: {
    id: string;
    type: string;
    name: string;
    enabled: number;
    extra: string;
  };
  endpoint: {
    id: string;
    interface: string;
    region_id: string | null;
    service_id: string;
    url: string;
    enabled: number;
    extra: string;
  };
}

type RegionRow = CatalogTables['region'];
type ServiceRow = CatalogTables['service'];
type EndpointRow = CatalogTables['endpoint'];

function parseExtra(text: string): ExtraAttributes {
  const value: unknown = JSON.parse(text);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as ExtraAttributes : {};
}

function toRegion(row: RegionRow): Region {
  return { id: row.id, description: row.description, parentRegionId: row.parent_region_id, extra: parseExtra(row.extra) };
}

function regionRow(region: Region): RegionRow {
  return { id: region.id, description: region.description, parent_region_id: region.parentRegionId, extra: JSON.stringify(region.extra) };
}

function toService(row: ServiceRow): Service {
  return { id: row.id, type: row.type, name: row.name, enabled: row.enabled === 1, extra: parseExtra(row.extra) };
}

function serviceRow(service: Service): ServiceRow {
  return { id: service.id, type: service.type, name: service.name, enabled: service.enabled ? 1 : 0, extra: JSON.stringify(service.extra) };
}

function toEndpoint(row: EndpointRow): Endpoint {
  return {
    id: row.id, interface: row.interface as EndpointInterface, regionId: row.region_id, serviceId: row.service_id,
    url: row.url, enabled: row.enabled === 1, extra: parseExtra(row.extra),
  };
}

function endpointRow(endpoint: Endpoint): EndpointRow {
  return {
    id: endpoint.id, interface: endpoint.interface, region_id: endpoint.regionId, service_id: endpoint.serviceId,
    url: endpoint.url, enabled: endpoint.enabled ? 1 : 0, extra: JSON.stringify(endpoint.extra),
  };
}


/** `root` and every region below it; a loop in stored data cannot make this spin. */
function descendantsOf(root: string, rows: readonly Pick<RegionRow, 'id' | 'parent_region_id'>[]): string[] {
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    for (const row of rows) {
      if (row.parent_region_id === found[i] && !found.includes(row.id)) found.push(row.id);
    }
  }
  return found;
}

export class SqlCatalogBackend implements CatalogBackend {
  constructor(private readonly db: Kysely<CatalogTables>) {}

  async createRegion(region: Region): Promise<Region> {
    try {
      await this.db.insertInto('region').values(regionRow(region)).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new DuplicateRegion(region.id);
      throw error;
    }
    return region;
  }

  async getRegion(regionId: string): Promise<Region> {
    const row = await this.db.selectFrom('region').selectAll().where('id', '=', regionId).executeTakeFirst();
    if (!row) throw new EntityNotFound('region', regionId);
    return toRegion(row);
  }

  async listRegions(filter: RegionFilter): Promise<Region[]> {
    let query = this.db.selectFrom('region').selectAll().orderBy('id');
    if (filter.parentRegionId !== undefined) query = query.where('parent_region_id', '=', filter.parentRegionId);
    return (await query.execute()).map(toRegion);
  }

  async updateRegion(region: Region): Promise<Region> {
    const { id, ...fields } = regionRow(region);
    const result = await this.db.updateTable('region').set(fields).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) await this.getRegion(id);
    return region;
  }

  async deleteRegion(regionId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.getRegionIn(trx, regionId);
      const all = await trx.selectFrom('region').select(['id', 'parent_region_id']).execute();
      const doomed = descendantsOf(regionId, all);
      const used = await trx.selectFrom('endpoint').select('id').where('region_id', 'in', doomed).executeTakeFirst();
      if (used) throw new RegionDeletionError(regionId);
      await trx.deleteFrom('region').where('id', 'in', doomed).execute();
    });
  }

  async createService(service: Service): Promise<Service> {
    await this.db.insertInto('service').values(serviceRow(service)).execute();
    return service;
  }

  async getService(serviceId: string): Promise<Service> {
    const row = await this.db.selectFrom('service').selectAll().where('id', '=', serviceId).executeTakeFirst();
    if (!row) throw new EntityNotFound('service', serviceId);
    return toService(row);
  }

  async listServices(filter: ServiceFilter): Promise<Service[]> {
    let query = this.db.selectFrom('service').selectAll().orderBy('id');
    if (filter.type !== undefined) query = query.where('type', '=', filter.type);
    if (filter.name !== undefined) query = query.where('name', '=', filter.name);
    return (await query.execute()).map(toService);
  }

  async updateService(service: Service): Promise<Service> {
    const { id, ...fields } = serviceRow(service);
    const result = await this.db.updateTable('service').set(fields).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) await this.getService(id);
    return service;
  }

  async deleteService(serviceId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('endpoint').where('service_id', '=', serviceId).execute();
      const result = await trx.deleteFrom('service').where('id', '=', serviceId).executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new EntityNotFound('service', serviceId);
    });
  }

  async createEndpoint(endpoint: Endpoint): Promise<Endpoint> {
    await this.db.insertInto('endpoint').values(endpointRow(endpoint)).execute();
    return endpoint;
  }

  async getEndpoint(endpointId: string): Promise<Endpoint> {
    const row = await this.db.selectFrom('endpoint').selectAll().where('id', '=', endpointId).executeTakeFirst();
    if (!row) throw new EntityNotFound('endpoint', endpointId);
    return toEndpoint(row);
  }

  async listEndpoints(filter: EndpointFilter): Promise<Endpoint[]> {
    let query = this.db.selectFrom('endpoint').selectAll().orderBy('id');
    if (filter.interface !== undefined) query = query.where('interface', '=', filter.interface);
    if (filter.serviceId !== undefined) query = query.where('service_id', '=', filter.serviceId);
    if (filter.regionId !== undefined) query = query.where('region_id', '=', filter.regionId);
    return (await query.execute()).map(toEndpoint);
  }

  async updateEndpoint(endpoint: Endpoint): Promise<Endpoint> {
    const { id, ...fields } = endpointRow(endpoint);
    const result = await this.db.updateTable('endpoint').set(fields).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) await this.getEndpoint(id);
    return endpoint;
  }

  async deleteEndpoint(endpointId: string): Promise<void> {
    const result = await this.db.deleteFrom('endpoint').where('id', '=', endpointId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw new EntityNotFound('endpoint', endpointId);
  }

  private async getRegionIn(trx: Transaction<CatalogTables>, regionId: string): Promise<void> {
    const row = await trx.selectFrom('region').select('id').where('id', '=', regionId).executeTakeFirst();
    if (!row) throw new EntityNotFound('region', regionId);
  }
}
