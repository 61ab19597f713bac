// Renders a token as Keystone's v3 token body (keystone/api/auth.py + token/provider.py).

import type { CatalogService } from '../auth/lookups.js';
import type { TokenData } from './token-data.js';

/** Keystone's timestamp format: microseconds and a trailing Z. */
export function keystoneTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export function renderToken(data: TokenData, catalog: readonly CatalogService[] | undefined): Record<string, unknown> {
  const { payload, user, userDomain, scope } = data;
  const token: Record<string, unknown> = {
    methods: [...payload.methods],
    user: { domain: { id: userDomain.id, name: userDomain.name }, id: user.id, name: user.name, password_expires_at: null },
    audit_ids: [...payload.auditIds],
    expires_at: keystoneTime(payload.expiresAt),
    issued_at: keystoneTime(payload.issuedAt),
  };
  switch (scope.kind) {
    case 'project':
      token.project = { domain: { id: scope.projectDomain.id, name: scope.projectDomain.name }, id: scope.project.id, name: scope.project.name };
      token.is_domain = false;
      token.is_admin_project = data.isAdminProject;
      break;
    case 'domain':
      token.domain = { id: scope.domain.id, name: scope.domain.name };
      break;
    case 'system':
      token.system = { all: true };
      break;
    case 'unscoped':
      break;
  }
  if (scope.kind !== 'unscoped') token.roles = data.roles.map((r) => ({ id: r.id, name: r.name }));
  if (data.applicationCredential) {
    const { id, name, restricted, accessRules } = data.applicationCredential;
    token.application_credential = { id, name, restricted, ...(accessRules ? { access_rules: accessRules } : {}) };
  }
  if (catalog && scope.kind !== 'unscoped') token.catalog = catalog;
  return { token };
}
