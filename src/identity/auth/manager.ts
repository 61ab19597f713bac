// Authentication (keystone/auth/core.py and plugins/): runs each requested method, checks
// they all name the same user, resolves the requested scope and asks for a token.

import { NotFound, Unauthorized } from '../../common/errors/index.js';
import type { AuthLookups, ApplicationCredentialRecord, DomainRecord, ProjectRecord, UserRecord } from './lookups.js';
import type { AuthRequest, EntityRef } from './auth-request.js';
import { AuthenticationFailed, ForbiddenAction, ValidationError } from '../errors.js';
import type { TokenData } from '../token/token-data.js';
import type { TokenProvider, TokenRequest } from '../token/provider.js';
import type { TokenPayload } from '../token/fernet/index.js';

export interface AuthManagerDeps {
  readonly lookups: AuthLookups;
  readonly tokens: TokenProvider;
}

interface MethodResult {
  readonly user: UserRecord;
  readonly parent?: TokenPayload;
  readonly parentData?: TokenData;
  readonly applicationCredential?: ApplicationCredentialRecord;
}

const SUPPORTED_METHODS = ['password', 'token', 'application_credential'] as const;

export class AuthManager {
  constructor(private readonly deps: AuthManagerDeps) {}

  async authenticate(request: AuthRequest): Promise<{ token: string; data: TokenData }> {
    const methods = [...new Set(request.identity.methods)];
    const results: MethodResult[] = [];
    for (const method of methods) results.push(await this.runMethod(method, request));
    const userId = results[0]!.user.id;
    if (results.some((r) => r.user.id !== userId)) throw new AuthenticationFailed('User IDs do not match.');
    const user = results[0]!.user;
    const parent = results.find((r) => r.parent);
    const appCred = results.find((r) => r.applicationCredential)?.applicationCredential;
    const allMethods = [...new Set([...methods, ...(parent?.parent?.methods ?? [])])];

    const tokenRequest: TokenRequest = {
      userId,
      methods: allMethods,
      scope: await this.resolveScope(request, user, appCred, parent?.parentData),
      ...(parent?.parent ? { parent: parent.parent } : {}),
      ...(appCred ?? parent?.parentData?.applicationCredential
        ? { applicationCredential: appCred ?? await this.deps.lookups.getApplicationCredential(parent!.parentData!.applicationCredential!.id) }
        : {}),
    };
    return this.deps.tokens.issue(tokenRequest);
  }

  private async runMethod(method: string, request: AuthRequest): Promise<MethodResult> {
    if (!(SUPPORTED_METHODS as readonly string[]).includes(method)) throw new AuthenticationFailed(`Attempted to authenticate with an unsupported method.`);
    const identity = request.identity;
    switch (method) {
      case 'password': {
        const ref = identity.password?.user;
        if (!ref) throw new ValidationError("Expecting to find password in identity. The server could not comply with the request since it is either malformed or otherwise incorrect.");
        const user = await this.findUser(ref);
        return { user: await this.deps.lookups.checkPassword(user.id, ref.password) };
      }
      case 'token': {
        if (!identity.token) throw new ValidationError('Expecting to find token in identity.');
        const parentData = await this.deps.tokens.validate(identity.token.id).catch((error: unknown) => {
          // Only a token that is not honoured is a credential failure; an outage stays an outage.
          if (error instanceof Unauthorized) throw new AuthenticationFailed();
          throw error;
        });
        return { user: parentData.user, parent: parentData.payload, parentData };
      }
      default: {
        const ref = identity.application_credential;
        if (!ref) throw new ValidationError('Expecting to find application_credential in identity.');
        const userId = ref.user ? (await this.findUser(ref.user)).id : undefined;
        if (!ref.id && !(ref.name && userId)) throw new ValidationError('Application credential authentication needs an id, or a name and a user.');
        const appCred = await this.deps.lookups.checkApplicationCredential({ ...(ref.id ? { id: ref.id } : {}), ...(ref.name ? { name: ref.name } : {}), ...(userId ? { userId } : {}) }, ref.secret);
        return { user: await this.unauthorizedIfMissing(this.deps.lookups.getUser(appCred.userId)), applicationCredential: appCred };
      }
    }
  }

