// Default policy rules for domains, projects and project tags.
// Mirrors keystone/common/policies/domain.py and project.py (2023 secure-RBAC defaults).
// `rule:admin_required` is declared with Keystone's base rules, not here.

import type { Operation, RuleDefault } from '../../common/policy/index.js';

const ADMIN_REQUIRED = 'rule:admin_required';
const SYSTEM_READER = 'role:reader and system_scope:all';
const ALL_SCOPES = ['system', 'domain', 'project'] as const;

const ADMIN_OR_SYSTEM_USER_OR_DOMAIN_USER_OR_PROJECT_USER =
  `${ADMIN_REQUIRED} or (${SYSTEM_READER}) or token.domain.id:%(target.domain.id)s or token.project.domain.id:%(target.domain.id)s`;
const ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER_FOR_DOMAIN =
  `${ADMIN_REQUIRED} or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.domain.id)s)`;
const ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER_OR_PROJECT_USER =
  `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or `
  + '(role:reader and domain_id:%(target.project.domain_id)s and not None:%(target.project.domain_id)s) or '
  + 'project_id:%(target.project.id)s';
const ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER =
  `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.domain_id)s)`;
const ADMIN_OR_DOMAIN_MANAGER =
  `(${ADMIN_REQUIRED}) or (role:manager and domain_id:%(target.project.domain_id)s and not None:%(target.project.domain_id)s)`;

function rule(name: string, checkStr: string, description: string, operations: readonly Operation[], scopeTypes: RuleDefault['scopeTypes'] = ALL_SCOPES): RuleDefault {
  return { name: `identity:${name}`, checkStr, description, operations, scopeTypes };
}

const DOMAIN = '/v3/domains/{domain_id}';
const PROJECT = '/v3/projects/{project_id}';
const TAGS = `${PROJECT}/tags`;
const TAG = `${PROJECT}/tags/{value}`;

export const resourcePolicies: readonly RuleDefault[] = [
  rule('get_domain', ADMIN_OR_SYSTEM_USER_OR_DOMAIN_USER_OR_PROJECT_USER, 'Show domain details.', [{ path: DOMAIN, method: 'GET' }]),
  rule('list_domains', ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER_FOR_DOMAIN, 'List domains.', [{ path: '/v3/domains', method: 'GET' }]),
  rule('create_domain', ADMIN_REQUIRED, 'Create domain.', [{ path: '/v3/domains', method: 'POST' }], ['system', 'project']),
  rule('update_domain', ADMIN_REQUIRED, 'Update domain.', [{ path: DOMAIN, method: 'PATCH' }], ['system', 'project']),
  rule('delete_domain', ADMIN_REQUIRED, 'Delete domain.', [{ path: DOMAIN, method: 'DELETE' }], ['system', 'project']),
  rule('get_project', ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER_OR_PROJECT_USER, 'Show project details.', [{ path: PROJECT, method: 'GET' }]),
  rule('list_projects', ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER, 'List projects.', [{ path: '/v3/projects', method: 'GET' }]),
  rule('create_project', ADMIN_OR_DOMAIN_MANAGER, 'Create project.', [{ path: '/v3/projects', method: 'POST' }]),
  rule('update_project', ADMIN_OR_DOMAIN_MANAGER, 'Update project.', [{ path: PROJECT, method: 'PATCH' }]),
  rule('delete_project', ADMIN_OR_DOMAIN_MANAGER, 'Delete project.', [{ path: PROJECT, method: 'DELETE' }]),
  rule('list_project_tags', ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER_OR_PROJECT_USER, 'List tags for a project.',
    [{ path: TAGS, method: 'GET' }, { path: TAGS, method: 'HEAD' }]),
  rule('get_project_tag', ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER_OR_PROJECT_USER, 'Check if project contains a tag.',
    [{ path: TAG, method: 'GET' }, { path: TAG, method: 'HEAD' }]),
  rule('update_project_tags', ADMIN_OR_DOMAIN_MANAGER, 'Replace all tags on a project with the new set of tags.', [{ path: TAGS, method: 'PUT' }]),
  rule('create_project_tag', ADMIN_OR_DOMAIN_MANAGER, 'Add a single tag to a project.', [{ path: TAG, method: 'PUT' }]),
  rule('delete_project_tags', ADMIN_OR_DOMAIN_MANAGER, 'Remove all tags from a project.', [{ path: TAGS, method: 'DELETE' }]),
  rule('delete_project_tag', ADMIN_OR_DOMAIN_MANAGER, 'Delete a specified tag from project.', [{ path: TAG, method: 'DELETE' }]),
];
