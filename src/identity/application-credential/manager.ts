// Application credentials (keystone/application_credential/core.py plus the checks of
// keystone/api/users.py): creation within the creator's token roles, authentication by
// secret, and clean-up when their user or project goes away.

import { randomBytes, randomUUID } from 'node:crypto';
import { AuthenticationFailed, NotFound, ValidationError } from '../errors.js';
import type { IdentityEvents } from '../events.js';
import type { ApplicationCredentialBackend } from './backend.js';
import { ApplicationCredentialValidationError, ValidationExpirationError } from './errors.js';
import type {
  ApplicationCredential, ApplicationCredentialCreate, ApplicationCredentialFilter, ApplicationCredentialRef,
  ApplicationCredentialRole, CreatedApplicationCredential, RoleSelector, StoredApplicationCredential,
} from './model.js';
import type { RoleLookup, RoleRecord } from './role-lookup.js';
import type { PasswordHasher } from '../password-hash.js';

export interface ApplicationCredentialManagerDeps {
  readonly backend: ApplicationCredentialBackend;
  readonly roles: RoleLookup;
  /** Hashes secrets as user passwords are hashed (scrypt), so they are never stored in clear. */
  readonly hasher: PasswordHasher;
  readonly events: IdentityEvents;
  readonly now?: () => Date;
  /** Credential and access rule ids; uuid4 hex by default. */
  readonly newId?: () => string;
  /** Secrets for credentials created without one; 64 random bytes, base64url, by default. */
  readonly newSecret?: () => string;
}

const AUTH_FAILURE = 'Invalid application credential ID or secret';

function publicView(stored: StoredApplicationCredential): ApplicationCredential {
  const { secretHash: _hidden, ...credential } = stored;
  return credential;
}

function asRole(role: RoleRecord): ApplicationCredentialRole {
  return { id: role.id, name: role.name, domainId: role.domainId };
}

export class ApplicationCredentialManager {
  private readonly now: () => Date;
  private readonly newId: () => string;
  private readonly newSecret: () => string;

  constructor(private readonly deps: ApplicationCredentialManagerDeps) {
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? (() => randomUUID().replaceAll('-', ''));
    this.newSecret = deps.newSecret ?? (() => randomBytes(64).toString('base64url'));
    deps.events.on('user.deleted', async ({ userId }) => deps.backend.deleteForUser(userId));
    deps.events.on('project.deleted', async ({ projectId }) => deps.backend.deleteForProject(projectId));
  }

  /**
   * Creates a credential bound to `input.projectId` and returns it with its secret, which is
   * never shown again. Throws ValidationExpirationError (400) for a past expiry,
   * ApplicationCredentialValidationError (400) for a role the token does not carry,
   * EntityNotFound('role') (404) for an unknown role name and DuplicateEntity (409) for a name
   * the user already used.
   */
  async create(input: ApplicationCredentialCreate): Promise<CreatedApplicationCredential> {
    if (input.expiresAt && input.expiresAt.getTime() < this.now().getTime()) throw new ValidationExpirationError();
    const roles = await this.chooseRoles(input.roles ?? [], input.tokenRoles);
    const secret = input.secret || this.newSecret();
    const stored = await this.deps.backend.create({
      id: this.newId(),
      name: input.name,
      description: input.description ?? null,
      userId: input.userId,
      projectId: input.projectId,
      roles,
      expiresAt: input.expiresAt ?? null,
      unrestricted: input.unrestricted ?? false,
      accessRules: (input.accessRules ?? []).map((rule) => ({ ...rule, id: rule.id ?? this.newId() })),
      secretHash: await this.deps.hasher.hash(secret),
    });
    return { ...publicView(stored), secret };
  }

  /** Throws EntityNotFound('Application Credential') (404). Token validation calls it too. */
  async get(id: string): Promise<ApplicationCredential> {
    return publicView(await this.deps.backend.get(id));
  }

  async list(userId: string, filter: ApplicationCredentialFilter = {}): Promise<ApplicationCredential[]> {
    return (await this.deps.backend.listForUser(userId, filter)).map(publicView);
  }

  /** Throws EntityNotFound('Application Credential') (404). Tokens issued with it stop validating. */
  async delete(id: string): Promise<void> {
    await this.deps.backend.delete(id);
  }

  /**
   * Checks a secret. Throws AuthenticationFailed (401), with one message for every cause,
   * when the credential is unknown, the secret wrong or the credential expired; and
   * ValidationError (400) when `ref` names neither an id nor a name and user.
   */
  async authenticate(ref: ApplicationCredentialRef, secret: string): Promise<ApplicationCredential> {
    const stored = await this.find(ref);
    if (!stored || !(await this.deps.hasher.verify(secret, stored.secretHash)) || this.isExpired(stored)) {
      throw new AuthenticationFailed(AUTH_FAILURE);
    }
    return publicView(stored);
  }

  private async find(ref: ApplicationCredentialRef): Promise<StoredApplicationCredential | undefined> {
    if (ref.id) {
      try {
        return await this.deps.backend.get(ref.id);
      } catch (error) {
        if (error instanceof NotFound) return undefined;
        throw error;
      }
    }
    if (ref.name && ref.userId) return this.deps.backend.findByName(ref.userId, ref.name);
    throw new ValidationError('Expecting to find id or name in application credential. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.');
  }

  private isExpired(credential: ApplicationCredential): boolean {
    return credential.expiresAt !== null && this.now().getTime() >= credential.expiresAt.getTime();
  }

  /**
   * The roles asked for plus those they imply, all of which the creating token must carry;
   * every role of the token when none is asked for.
   */
  private async chooseRoles(asked: readonly RoleSelector[], tokenRoleNames: readonly string[]): Promise<ApplicationCredentialRole[]> {
    const tokenRoles = await this.resolveTokenRoles(tokenRoleNames);
    if (asked.length === 0) return tokenRoles.map(asRole);
    const chosen: { id: string; name?: string }[] = [];
    for (const selector of asked) chosen.push('id' in selector ? { id: selector.id } : await this.deps.roles.getRoleByName(selector.name));
    // Walks the list while it grows, so implications of implied roles are followed too.
    for (let i = 0; i < chosen.length; i++) {
      for (const implied of await this.deps.roles.listImpliedRoles(chosen[i]!.id)) {
        if (!chosen.some((c) => c.id === implied.id)) chosen.push(implied);
      }
    }
    return chosen.map((role) => {
      const onToken = tokenRoles.find((t) => t.id === role.id);
      if (!onToken) throw new ApplicationCredentialValidationError('Cannot create an application credential with unassigned role');
      return asRole(onToken);
    }).filter((role, index, all) => all.findIndex((r) => r.id === role.id) === index);
  }

  private async resolveTokenRoles(names: readonly string[]): Promise<RoleRecord[]> {
    const found: RoleRecord[] = [];
    for (const name of new Set(names)) {
      try {
        found.push(await this.deps.roles.getRoleByName(name));
      } catch (error) {
        // A role deleted since the token was issued is simply not carried over.
        if (!(error instanceof NotFound)) throw error;
      }
    }
    return found;
  }
}
