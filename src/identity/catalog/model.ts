// The service catalog's records: regions, services and the endpoints that locate them.
// Mirrors the models of keystone/catalog/backends/sql.py, in camelCase.

/** Who an endpoint is meant for: end users, the internal network, or administrators. */
export type EndpointInterface = 'public' | 'internal' | 'admin';

export const ENDPOINT_INTERFACES: readonly EndpointInterface[] = ['public', 'internal', 'admin'];

/** Attributes Keystone keeps and returns although no schema names them. */
export type ExtraAttributes = Readonly<Record<string, unknown>>;

export interface Region {
  readonly id: string;
  /** Never null: Keystone stores a missing description as ''. */
  readonly description: string;
  readonly parentRegionId: string | null;
  readonly extra: ExtraAttributes;
}

export interface Service {
  readonly id: string;
  readonly type: string;
  /** '' when the service was created without a name. */
  readonly name: string;
  readonly enabled: boolean;
  /** `description` and anything else the creator sent. */
  readonly extra: ExtraAttributes;
}

export interface Endpoint {
  readonly id: string;
  readonly interface: EndpointInterface;
  readonly regionId: string | null;
  readonly serviceId: string;
  /** May hold `$(project_id)s`-style templates, filled in per token. */
  readonly url: string;
  readonly enabled: boolean;
  /** `name`, `description` and anything else the creator sent. */
  readonly extra: ExtraAttributes;
}

export interface RegionCreate {
  /** Generated (uuid hex) when absent or empty. */
  readonly id?: string | null;
  readonly description?: string | null;
  readonly parentRegionId?: string | null;
  readonly extra?: ExtraAttributes;
}

/** Only the fields present change; `extra` keys are merged into the stored ones. */
export interface RegionUpdate {
  readonly description?: string | null;
  readonly parentRegionId?: string | null;
  readonly extra?: ExtraAttributes;
}

export interface ServiceCreate {
  readonly type: string;
  readonly name?: string;
  readonly enabled?: boolean;
  readonly extra?: ExtraAttributes;
}

export interface ServiceUpdate {
  readonly type?: string;
  readonly name?: string;
  readonly enabled?: boolean;
  readonly extra?: ExtraAttributes;
}

export interface EndpointCreate {
  readonly interface: EndpointInterface;
  readonly serviceId: string;
  readonly url: string;
  readonly regionId?: string | null;
  /**
   * The v2-era `region` attribute: used only when `regionId` is absent, and the region is
   * created on the fly when missing, as Keystone does for old clients.
   */
  readonly legacyRegion?: string | null;
  readonly enabled?: boolean;
  readonly extra?: ExtraAttributes;
}

export interface EndpointUpdate {
  readonly interface?: EndpointInterface;
  readonly serviceId?: string;
  readonly url?: string;
  readonly regionId?: string | null;
  readonly legacyRegion?: string | null;
  readonly enabled?: boolean;
  readonly extra?: ExtraAttributes;
}

export interface RegionFilter {
  readonly parentRegionId?: string;
}

export interface ServiceFilter {
  readonly type?: string;
  readonly name?: string;
}

export interface EndpointFilter {
  readonly interface?: EndpointInterface;
  readonly serviceId?: string;
  readonly regionId?: string;
}

/**
 * One endpoint as it appears in a token's catalog. Wire-shaped on purpose (snake_case
 * `region_id`): the token body embeds it as is.
 */
export interface CatalogEndpoint {
  readonly id: string;
  readonly interface: EndpointInterface;
  /** Same value as `region_id`; kept for clients of the v2 era. */
  readonly region: string | null;
  readonly region_id: string | null;
  readonly url: string;
}

/** One service of a token's catalog with its usable endpoints. */
export interface CatalogService {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly endpoints: readonly CatalogEndpoint[];
}
