// Reads Keystone's v3 token body ({"token": {...}}) into the request context and the catalog,
// as keystonemiddleware's AccessInfoV3 does; a body without the fields it must have is refused.

import { ServiceUnavailable } from '../../errors/index.js';
import type { AccessRule } from '../access-rules.js';
import type { ValidatedToken } from '../context.js';

/** One endpoint of a catalog entry. */
export interface CatalogEndpoint {
  readonly id: string;
  /** 'public', 'internal' or 'admin'. */
  readonly interface: string;
  readonly regionId: string | null;
  readonly url: string;
}

/** One service of a token's catalog. */
export interface CatalogEntry {
  readonly id: string;
  /** The service type, e.g. 'identity', 'image', 'compute'. */
  readonly type: string;
  readonly name: string;
  readonly endpoints: readonly CatalogEndpoint[];
}

export interface KeystoneToken {
  readonly context: ValidatedToken;
  /** When Keystone issued it, if the body says so. */
  readonly issuedAt?: Date;
  /** Empty when the token was fetched with ?nocatalog or is unscoped. */
  readonly catalog: readonly CatalogEntry[];
}

type Json = Record<string, unknown>;

class Reader {
  constructor(private readonly path: string, private readonly value: Json) {}

  static of(value: unknown, path: string): Reader {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed(path);
    return new Reader(path, value as Json);
  }

  child(key: string): Reader {
    return Reader.of(this.value[key], `${this.path}.${key}`);
  }

  optionalChild(key: string): Reader | undefined {
    return this.value[key] === undefined || this.value[key] === null ? undefined : this.child(key);
  }

  string(key: string): string {
    const value = this.value[key];
    if (typeof value !== 'string') throw malformed(`${this.path}.${key}`);
    return value;
  }

  optionalString(key: string): string | undefined {
    return this.value[key] === undefined || this.value[key] === null ? undefined : this.string(key);
  }

  list(key: string): Reader[] {
    const value = this.value[key] ?? [];
    if (!Array.isArray(value)) throw malformed(`${this.path}.${key}`);
    return value.map((item, index) => Reader.of(item, `${this.path}.${key}[${index}]`));
  }

  strings(key: string): string[] {
    const value = this.value[key] ?? [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw malformed(`${this.path}.${key}`);
    return value;
  }

  raw(key: string): unknown {
    return this.value[key];
  }
}

function malformed(path: string): ServiceUnavailable {
  return new ServiceUnavailable(`Keystone returned a malformed token body (${path}).`);
}

function date(reader: Reader, key: string): Date {
  const value = new Date(reader.string(key));
  if (Number.isNaN(value.getTime())) throw malformed(key);
  return value;
}

function scopeOf(token: Reader): Partial<ValidatedToken> {
  const project = token.optionalChild('project');
  if (project) {
    const domain = project.child('domain');
    return { projectId: project.string('id'), projectName: project.string('name'), projectDomainId: domain.string('id'), projectDomainName: domain.string('name') };
  }
  const domain = token.optionalChild('domain');
  if (domain) return { domainId: domain.string('id'), domainName: domain.string('name') };
  return token.optionalChild('system')?.raw('all') === true ? { systemScope: 'all' } : {};
}

function catalogOf(token: Reader): CatalogEntry[] {
  return token.list('catalog').map((entry) => ({
    id: entry.string('id'),
    type: entry.string('type'),
    name: entry.optionalString('name') ?? '',
    endpoints: entry.list('endpoints').map((endpoint) => ({
      id: endpoint.string('id'),
      interface: endpoint.string('interface'),
      regionId: endpoint.optionalString('region_id') ?? endpoint.optionalString('region') ?? null,
      url: endpoint.string('url'),
    })),
  }));
}

function accessRulesOf(credential: Reader): AccessRule[] {
  return credential.list('access_rules').map((rule) => ({
    ...(rule.optionalString('id') !== undefined ? { id: rule.string('id') } : {}),
    ...(rule.optionalString('service') !== undefined ? { service: rule.string('service') } : {}),
    ...(rule.optionalString('method') !== undefined ? { method: rule.string('method') } : {}),
    ...(rule.optionalString('path') !== undefined ? { path: rule.string('path') } : {}),
  }));
}

/** Reads a `{"token": {...}}` body; throws ServiceUnavailable naming the first bad field. */
export function readKeystoneToken(body: unknown): KeystoneToken {
  const token = Reader.of(body, 'body').child('token');
  const user = token.child('user');
  const userDomain = user.child('domain');
  const isAdminProject = token.raw('is_admin_project');
  const applicationCredential = token.optionalChild('application_credential');
  const context: ValidatedToken = {
    userId: user.string('id'),
    userName: user.string('name'),
    userDomainId: userDomain.string('id'),
    userDomainName: userDomain.string('name'),
    ...scopeOf(token),
    roles: token.list('roles').map((role) => role.string('name')),
    // keystonemiddleware treats a token without the flag as an admin-project token.
    isAdminProject: typeof isAdminProject === 'boolean' ? isAdminProject : true,
    ...(applicationCredential ? { applicationCredentialId: applicationCredential.string('id') } : {}),
    ...(applicationCredential?.raw('access_rules') !== undefined ? { accessRules: accessRulesOf(applicationCredential) } : {}),
    auditIds: token.strings('audit_ids'),
    expiresAt: date(token, 'expires_at'),
  };
  const issuedAt = token.optionalString('issued_at') === undefined ? undefined : date(token, 'issued_at');
  return { context, ...(issuedAt ? { issuedAt } : {}), catalog: catalogOf(token) };
}
