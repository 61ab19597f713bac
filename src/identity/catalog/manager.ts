// The catalog (keystone/catalog/core.py): regions, services and endpoints, their references
// and hierarchy, and the per-token catalog with URL templates filled in.

import { randomUUID } from 'node:crypto';
import { NotFound } from '../errors.js';
import type { CatalogBackend } from './backend.js';
import { CircularRegionHierarchy, DuplicateRegion, MissingReference } from './errors.js';
import type {
  CatalogService, Endpoint, EndpointCreate, EndpointFilter, EndpointInterface, EndpointUpdate, ExtraAttributes, Region,
  RegionCreate, RegionFilter, RegionUpdate, Service, ServiceCreate, ServiceFilter, ServiceUpdate,
} from './model.js';
import { checkEndpointUrl, formatEndpointUrl } from './url-template.js';

export interface CatalogManagerDeps {
  readonly backend: CatalogBackend;
  /** Ids for new regions, services and endpoints; uuid4 hex (Keystone's format) by default. */
  readonly newId?: () => string;
}

/** What `tstack up` and bootstrap declare for one endpoint. */
export interface EndpointDeclaration {
  readonly serviceId: string;
  readonly interface: EndpointInterface;
  readonly url: string;
  readonly regionId?: string | null;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export class CatalogManager {
  private readonly backend: CatalogBackend;
  private readonly newId: () => string;

  constructor(deps: CatalogManagerDeps) {
    this.backend = deps.backend;
    this.newId = deps.newId ?? (() => randomUUID().replaceAll('-', ''));
  }

  /**
   * Creates a region, with the given id or a generated one.
   * Throws DuplicateRegion (409) when the id is taken and EntityNotFound('region') (404) when
   * the parent does not exist.
   */
  async createRegion(input: RegionCreate): Promise<Region> {
    const id = input.id || this.newId();
    if (await this.findRegion(id)) throw new DuplicateRegion(id);
    const parentRegionId = input.parentRegionId ?? null;
    if (parentRegionId !== null) await this.backend.getRegion(parentRegionId);
    return this.backend.createRegion({ id, description: input.description ?? '', parentRegionId, extra: input.extra ?? {} });
  }

  /** Throws EntityNotFound('region') (404). */
  async getRegion(regionId: string): Promise<Region> {
    return this.backend.getRegion(regionId);
  }

  async listRegions(filter: RegionFilter = {}): Promise<Region[]> {
    return this.backend.listRegions(filter);
  }

  /**
   * Changes the description, parent or extra attributes of a region.
   * Throws EntityNotFound('region') (404) for the region or its new parent, and
   * CircularRegionHierarchy (400) when the new parent lies below the region.
   */
  async updateRegion(regionId: string, update: RegionUpdate): Promise<Region> {
    const current = await this.backend.getRegion(regionId);
    const parentRegionId = update.parentRegionId === undefined ? current.parentRegionId : update.parentRegionId;
    if (parentRegionId !== null && parentRegionId !== current.parentRegionId) await this.assertNotBelow(regionId, parentRegionId);
    return this.backend.updateRegion({
      ...current,
      description: update.description === undefined ? current.description : update.description ?? '',
      parentRegionId,
      extra: { ...current.extra, ...update.extra },
    });
  }

  /** Deletes the region and its children. Throws EntityNotFound (404) or RegionDeletionError (403). */
  async deleteRegion(regionId: string): Promise<void> {
    await this.backend.deleteRegion(regionId);
  }

  async createService(input: ServiceCreate): Promise<Service> {
    return this.backend.createService({
      id: this.newId(), type: input.type, name: input.name ?? '', enabled: input.enabled ?? true, extra: input.extra ?? {},
    });
  }

  /** Throws EntityNotFound('service') (404). */
  async getService(serviceId: string): Promise<Service> {
    return this.backend.getService(serviceId);
  }

  async listServices(filter: ServiceFilter = {}): Promise<Service[]> {
    return this.backend.listServices(filter);
  }

  /** Throws EntityNotFound('service') (404). */
  async updateService(serviceId: string, update: ServiceUpdate): Promise<Service> {
    const current = await this.backend.getService(serviceId);
    const { extra, ...fields } = update;
    return this.backend.updateService({ ...current, ...definedOnly(fields), extra: { ...current.extra, ...extra } });
  }

  /** Deletes the service and its endpoints. Throws EntityNotFound('service') (404). */
  async deleteService(serviceId: string): Promise<void> {
    await this.backend.deleteService(serviceId);
  }

  /**
   * Creates an endpoint. Throws InvalidEndpointUrl (400) for a URL Keystone refuses, and
   * MissingReference (400) when the service or the region (given as `regionId`) is unknown.
   * A region given only as the legacy `region` is created when missing.
   */
  async createEndpoint(input: EndpointCreate): Promise<Endpoint> {
    checkEndpointUrl(input.url);
    const regionId = await this.resolveRegion(input.regionId, input.legacyRegion);
    await this.assertReferences(input.serviceId, regionId);
    return this.backend.createEndpoint({
      id: this.newId(), interface: input.interface, regionId, serviceId: input.serviceId, url: input.url,
      enabled: input.enabled ?? true, extra: input.extra ?? {},
    });
  }

  /** Throws EntityNotFound('endpoint') (404). */
  async getEndpoint(endpointId: string): Promise<Endpoint> {
    return this.backend.getEndpoint(endpointId);
  }

  async listEndpoints(filter: EndpointFilter = {}): Promise<Endpoint[]> {
    return this.backend.listEndpoints(filter);
  }

  /** Throws EntityNotFound('endpoint') (404), InvalidEndpointUrl or MissingReference (400). */
  async updateEndpoint(endpointId: string, update: EndpointUpdate): Promise<Endpoint> {
    const current = await this.backend.getEndpoint(endpointId);
    if (update.url !== undefined) checkEndpointUrl(update.url);
    const { extra, legacyRegion, regionId: askedRegionId, ...fields } = update;
    const resolved = await this.resolveRegion(askedRegionId, legacyRegion);
    const regionId = askedRegionId === undefined && legacyRegion == null ? current.regionId : resolved;
    const next: Endpoint = { ...current, ...definedOnly(fields), regionId, extra: { ...current.extra, ...extra } };
    await this.assertReferences(next.serviceId, regionId);
    return this.backend.updateEndpoint(next);
  }

  /** Throws EntityNotFound('endpoint') (404). */
  async deleteEndpoint(endpointId: string): Promise<void> {
    await this.backend.deleteEndpoint(endpointId);
  }

  /**
   * The catalog of a token: enabled services (with or without endpoints, as Keystone does)
   * and their enabled endpoints, URL templates filled in. Without a project id, endpoints
   * whose URL needs one are left out; so are endpoints with a malformed URL.
   */
  async getV3Catalog(userId: string, projectId?: string): Promise<CatalogService[]> {
    const values = { user_id: userId, ...(projectId ? { tenant_id: projectId, project_id: projectId } : {}) };
    const services = (await this.backend.listServices({})).filter((s) => s.enabled);
    const endpoints = (await this.backend.listEndpoints({})).filter((e) => e.enabled);
    return services.map((service) => ({
      id: service.id,
      type: service.type,
      name: service.name,
      endpoints: endpoints.filter((e) => e.serviceId === service.id).flatMap((e) => {
        const url = formatEndpointUrl(e.url, values);
        return url === undefined ? [] : [{ id: e.id, interface: e.interface, region: e.regionId, region_id: e.regionId, url }];
      }),
    }));
  }

  /** Returns the region, creating it first when missing. Idempotent. */
  async ensureRegion(regionId: string, fields: Omit<RegionCreate, 'id'> = {}): Promise<Region> {
    return (await this.findRegion(regionId)) ?? this.createRegion({ ...fields, id: regionId });
  }

  /**
   * Returns the service of this type and name, else (as keystone-manage bootstrap does) the
   * first of this type, creating one when there is none. Idempotent.
   */
  async ensureService(declared: { readonly type: string; readonly name: string; readonly extra?: ExtraAttributes }): Promise<Service> {
    const ofType = await this.backend.listServices({ type: declared.type });
    return ofType.find((s) => s.name === declared.name) ?? ofType[0] ?? this.createService(declared);
  }

  /**
   * Returns the endpoint of this service, interface and region, creating it (and its region)
   * when missing and updating its URL when it changed. Idempotent.
   */
  async ensureEndpoint(declared: EndpointDeclaration): Promise<Endpoint> {
    const regionId = declared.regionId ?? null;
    if (regionId !== null) await this.ensureRegion(regionId);
    const existing = (await this.backend.listEndpoints({ serviceId: declared.serviceId, interface: declared.interface }))
      .find((e) => e.regionId === regionId);
    if (!existing) return this.createEndpoint({ ...declared, regionId });
    return existing.url === declared.url ? existing : this.updateEndpoint(existing.id, { url: declared.url });
  }

  private async findRegion(regionId: string): Promise<Region | undefined> {
    try {
      return await this.backend.getRegion(regionId);
    } catch (error) {
      if (error instanceof NotFound) return undefined;
      throw error;
    }
  }

  /** Walks up from the proposed parent: reaching `regionId` would close a loop. */
  private async assertNotBelow(regionId: string, parentRegionId: string): Promise<void> {
    const seen = new Set<string>();
    for (let at: string | null = parentRegionId; at !== null && !seen.has(at); at = (await this.backend.getRegion(at)).parentRegionId) {
      if (at === regionId) throw new CircularRegionHierarchy(parentRegionId);
      seen.add(at);
    }
  }

  /** Keystone's v2 compatibility: `region` alone names the region and creates it on the fly. */
  private async resolveRegion(regionId: string | null | undefined, legacyRegion: string | null | undefined): Promise<string | null> {
    if (regionId != null) return regionId;
    if (legacyRegion == null) return null;
    await this.ensureRegion(legacyRegion);
    return legacyRegion;
  }

  private async assertReferences(serviceId: string, regionId: string | null): Promise<void> {
    if (regionId !== null && !(await this.findRegion(regionId))) throw new MissingReference('endpoint region_id', 'region table');
    try {
      await this.backend.getService(serviceId);
    } catch (error) {
      if (error instanceof NotFound) throw new MissingReference('endpoint service_id', 'service table');
      throw error;
    }
  }
}