  private async findUser(ref: EntityRef): Promise<UserRecord> {
    if (ref.id) return this.unauthorizedIfMissing(this.deps.lookups.getUser(ref.id));
    if (!ref.name) throw new ValidationError('Expecting to find either a user id or a user name.');
    if (!ref.domain?.id && !ref.domain?.name) throw new ValidationError('Expecting to find domain in user. The server could not comply with the request since it is either malformed or otherwise incorrect.');
    const domain = await this.findDomain(ref.domain);
    return this.unauthorizedIfMissing(this.deps.lookups.getUserByName(ref.name, domain.id));
  }

  private async findDomain(ref: { id?: string; name?: string }): Promise<DomainRecord> {
    const lookup = ref.id ? this.deps.lookups.getDomain(ref.id) : this.deps.lookups.getDomainByName(ref.name ?? '');
    const domain = await this.unauthorizedIfMissing(lookup);
    if (!domain.enabled) throw new AuthenticationFailed();
    return domain;
  }

  private async resolveScope(request: AuthRequest, user: UserRecord, appCred: ApplicationCredentialRecord | undefined, parent: TokenData | undefined): Promise<TokenRequest['scope']> {
    const scope = request.scope;
    const boundProject = appCred?.projectId ?? (parent?.applicationCredential && parent.scope.kind === 'project' ? parent.scope.project.id : undefined);
    if (boundProject) {
      // An application credential is bound to its project; it cannot ask for another scope.
      const asked = typeof scope === 'object' ? scope : undefined;
      if (asked?.domain || asked?.system || (asked?.project && asked.project.id && asked.project.id !== boundProject)) {
        throw new AuthenticationFailed('Application credentials cannot request a scope.');
      }
      return { projectId: boundProject };
    }
    if (scope === 'unscoped') return {};
    if (scope === undefined) return this.defaultScope(user, parent);
    // A scope this service does not implement is refused, never replaced by another one:
    // Keystone with trusts disabled answers 403 "Trusts are disabled.".
    if (scope['OS-TRUST:trust'] !== undefined) {
      throw new ForbiddenAction('Trusts are disabled: this identity service does not implement OS-TRUST, so no token can be scoped to a trust.');
    }
    const kinds = [scope.project, scope.domain, scope.system].filter((s) => s !== undefined).length;
    if (kinds === 0) {
      throw new ValidationError('Expecting to find project, domain, OS-TRUST:trust or system in scope. The server could not comply with the request since it is either malformed or otherwise incorrect.');
    }
    if (kinds > 1) throw new ValidationError('Scoping to both domain and project is not allowed.');
    if (scope.project) {
      const ref = scope.project;
      if (ref.id) return { projectId: (await this.unauthorizedIfMissing(this.deps.lookups.getProject(ref.id))).id };
      if (!ref.name || !ref.domain) throw new ValidationError('Expecting to find either a project id, or a project name and its domain.');
      const domain = await this.findDomain(ref.domain);
      return { projectId: (await this.unauthorizedIfMissing(this.deps.lookups.getProjectByName(ref.name, domain.id))).id };
    }
    if (scope.domain) return { domainId: (await this.findDomain(scope.domain)).id };
    if (scope.system?.all !== true) throw new ValidationError("Invalid input for field 'system': only {\"all\": true} is supported.");
    return { system: true };
  }

  /** No scope asked: a rescope keeps the parent's scope; otherwise the user's default project if usable. */
  private async defaultScope(user: UserRecord, parent: TokenData | undefined): Promise<TokenRequest['scope']> {
    if (parent) {
      if (parent.scope.kind === 'project') return { projectId: parent.scope.project.id };
      if (parent.scope.kind === 'domain') return { domainId: parent.scope.domain.id };
      if (parent.scope.kind === 'system') return { system: true };
      return {};
    }
    if (!user.defaultProjectId) return {};
    let project: ProjectRecord;
    try {
      project = await this.deps.lookups.getProject(user.defaultProjectId);
    } catch (error) {
      // A default project that no longer exists gives an unscoped token, as in Keystone;
      // any other failure (the database is down) is not a reason to hand out another scope.
      if (error instanceof NotFound) return {};
      throw error;
    }
    const roles = await this.deps.lookups.rolesOnProject(user.id, project.id);
    return project.enabled && roles.length > 0 ? { projectId: project.id } : {};
  }

  private async unauthorizedIfMissing<T>(lookup: Promise<T>): Promise<T> {
    try {
      return await lookup;
    } catch (error) {
      if (error instanceof NotFound) throw new AuthenticationFailed();
      throw error;
    }
  }
}
