// Issues and validates Fernet tokens (keystone/token/provider.py). A token carries only ids;
// everything else — names, roles, catalog — is looked up again at every validation, so a
// disabled user, a deleted project or a removed role stops a token at once.

import type { AuthLookups, ApplicationCredentialRecord, RoleRef } from '../auth/lookups.js';
import { NotFound } from '../../common/errors/index.js';
import { AuthenticationFailed } from '../errors.js';
import type { RevokeManager } from '../revoke/index.js';
import { isExpired, randomAuditId } from './fernet/index.js';
import type { NewTokenPayload, TokenPayload } from './fernet/index.js';
import type { TokenData, TokenScope } from './token-data.js';

export interface TokenCodec {
  create(payload: NewTokenPayload): string;
  /** Throws a 401 error for anything that is not a token this key repository made. */
  validate(token: string): TokenPayload;
}

export interface TokenProviderDeps {
  readonly codec: TokenCodec;
  readonly lookups: AuthLookups;
  readonly revoke: RevokeManager;
  readonly now: () => Date;
  /** [token] expiration: lifetime of a new token. */
  readonly expirationSeconds: number;
  /** [token] allow_expired_window: how long after expiry `?allow_expired=1` still accepts a token. */
  readonly allowExpiredWindowSeconds: number;
  /** The project whose tokens count as admin-project tokens (keystone's [resource] admin_project_*). */
  readonly adminProject?: { readonly name: string; readonly domainName: string };
}

/** What an authentication produced and wants a token for. */
export interface TokenRequest {
  readonly userId: string;
  readonly methods: readonly string[];
  readonly scope: { readonly projectId?: string; readonly domainId?: string; readonly system?: boolean };
  /** Set when rescoping: the new token keeps the old expiry and audit chain. */
  readonly parent?: TokenPayload;
  readonly applicationCredential?: ApplicationCredentialRecord;
}

/** Thrown for every token that must not be honoured; callers map it to 401 or 404. */
export class TokenInvalid extends AuthenticationFailed {}

export class TokenProvider {
  constructor(private readonly deps: TokenProviderDeps) {}

  get expirationSeconds(): number {
    return this.deps.expirationSeconds;
  }

  async issue(request: TokenRequest): Promise<{ token: string; data: TokenData }> {
    await this.deps.revoke.waitUntilIssuable({ userId: request.userId, ...(request.scope.projectId ? { projectId: request.scope.projectId } : {}) });
    const now = this.deps.now();
    const defaultExpiry = new Date(now.getTime() + this.deps.expirationSeconds * 1000);
    let expiresAt = request.parent && request.parent.expiresAt < defaultExpiry ? request.parent.expiresAt : defaultExpiry;
    const appCredExpiry = request.applicationCredential?.expiresAt;
    if (appCredExpiry && appCredExpiry < expiresAt) expiresAt = appCredExpiry;
    const payload: NewTokenPayload = {
      userId: request.userId,
      methods: [...request.methods],
      ...(request.scope.system ? { systemScope: 'all' as const } : {}),
      ...(request.scope.domainId ? { domainId: request.scope.domainId } : {}),
      ...(request.scope.projectId ? { projectId: request.scope.projectId } : {}),
      expiresAt,
      auditIds: [randomAuditId(), ...(request.parent ? [request.parent.auditIds.at(-1)!] : [])],
      ...(request.applicationCredential ? { appCredId: request.applicationCredential.id } : {}),
    };
    const token = this.deps.codec.create(payload);
    // Resolving the fresh token runs exactly the checks a later validation will.
    return { token, data: await this.resolve(this.deps.codec.validate(token)) };
  }

  /** The token's data; throws TokenInvalid when it is malformed, expired, revoked or its subject is gone. */
  async validate(token: string, options: { allowExpired?: boolean } = {}): Promise<TokenData> {
    const payload = this.deps.codec.validate(token);
    const now = this.deps.now();
    if (isExpired(payload, now)) {
      const window = options.allowExpired ? this.deps.allowExpiredWindowSeconds * 1000 : 0;
      if (now.getTime() >= payload.expiresAt.getTime() + window) throw new TokenInvalid('The token has expired.');
    }
    return this.resolve(payload);
  }

  async revoke(data: TokenData): Promise<void> {
    await this.deps.revoke.revokeByAuditId(data.payload.auditIds[0]!);
  }

  private async resolve(payload: TokenPayload): Promise<TokenData> {
    const { lookups } = this.deps;
    const user = await orInvalid(lookups.getUser(payload.userId));
    const userDomain = await orInvalid(lookups.getDomain(user.domainId));
    if (!user.enabled || !userDomain.enabled) throw new TokenInvalid();
    if (await this.deps.revoke.isRevoked(payload)) throw new TokenInvalid('The token has been revoked.');
    const appCred = payload.appCredId ? await orInvalid(lookups.getApplicationCredential(payload.appCredId)) : undefined;
    if (appCred && (appCred.userId !== user.id || (appCred.expiresAt && appCred.expiresAt <= this.deps.now()))) throw new TokenInvalid();

    const { scope, roles } = await this.resolveScope(payload);
    const effectiveRoles = appCred ? roles.filter((r) => appCred.roles.some((a) => a.id === r.id)) : roles;
    if (scope.kind !== 'unscoped' && effectiveRoles.length === 0) {
      throw new TokenInvalid(`User ${user.id} has no access to the requested scope.`);
    }
    return {
      payload, user, userDomain, scope, roles: effectiveRoles,
      isAdminProject: scope.kind === 'project' && this.isAdminProject(scope),
      ...(appCred ? { applicationCredential: {
        id: appCred.id, name: appCred.name, restricted: !appCred.unrestricted,
        // Keystone renders access_rules only when the credential has some.
        ...(appCred.accessRules?.length ? { accessRules: appCred.accessRules } : {}),
      } } : {}),
    };
  }

  private async resolveScope(payload: TokenPayload): Promise<{ scope: TokenScope; roles: readonly RoleRef[] }> {
    const { lookups } = this.deps;
    if (payload.projectId) {
      const project = await orInvalid(lookups.getProject(payload.projectId));
      const projectDomain = await orInvalid(lookups.getDomain(project.domainId));
      if (!project.enabled || !projectDomain.enabled) throw new TokenInvalid();
      return { scope: { kind: 'project', project, projectDomain }, roles: await lookups.rolesOnProject(payload.userId, project.id) };
    }
    if (payload.domainId) {
      const domain = await orInvalid(lookups.getDomain(payload.domainId));
      if (!domain.enabled) throw new TokenInvalid();
      return { scope: { kind: 'domain', domain }, roles: await lookups.rolesOnDomain(payload.userId, domain.id) };
    }
    if (payload.systemScope) return { scope: { kind: 'system' }, roles: await lookups.rolesOnSystem(payload.userId) };
    return { scope: { kind: 'unscoped' }, roles: [] };
  }

  private isAdminProject(scope: Extract<TokenScope, { kind: 'project' }>): boolean {
    const admin = this.deps.adminProject;
    // Without a configured admin project every project counts, as keystonemiddleware assumes.
    if (!admin) return true;
    return scope.project.name === admin.name && scope.projectDomain.name === admin.domainName;
  }
}

async function orInvalid<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (error) {
    if (error instanceof NotFound) throw new TokenInvalid();
    throw error;
  }
}
