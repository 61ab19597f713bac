// Microversion negotiation as in nova/api/openstack/api_version_request.py: the client asks
// with `OpenStack-API-Version: <service-type> X.Y` (or a legacy header), "latest" means the
// maximum, no header means the minimum, and anything outside [min, max] is a 406.

import { BadRequest, NotAcceptable } from '../errors/index.js';

export interface Microversion {
  readonly major: number;
  readonly minor: number;
}

export interface MicroversionRange {
  /** Service type as it appears in the header (`compute`, `volume`, `placement`). */
  readonly serviceType: string;
  readonly min: Microversion;
  readonly max: Microversion;
  /** Older per-service headers still honoured, e.g. `x-openstack-nova-api-version`. */
  readonly legacyHeaders?: readonly string[];
}

export function parseVersion(text: string): Microversion {
  const match = /^([1-9]\d*)\.(0|[1-9]\d*)$/.exec(text.trim());
  if (!match) throw new BadRequest(`API version string ${text} format is not valid. It must be of the form MajorNum.MinorNum.`);
  return { major: Number(match[1]), minor: Number(match[2]) };
}

export function compareVersions(a: Microversion, b: Microversion): number {
  return a.major - b.major || a.minor - b.minor;
}

export function formatVersion(v: Microversion): string {
  return `${v.major}.${v.minor}`;
}

/** True when `v` is at least `major.minor`: `atLeast(req.version, 2, 53)`. */
export function atLeast(v: Microversion, major: number, minor: number): boolean {
  return compareVersions(v, { major, minor }) >= 0;
}

type Headers = Readonly<Record<string, string | string[] | undefined>>;

function requestedFrom(headers: Headers, range: MicroversionRange): string | undefined {
  const generic = headers['openstack-api-version'];
  for (const value of (Array.isArray(generic) ? generic : generic ? [generic] : []).flatMap((v) => v.split(','))) {
    const [service, version] = value.trim().split(/\s+/);
    if (service?.toLowerCase() === range.serviceType && version) return version;
  }
  for (const name of range.legacyHeaders ?? []) {
    const legacy = headers[name.toLowerCase()];
    if (typeof legacy === 'string' && legacy.trim()) return legacy.trim();
  }
  return undefined;
}

/** The version a request asks for, or throws NotAcceptable (406) / BadRequest (400). */
export function negotiateMicroversion(headers: Headers, range: MicroversionRange): Microversion {
  const requested = requestedFrom(headers, range);
  if (requested === undefined) return range.min;
  if (requested.toLowerCase() === 'latest') return range.max;
  const version = parseVersion(requested);
  if (compareVersions(version, range.min) < 0 || compareVersions(version, range.max) > 0) {
    throw new NotAcceptable(
      `Version ${requested} is not supported by the API. Minimum is ${formatVersion(range.min)} and maximum is ${formatVersion(range.max)}.`,
    );
  }
  return version;
}

/** Response headers announcing the version served (and that it varies by them). */
export function microversionResponseHeaders(version: Microversion, range: MicroversionRange): Record<string, string> {
  return {
    'openstack-api-version': `${range.serviceType} ${formatVersion(version)}`,
    vary: 'OpenStack-API-Version',
  };
}
