// The resolved contents of a valid token, everything Keystone's token body and the auth hook
// need: the Fernet payload plus the names, roles and catalog looked up when it was checked.

import type { AccessRule } from '../../common/auth/index.js';
import type { TokenPayload } from './fernet/index.js';
import type { DomainRecord, ProjectRecord, RoleRef, UserRecord } from '../auth/lookups.js';

export type TokenScope =
  | { readonly kind: 'unscoped' }
  | { readonly kind: 'system' }
  | { readonly kind: 'domain'; readonly domain: DomainRecord }
  | { readonly kind: 'project'; readonly project: ProjectRecord; readonly projectDomain: DomainRecord };

export interface TokenData {
  readonly payload: TokenPayload;
  readonly user: UserRecord;
  readonly userDomain: DomainRecord;
  readonly scope: TokenScope;
  readonly roles: readonly RoleRef[];
  readonly isAdminProject: boolean;
  readonly applicationCredential?: {
    readonly id: string;
    readonly name: string;
    readonly restricted: boolean;
    /** Set when the credential has access rules: the only calls the token may make. */
    readonly accessRules?: readonly AccessRule[];
  };
}
