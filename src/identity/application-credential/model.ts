// Application credentials: a secret a user hands to an application so it can act on one
// project with a chosen subset of the user's roles. Mirrors keystone/application_credential.

/** A role an application credential carries, as stored when it was created. */
export interface ApplicationCredentialRole {
  readonly id: string;
  readonly name: string;
  /** Null for global roles, the only kind a token carries. */
  readonly domainId: string | null;
}

/**
 * An API call the credential is meant for. Stored and shown as given; tstack does not yet
 * enforce access rules on requests.
 */
export interface AccessRule {
  readonly id: string;
  /** Service type, e.g. `compute`. */
  readonly service?: string;
  /** Path pattern, e.g. `/v2.1/servers`. */
  readonly path?: string;
  readonly method?: string;
}

/** An access rule as a creator sends it. */
export type AccessRuleInput = Omit<AccessRule, 'id'> & { readonly id?: string };

export interface ApplicationCredential {
  readonly id: string;
  /** Unique per user. */
  readonly name: string;
  readonly description: string | null;
  readonly userId: string;
  /** The project every token issued with it is scoped to. */
  readonly projectId: string;
  readonly roles: readonly ApplicationCredentialRole[];
  /** Null for a credential that never expires. */
  readonly expiresAt: Date | null;
  /** When true, its tokens may create or delete application credentials and trusts. */
  readonly unrestricted: boolean;
  readonly accessRules: readonly AccessRule[];
}

/** What the backend keeps: the credential and the hash of its secret, never the secret. */
export interface StoredApplicationCredential extends ApplicationCredential {
  /** Self-describing scrypt hash, see ../password-hash.ts. */
  readonly secretHash: string;
}

/** A new credential as its creator sees it, the one time the secret is shown. */
export interface CreatedApplicationCredential extends ApplicationCredential {
  readonly secret: string;
}

/** A role asked for on creation, by id or by name. */
export type RoleSelector = { readonly id: string } | { readonly name: string };

export interface ApplicationCredentialCreate {
  readonly userId: string;
  readonly projectId: string;
  readonly name: string;
  readonly description?: string | null;
  /** Generated (64 random bytes, base64url) when absent or empty. */
  readonly secret?: string | null;
  /** Must not be in the past. */
  readonly expiresAt?: Date | null;
  /** Default: every role of the creating token. Roles they imply are added. */
  readonly roles?: readonly RoleSelector[];
  /** Names of the roles on the creating token; a credential can carry no other role. */
  readonly tokenRoles: readonly string[];
  readonly unrestricted?: boolean | null;
  /** Rules without an id get one. */
  readonly accessRules?: readonly AccessRuleInput[];
}

export interface ApplicationCredentialFilter {
  readonly name?: string;
}

/** How authentication names a credential: by `id`, or by `name` and owner (`userId`). */
export interface ApplicationCredentialRef {
  readonly id?: string;
  readonly name?: string;
  readonly userId?: string;
}
