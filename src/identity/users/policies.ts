// Default policy rules for users and groups. Mirrors keystone/common/policies/user.py and
// group.py (2023 secure-RBAC defaults). `rule:admin_required` is declared by the service.
//
// Keystone's user rules read the caller's domain as `token.domain.id`; `domain_id` is the same
// value in the credentials (a domain-scoped token's domain), and is what tstack's credentials carry.

import type { RuleDefault } from '../../common/policy/index.js';

const ADMIN = 'rule:admin_required';
const SYSTEM_READER = 'role:reader and system_scope:all';
const SCOPES = ['system', 'domain', 'project'] as const;

const USER_READER = `(${ADMIN}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.user.domain_id)s) or user_id:%(target.user.id)s`;
const USER_LISTER = `(${ADMIN}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.domain_id)s)`;
const USER_MANAGER = `(${ADMIN}) or (role:manager and domain_id:%(target.user.domain_id)s)`;

const GROUP_READER = `(${ADMIN}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.group.domain_id)s)`;
const GROUP_MANAGER = `(${ADMIN}) or (role:manager and domain_id:%(target.group.domain_id)s)`;
const GROUPS_OF_USER_READER = `(${ADMIN}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.user.domain_id)s) or user_id:%(user_id)s`;
const MEMBERSHIP_READER = `(${ADMIN}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.group.domain_id)s and domain_id:%(target.user.domain_id)s)`;
const MEMBERSHIP_MANAGER = `(${ADMIN}) or (role:manager and domain_id:%(target.group.domain_id)s and domain_id:%(target.user.domain_id)s)`;

function rule(name: string, checkStr: string, description: string, operations: [string, string][]): RuleDefault {
  return {
    name: `identity:${name}`, checkStr, description, scopeTypes: SCOPES,
    operations: operations.map(([method, path]) => ({ method, path })),
  };
}

const USER_RULES: readonly RuleDefault[] = [
  rule('get_user', USER_READER, 'Show user details.', [['GET', '/v3/users/{user_id}'], ['HEAD', '/v3/users/{user_id}']]),
  rule('list_users', USER_LISTER, 'List users.', [['GET', '/v3/users'], ['HEAD', '/v3/users']]),
  rule('create_user', USER_MANAGER, 'Create a user.', [['POST', '/v3/users']]),
  rule('update_user', USER_MANAGER, 'Update a user, including administrative password resets.', [['PATCH', '/v3/users/{user_id}']]),
  rule('delete_user', USER_MANAGER, 'Delete a user.', [['DELETE', '/v3/users/{user_id}']]),
];

const GROUP_RULES: readonly RuleDefault[] = [
  rule('get_group', GROUP_READER, 'Show group details.', [['GET', '/v3/groups/{group_id}'], ['HEAD', '/v3/groups/{group_id}']]),
  rule('list_groups', GROUP_READER, 'List groups.', [['GET', '/v3/groups'], ['HEAD', '/v3/groups']]),
  rule('list_groups_for_user', GROUPS_OF_USER_READER, 'List groups to which a user belongs.',
    [['GET', '/v3/users/{user_id}/groups'], ['HEAD', '/v3/users/{user_id}/groups']]),
  rule('create_group', GROUP_MANAGER, 'Create group.', [['POST', '/v3/groups']]),
  rule('update_group', GROUP_MANAGER, 'Update group.', [['PATCH', '/v3/groups/{group_id}']]),
  rule('delete_group', GROUP_MANAGER, 'Delete group.', [['DELETE', '/v3/groups/{group_id}']]),
  rule('list_users_in_group', GROUP_READER, 'List members of a specific group.',
    [['GET', '/v3/groups/{group_id}/users'], ['HEAD', '/v3/groups/{group_id}/users']]),
  rule('remove_user_from_group', MEMBERSHIP_MANAGER, 'Remove user from group.', [['DELETE', '/v3/groups/{group_id}/users/{user_id}']]),
  rule('check_user_in_group', MEMBERSHIP_READER, 'Check whether a user is a member of a group.',
    [['HEAD', '/v3/groups/{group_id}/users/{user_id}'], ['GET', '/v3/groups/{group_id}/users/{user_id}']]),
  rule('add_user_to_group', MEMBERSHIP_MANAGER, 'Add user to group.', [['PUT', '/v3/groups/{group_id}/users/{user_id}']]),
];

/** Every rule this subsystem declares (users and groups), for the service's Enforcer. */
export const userPolicies: readonly RuleDefault[] = [...USER_RULES, ...GROUP_RULES];
