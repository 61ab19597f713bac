// What a Fernet token says about its holder, as the token provider hands it to its callers.
// Mirrors the tuple keystone's TokenFormatter.validate_token returns (trust and federation left out).

/** The decoded contents of a token. At most one scope: system, domain or project. */
export interface TokenPayload {
  readonly userId: string;
  /** Auth method names, highest bit first as keystone lists them (e.g. ['token', 'password']). */
  readonly methods: readonly string[];
  /** 'all' for a system-scoped token. */
  readonly systemScope?: 'all';
  /** Set for a domain-scoped token. */
  readonly domainId?: string;
  /** Set for a project-scoped token, application credential tokens included. */
  readonly projectId?: string;
  /** Carried to the millisecond. */
  readonly expiresAt: Date;
  /** The token's own audit id first, then its parent's when it was made from another token. */
  readonly auditIds: readonly string[];
  /** Set when the token was made by an application credential. */
  readonly appCredId?: string;
  /** When the token was made, to the second; read from the Fernet timestamp, not the payload. */
  readonly issuedAt: Date;
}

/** What `TokenFormatter.create` takes: the issue time comes from its clock. */
export type NewTokenPayload = Omit<TokenPayload, 'issuedAt'>;

/** True once `now` has reached `expiresAt`; keystone treats the expiry instant as expired. */
export function isExpired(payload: Pick<TokenPayload, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= payload.expiresAt.getTime();
}
