// Version discovery documents: the `/` and `/vN` answers clients read before anything else.

export interface VersionLink {
  readonly rel: string;
  readonly href: string;
  readonly type?: string;
}

export interface ApiVersion {
  readonly id: string;
  readonly status: 'stable' | 'CURRENT' | 'SUPPORTED' | 'DEPRECATED';
  readonly updated: string;
  readonly links: readonly VersionLink[];
  readonly 'media-types'?: readonly { base: string; type: string }[];
  readonly version?: string;
  readonly min_version?: string;
}

/** The externally visible base URL of a request (scheme://host[:port]), honouring proxies. */
export function requestBaseUrl(request: { protocol: string; headers: Readonly<Record<string, string | string[] | undefined>>; host: string }): string {
  const forwardedProto = request.headers['x-forwarded-proto'];
  const proto = typeof forwardedProto === 'string' ? forwardedProto.split(',')[0]!.trim() : request.protocol;
  return `${proto}://${request.host}`;
}
