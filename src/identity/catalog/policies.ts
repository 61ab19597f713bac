// Default policy rules of the catalog API. Mirrors keystone/common/policies/region.py,
// service.py and endpoint.py (2023 defaults). `rule:admin_required` is defined by the service.

import type { DeprecatedRule, RuleDefault } from '../../common/policy/index.js';

const ADMIN_REQUIRED = 'rule:admin_required';
const ADMIN_OR_SYSTEM_READER = 'rule:admin_required or (role:reader and system_scope:all)';

function deprecatedAdmin(action: string, what: string): DeprecatedRule {
  return {
    name: `identity:${action}`,
    checkStr: ADMIN_REQUIRED,
    deprecatedReason: `The ${what} API is now aware of system scope and default roles.`,
    deprecatedSince: 'S',
  };
}

function rule(action: string, checkStr: string, description: string, operations: RuleDefault['operations'], scopeTypes: RuleDefault['scopeTypes'], what?: string): RuleDefault {
  return {
    name: `identity:${action}`, checkStr, description, operations, scopeTypes,
    ...(what ? { deprecatedRule: deprecatedAdmin(action, what) } : {}),
  };
}

const ANY_SCOPE = ['system', 'domain', 'project'] as const;
const SYSTEM_OR_PROJECT = ['system', 'project'] as const;
const REGION = '/v3/regions/{region_id}';
const SERVICE = '/v3/services/{service_id}';
const ENDPOINT = '/v3/endpoints/{endpoint_id}';

export const catalogPolicies: readonly RuleDefault[] = [
  // Anyone with a valid token may read regions, as before scopes existed.
  rule('get_region', '', 'Show region details.', [{ path: REGION, method: 'GET' }, { path: REGION, method: 'HEAD' }], ANY_SCOPE),
  rule('list_regions', '', 'List regions.', [{ path: '/v3/regions', method: 'GET' }, { path: '/v3/regions', method: 'HEAD' }], ANY_SCOPE),
  rule('create_region', ADMIN_REQUIRED, 'Create region.', [{ path: '/v3/regions', method: 'POST' }, { path: REGION, method: 'PUT' }], SYSTEM_OR_PROJECT, 'region'),
  rule('update_region', ADMIN_REQUIRED, 'Update region.', [{ path: REGION, method: 'PATCH' }], SYSTEM_OR_PROJECT, 'region'),
  rule('delete_region', ADMIN_REQUIRED, 'Delete region.', [{ path: REGION, method: 'DELETE' }], SYSTEM_OR_PROJECT, 'region'),

  rule('get_service', ADMIN_OR_SYSTEM_READER, 'Show service details.', [{ path: SERVICE, method: 'GET' }], SYSTEM_OR_PROJECT, 'service'),
  rule('list_services', ADMIN_OR_SYSTEM_READER, 'List services.', [{ path: '/v3/services', method: 'GET' }], SYSTEM_OR_PROJECT, 'service'),
  rule('create_service', ADMIN_REQUIRED, 'Create service.', [{ path: '/v3/services', method: 'POST' }], SYSTEM_OR_PROJECT, 'service'),
  rule('update_service', ADMIN_REQUIRED, 'Update service.', [{ path: SERVICE, method: 'PATCH' }], SYSTEM_OR_PROJECT, 'service'),
  rule('delete_service', ADMIN_REQUIRED, 'Delete service.', [{ path: SERVICE, method: 'DELETE' }], SYSTEM_OR_PROJECT, 'service'),

  rule('get_endpoint', ADMIN_OR_SYSTEM_READER, 'Show endpoint details.', [{ path: ENDPOINT, method: 'GET' }], SYSTEM_OR_PROJECT, 'endpoint'),
  rule('list_endpoints', ADMIN_OR_SYSTEM_READER, 'List endpoints.', [{ path: '/v3/endpoints', method: 'GET' }], SYSTEM_OR_PROJECT, 'endpoint'),
  rule('create_endpoint', ADMIN_REQUIRED, 'Create endpoint.', [{ path: '/v3/endpoints', method: 'POST' }], SYSTEM_OR_PROJECT, 'endpoint'),
  rule('update_endpoint', ADMIN_REQUIRED, 'Update endpoint.', [{ path: ENDPOINT, method: 'PATCH' }], SYSTEM_OR_PROJECT, 'endpoint'),
  rule('delete_endpoint', ADMIN_REQUIRED, 'Delete endpoint.', [{ path: ENDPOINT, method: 'DELETE' }], SYSTEM_OR_PROJECT, 'endpoint'),
];
