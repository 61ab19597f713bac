// Keystone's base rules and the token rules (keystone/common/policies/base.py, token.py),
// with Keystone 2023's defaults; each subsystem declares its own next to its manager.

import type { RuleDefault } from '../common/policy/index.js';

/** Check strings other rules compose, as keystone's base.py names them. */
export const ADMIN_OR_SYSTEM_READER = 'rule:admin_required or (role:reader and system_scope:all)';

export const basePolicies: readonly RuleDefault[] = [
  { name: 'admin_required', checkStr: 'role:admin or is_admin:1', description: 'Legacy rule: the caller holds the admin role.' },
  { name: 'service_role', checkStr: 'role:service', description: 'The caller is an OpenStack service.' },
  { name: 'service_or_admin', checkStr: 'rule:admin_required or rule:service_role', description: 'A service or an administrator.' },
  { name: 'owner', checkStr: 'user_id:%(user_id)s', description: 'The caller is the user named in the request.' },
  { name: 'admin_or_owner', checkStr: 'rule:admin_required or rule:owner', description: 'An administrator or the user named in the request.' },
  { name: 'token_subject', checkStr: 'user_id:%(target.token.user_id)s', description: 'The caller owns the token being inspected.' },
  { name: 'service_admin_or_token_subject', checkStr: 'rule:service_or_admin or rule:token_subject', description: 'A service, an administrator or the owner of the token.' },
];

export const tokenPolicies: readonly RuleDefault[] = [
  {
    name: 'identity:check_token',
    checkStr: `${ADMIN_OR_SYSTEM_READER} or rule:service_role or rule:token_subject`,
    description: 'Check a token.',
    operations: [{ path: '/v3/auth/tokens', method: 'HEAD' }],
    scopeTypes: ['system', 'domain', 'project'],
  },
  {
    name: 'identity:validate_token',
    checkStr: `${ADMIN_OR_SYSTEM_READER} or rule:service_role or rule:token_subject`,
    description: 'Validate a token.',
    operations: [{ path: '/v3/auth/tokens', method: 'GET' }],
    scopeTypes: ['system', 'domain', 'project'],
  },
  {
    name: 'identity:revoke_token',
    checkStr: 'rule:admin_required or rule:service_role or rule:token_subject',
    description: 'Revoke a token.',
    operations: [{ path: '/v3/auth/tokens', method: 'DELETE' }],
    scopeTypes: ['system', 'domain', 'project'],
  },
];
