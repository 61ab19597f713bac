// What authentication and token validation need from the other Keystone managers, as small
// interfaces: service.ts adapts the real managers to them, tests use fakes.

import type { AccessRule } from '../../common/auth/index.js';
import type { CatalogService } from '../catalog/index.js';

export type { CatalogService };

export interface UserRecord {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  readonly enabled: boolean;
  readonly defaultProjectId?: string | null;
}

export interface DomainRecord {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
}

export interface ProjectRecord {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  readonly enabled: boolean;
}

export interface RoleRef {
  readonly id: string;
  readonly name: string;
}

export interface ApplicationCredentialRecord {
  readonly id: string;
  readonly name: string;
  readonly userId: string;
  readonly projectId: string;
  readonly roles: readonly RoleRef[];
  readonly unrestricted: boolean;
  readonly expiresAt: Date | null;
  /** When not empty, the only calls its tokens may make (enforced by every service's auth hook). */
  readonly accessRules?: readonly AccessRule[];
}

/** Every lookup throws a NotFound-kind error when the entity does not exist. */
export interface AuthLookups {
  getUser(id: string): Promise<UserRecord>;
  getUserByName(name: string, domainId: string): Promise<UserRecord>;
  /** Throws a 401 when the password is wrong, missing or the user is disabled. */
  checkPassword(userId: string, password: string): Promise<UserRecord>;
  getDomain(id: string): Promise<DomainRecord>;
  getDomainByName(name: string): Promise<DomainRecord>;
  getProject(id: string): Promise<ProjectRecord>;
  getProjectByName(name: string, domainId: string): Promise<ProjectRecord>;
  /** Effective roles (groups, inheritance and implied roles included). */
  rolesOnProject(userId: string, projectId: string): Promise<readonly RoleRef[]>;
  rolesOnDomain(userId: string, domainId: string): Promise<readonly RoleRef[]>;
  rolesOnSystem(userId: string): Promise<readonly RoleRef[]>;
  projectIdsForUser(userId: string): Promise<readonly string[]>;
  domainIdsForUser(userId: string): Promise<readonly string[]>;
  catalog(userId: string, projectId: string | undefined): Promise<readonly CatalogService[]>;
  /** Throws a 401 when unknown, expired or the secret is wrong. */
  checkApplicationCredential(ref: { id?: string; name?: string; userId?: string }, secret: string): Promise<ApplicationCredentialRecord>;
  getApplicationCredential(id: string): Promise<ApplicationCredentialRecord>;
}
