// Users and groups as Keystone's identity subsystem keeps them (keystone/identity/backends/
// sql_model.py): plain readonly records, camelCase; the API views turn them into wire bodies.

/** Keystone's user resource options (keystone/identity/backends/resource_options.py). */
export const USER_OPTION_NAMES = [
  'ignore_change_password_upon_first_use',
  'ignore_password_expiry',
  'ignore_lockout_failure_attempts',
  'lock_password',
  'ignore_user_inactivity',
  'multi_factor_auth_rules',
  'multi_factor_auth_enabled',
] as const;

export type UserOptionName = (typeof USER_OPTION_NAMES)[number];

/**
 * Keystone's `[identity] max_password_length` (4096, also its maximum): longer passwords are
 * refused wherever one is given (create, update, change, authenticate).
 */
export const MAX_PASSWORD_LENGTH = 4096;

/** keystone.exception.PasswordVerificationError's wording, answered with 400. */
export const PASSWORD_TOO_LONG = `The password length must be less than or equal to ${MAX_PASSWORD_LENGTH}. The server could not comply with the request because the password is invalid.`;

/** `multi_factor_auth_rules` is a list of lists of auth method names; every other option is a boolean. */
export type UserOptionValue = boolean | readonly (readonly string[])[];

/** Option names keep Keystone's spelling: they are data that clients send and read verbatim. */
export type UserOptions = Readonly<Partial<Record<UserOptionName, UserOptionValue>>>;

/** Free-form attributes Keystone keeps in `extra` and returns at the top level (description, email...). */
export type ExtraAttributes = Readonly<Record<string, unknown>>;

export interface User {
  /** uuid4 hex. */
  readonly id: string;
  /** Unique within the domain. */
  readonly name: string;
  readonly domainId: string;
  readonly enabled: boolean;
  /** A convenience hint for token scoping; the project need not exist. */
  readonly defaultProjectId: string | null;
  /** Always null: password expiry (security_compliance) is not implemented. */
  readonly passwordExpiresAt: string | null;
  readonly options: UserOptions;
  readonly extra: ExtraAttributes;
}

export interface Group {
  /** uuid4 hex. */
  readonly id: string;
  /** Unique within the domain. */
  readonly name: string;
  readonly domainId: string;
  readonly description: string | null;
  readonly extra: ExtraAttributes;
}

/** What a new user is made of. The password is plain text and only ever hashed. */
export interface UserCreate {
  readonly name: string;
  /** Defaults to the manager's default domain. */
  readonly domainId?: string;
  /** Defaults to true. */
  readonly enabled?: boolean;
  readonly defaultProjectId?: string | null;
  /** Null or absent: the user has no password and cannot authenticate with one. */
  readonly password?: string | null;
  readonly options?: Readonly<Partial<Record<UserOptionName, UserOptionValue | null>>>;
  readonly extra?: ExtraAttributes;
}

/** A partial update; absent fields stay as they are. */
export interface UserUpdate {
  readonly name?: string;
  /** Must equal the current domain: a user cannot move (400 otherwise). */
  readonly domainId?: string;
  readonly enabled?: boolean;
  readonly defaultProjectId?: string | null;
  /** An administrative reset; null removes the password. */
  readonly password?: string | null;
  /** Merged into the current options; an option set to null is removed. */
  readonly options?: Readonly<Partial<Record<UserOptionName, UserOptionValue | null>>>;
  /** Merged into the current extra attributes (a key set to null stays, as null). */
  readonly extra?: ExtraAttributes;
}

export interface GroupCreate {
  readonly name: string;
  /** Defaults to the manager's default domain. */
  readonly domainId?: string;
  readonly description?: string | null;
  readonly extra?: ExtraAttributes;
}

export interface GroupUpdate {
  readonly name?: string;
  /** Must equal the current domain (400 otherwise). */
  readonly domainId?: string;
  readonly description?: string | null;
  /** Merged into the current extra attributes. */
  readonly extra?: ExtraAttributes;
}

/** List filters for users; every field given must match. */
export interface UserFilter {
  readonly name?: string;
  readonly domainId?: string;
  readonly enabled?: boolean;
}

/** List filters for groups; every field given must match. */
export interface GroupFilter {
  readonly name?: string;
  readonly domainId?: string;
}
