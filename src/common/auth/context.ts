// The request context every authenticated handler receives: who is calling, in which scope,
// with which roles. Built once by the auth hook from a validated token.

import type { Credentials } from '../policy/index.js';
import type { AccessRule } from './access-rules.js';

export interface RequestContext {
  readonly requestId: string;
  /** The caller's token, for calls this service makes on the caller's behalf. */
  readonly authToken: string;
  readonly userId: string;
  readonly userName: string;
  readonly userDomainId: string;
  readonly userDomainName: string;
  readonly projectId?: string;
  readonly projectName?: string;
  readonly projectDomainId?: string;
  readonly projectDomainName?: string;
  /** Set for domain-scoped tokens. */
  readonly domainId?: string;
  readonly domainName?: string;
  /** 'all' for system-scoped tokens. */
  readonly systemScope?: 'all';
  /** Role names, implied roles included. */
  readonly roles: readonly string[];
  readonly isAdminProject: boolean;
  readonly applicationCredentialId?: string;
  /** The application credential's access rules; when set and not empty, only these calls are allowed. */
  readonly accessRules?: readonly AccessRule[];
  readonly auditIds: readonly string[];
  readonly expiresAt: Date;
}

/** What a token validator returns: the context without the per-request fields. */
export type ValidatedToken = Omit<RequestContext, 'requestId' | 'authToken'>;

/**
 * Whom a policy check is about: a full RequestContext, or as much of one as a manager keeps
 * (roles and project). Absent attributes match no rule that reads them.
 */
export type PolicySubject = Pick<RequestContext, 'roles'> & Partial<Omit<RequestContext, 'roles'>>;

/** The flat credential record oslo.policy-style rules read (`role:`, `project_id:`...). */
export function policyCredentials(context: PolicySubject): Credentials {
  return {
    user_id: context.userId,
    user_domain_id: context.userDomainId,
    project_id: context.projectId,
    project_domain_id: context.projectDomainId,
    domain_id: context.domainId,
    system_scope: context.systemScope,
    roles: [...context.roles],
    is_admin_project: context.isAdminProject,
    'token.is_admin_project': context.isAdminProject,
    // Keystone's own rules read the token's scope by these names (identity:get_domain).
    'token.domain.id': context.domainId,
    'token.project.domain.id': context.projectDomainId,
  };
}
