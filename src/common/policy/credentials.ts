// Who is asking: the credential record rules are checked against, the equivalent of
// oslo.context's `RequestContext.to_policy_values()`.

/** The scope a token was issued for; what `RuleDefault.scopeTypes` lists. */
export type ScopeType = 'system' | 'domain' | 'project';

/**
 * Attributes of the caller. Rules may reference any key, including nested ones
 * (`token.is_admin_project:True`), so extra keys are allowed.
 *
 * `null` stands for Python's `None` (it matches `domain_id:None`); an absent or
 * `undefined` attribute matches nothing.
 */
export interface Credentials {
  /** The user the token was issued to. */
  readonly user_id?: string | null;
  /** The domain that owns that user. */
  readonly user_domain_id?: string | null;
  /** Project the token is scoped to, for project-scoped tokens. */
  readonly project_id?: string | null;
  /** The domain that owns the scoped project. */
  readonly project_domain_id?: string | null;
  /** Domain the token is scoped to, for domain-scoped tokens. */
  readonly domain_id?: string | null;
  /** `'all'` for system-scoped tokens. */
  readonly system_scope?: 'all' | null;
  /** Names of the roles held on the token's scope (implied roles included). */
  readonly roles: readonly string[];
  /** True when the token is scoped to Keystone's admin project. */
  readonly is_admin_project?: boolean;
  /** Anything else a rule may reference. */
  readonly [key: string]: unknown;
}

/** The token's scope, decided as oslo.policy decides it: system, else domain, else project. */
export function tokenScope(creds: Credentials): ScopeType {
  if (creds.system_scope || creds['system']) return 'system';
  if (creds.domain_id) return 'domain';
  return 'project';
}
