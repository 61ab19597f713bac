// Turns a validated token into the request context the auth hook attaches to requests.

import type { ValidatedToken } from '../../common/auth/index.js';
import type { TokenData } from './token-data.js';

export function toValidatedToken(data: TokenData): ValidatedToken {
  const { scope } = data;
  return {
    userId: data.user.id,
    userName: data.user.name,
    userDomainId: data.userDomain.id,
    userDomainName: data.userDomain.name,
    ...(scope.kind === 'project'
      ? { projectId: scope.project.id, projectName: scope.project.name, projectDomainId: scope.projectDomain.id, projectDomainName: scope.projectDomain.name }
      : {}),
    ...(scope.kind === 'domain' ? { domainId: scope.domain.id, domainName: scope.domain.name } : {}),
    ...(scope.kind === 'system' ? { systemScope: 'all' as const } : {}),
    roles: data.roles.map((r) => r.name),
    isAdminProject: data.isAdminProject,
    ...(data.applicationCredential ? { applicationCredentialId: data.applicationCredential.id } : {}),
    ...(data.applicationCredential?.accessRules ? { accessRules: data.applicationCredential.accessRules } : {}),
    auditIds: data.payload.auditIds,
    expiresAt: data.payload.expiresAt,
  };
}
