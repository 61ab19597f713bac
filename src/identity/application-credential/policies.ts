// Default policy rules of the application credential API. Mirrors
// keystone/common/policies/application_credential.py (2023 defaults). Keystone's `rule:owner`
// is spelled out, so only `rule:admin_required` must come from the service.

import type { DeprecatedRule, RuleDefault } from '../../common/policy/index.js';

const OWNER = 'user_id:%(user_id)s';
const ADMIN_OR_OWNER = `rule:admin_required or ${OWNER}`;
const ADMIN_OR_SYSTEM_READER_OR_OWNER = `(rule:admin_required) or (role:reader and system_scope:all) or ${OWNER}`;
const COLLECTION = '/v3/users/{user_id}/application_credentials';
const RESOURCE = `${COLLECTION}/{application_credential_id}`;

function deprecated(action: string): DeprecatedRule {
  return {
    name: `identity:${action}`,
    checkStr: ADMIN_OR_OWNER,
    deprecatedReason: 'The application credential API is now aware of system scope and default roles.',
    deprecatedSince: 'T',
  };
}

export const applicationCredentialPolicies: readonly RuleDefault[] = [
  {
    name: 'identity:get_application_credential',
    checkStr: ADMIN_OR_SYSTEM_READER_OR_OWNER,
    description: 'Show application credential details.',
    operations: [{ path: RESOURCE, method: 'GET' }, { path: RESOURCE, method: 'HEAD' }],
    scopeTypes: ['system', 'project'],
    deprecatedRule: deprecated('get_application_credential'),
  },
  {
    name: 'identity:list_application_credentials',
    checkStr: ADMIN_OR_SYSTEM_READER_OR_OWNER,
    description: 'List application credentials for a user.',
    operations: [{ path: COLLECTION, method: 'GET' }, { path: COLLECTION, method: 'HEAD' }],
    scopeTypes: ['system', 'project'],
    deprecatedRule: deprecated('list_application_credentials'),
  },
  {
    name: 'identity:create_application_credential',
    checkStr: OWNER,
    description: 'Create an application credential.',
    operations: [{ path: COLLECTION, method: 'POST' }],
    scopeTypes: ['project'],
  },
  {
    name: 'identity:delete_application_credential',
    checkStr: ADMIN_OR_OWNER,
    description: 'Delete an application credential.',
    operations: [{ path: RESOURCE, method: 'DELETE' }],
    scopeTypes: ['system', 'project'],
    deprecatedRule: deprecated('delete_application_credential'),
  },
];
