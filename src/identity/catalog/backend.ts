// The catalog driver contract. Mirrors keystone/catalog/backends/base.py: plain storage of
// regions, services and endpoints; the manager checks references and hierarchy before calling.

import type { Endpoint, EndpointFilter, Region, RegionFilter, Service, ServiceFilter } from './model.js';

export interface CatalogBackend {
  /** Stores a new region. Throws DuplicateRegion (409) when the id is taken. */
  createRegion(region: Region): Promise<Region>;
  /** Throws EntityNotFound('region') when absent. */
  getRegion(regionId: string): Promise<Region>;
  /** Every region, or those with the given parent; ordered by id. */
  listRegions(filter: RegionFilter): Promise<Region[]>;
  /** Replaces every stored field but the id. Throws EntityNotFound('region') when absent. */
  updateRegion(region: Region): Promise<Region>;
  /**
   * Deletes a region and all its descendants in one transaction.
   * Throws EntityNotFound('region') when absent and RegionDeletionError (403), deleting
   * nothing, when the region or a descendant is referenced by an endpoint.
   */
  deleteRegion(regionId: string): Promise<void>;

  createService(service: Service): Promise<Service>;
  /** Throws EntityNotFound('service') when absent. */
  getService(serviceId: string): Promise<Service>;
  /** Services matching every given filter exactly; ordered by id. */
  listServices(filter: ServiceFilter): Promise<Service[]>;
  /** Replaces every stored field but the id. Throws EntityNotFound('service') when absent. */
  updateService(service: Service): Promise<Service>;
  /** Deletes the service and its endpoints together. Throws EntityNotFound('service') when absent. */
  deleteService(serviceId: string): Promise<void>;

  /** Stores a new endpoint; its service and region must exist. */
  createEndpoint(endpoint: Endpoint): Promise<Endpoint>;
  /** Throws EntityNotFound('endpoint') when absent. */
  getEndpoint(endpointId: string): Promise<Endpoint>;
  /** Endpoints matching every given filter exactly; ordered by id. */
  listEndpoints(filter: EndpointFilter): Promise<Endpoint[]>;
  /** Replaces every stored field but the id. Throws EntityNotFound('endpoint') when absent. */
  updateEndpoint(endpoint: Endpoint): Promise<Endpoint>;
  /** Throws EntityNotFound('endpoint') when absent. */
  deleteEndpoint(endpointId: string): Promise<void>;
}
