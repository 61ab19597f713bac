// Default policy rules of roles, implied roles, grants and role assignments.
// Mirrors keystone/common/policies/{role,implied_role,grant,role_assignment}.py and
// identity:list_user_projects of project.py. `rule:admin_required` is a base rule (base.py)
// declared by the service; base.py's `domain_managed_target_role` is declared here, since
// only role and grant rules use it.

import type { DeprecatedRule, Operation, RuleDefault } from '../../common/policy/index.js';

const ADMIN_REQUIRED = 'rule:admin_required';
const SYSTEM_READER = 'role:reader and system_scope:all';
const ADMIN_OR_SYSTEM_READER = `${ADMIN_REQUIRED} or (${SYSTEM_READER})`;

const ROLE_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_MANAGER_ROLE = `(${ADMIN_OR_SYSTEM_READER}) or (role:manager and rule:domain_managed_target_role)`;
const ROLE_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_MANAGER = `(${ADMIN_OR_SYSTEM_READER}) or (role:manager and not domain_id:None)`;

const DOMAIN_MATCHES_USER_DOMAIN = 'domain_id:%(target.user.domain_id)s';
const DOMAIN_MATCHES_GROUP_DOMAIN = 'domain_id:%(target.group.domain_id)s';
const DOMAIN_MATCHES_PROJECT_DOMAIN = 'domain_id:%(target.project.domain_id)s';
const DOMAIN_MATCHES_TARGET_DOMAIN = 'domain_id:%(target.domain.id)s';
const DOMAIN_MATCHES_ROLE = 'domain_id:%(target.role.domain_id)s or None:%(target.role.domain_id)s';

/** `(role:R and <actor in token domain> and <target in token domain>)`, for each actor and target kind. */
function grantsInDomain(role: string): string {
  const pairs = [
    [DOMAIN_MATCHES_USER_DOMAIN, DOMAIN_MATCHES_PROJECT_DOMAIN],
    [DOMAIN_MATCHES_USER_DOMAIN, DOMAIN_MATCHES_TARGET_DOMAIN],
    [DOMAIN_MATCHES_GROUP_DOMAIN, DOMAIN_MATCHES_PROJECT_DOMAIN],
    [DOMAIN_MATCHES_GROUP_DOMAIN, DOMAIN_MATCHES_TARGET_DOMAIN],
  ];
  return pairs.map(([actor, target]) => `(role:${role} and ${actor} and ${target})`).join(' or ');
}

const GRANT_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER = `(${ADMIN_REQUIRED}) or ((${SYSTEM_READER}) or (${grantsInDomain('reader')}) and (${DOMAIN_MATCHES_ROLE}))`;
const GRANT_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER_LIST = `(${ADMIN_REQUIRED}) or ((${SYSTEM_READER}) or ${grantsInDomain('reader')})`;
const GRANT_ADMIN_OR_DOMAIN_ADMIN_OR_DOMAIN_MANAGER = `(${ADMIN_REQUIRED}) or (${grantsInDomain('admin')}) and (${DOMAIN_MATCHES_ROLE}) or (${grantsInDomain('manager')}) and rule:domain_managed_target_role`;

const ASSIGNMENT_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.domain_id)s)`;

const USER_PROJECTS_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER_OR_OWNER = `(${ADMIN_REQUIRED}) or (${SYSTEM_READER}) or (role:reader and domain_id:%(target.user.domain_id)s) or user_id:%(target.user.id)s`;

function deprecated(name: string, since: string, subject: string): DeprecatedRule {
  return {
    name: `identity:${name}`, checkStr: ADMIN_REQUIRED, deprecatedSince: since,
    deprecatedReason: `The ${subject} API is now aware of system scope and default roles.`,
  };
}

function ops(path: string, ...methods: string[]): Operation[] {
  return methods.map((method) => ({ path, method }));
}

const ROLE = '/v3/roles/{role_id}';
const IMPLIES = '/v3/roles/{prior_role_id}/implies/{implied_role_id}';

/** Keystone's DOMAIN_MANAGER_ALLOWED_ROLES: roles a domain manager may see, grant and revoke. */
const baseRules: RuleDefault[] = [
  { name: 'domain_managed_target_role', checkStr: "'manager':%(target.role.name)s or 'member':%(target.role.name)s or 'reader':%(target.role.name)s",
    description: 'Roles a domain manager may grant or revoke: none above manager, so it cannot escalate privileges.' },
];

const rolePolicies: RuleDefault[] = [
  { name: 'identity:get_role', checkStr: ROLE_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_MANAGER_ROLE, scopeTypes: ['system', 'domain', 'project'],
    description: 'Show role details.', operations: ops(ROLE, 'GET', 'HEAD'), deprecatedRule: deprecated('get_role', 'S', 'role') },
  { name: 'identity:list_roles', checkStr: ROLE_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_MANAGER, scopeTypes: ['system', 'domain', 'project'],
    description: 'List roles.', operations: ops('/v3/roles', 'GET', 'HEAD'), deprecatedRule: deprecated('list_roles', 'S', 'role') },
  { name: 'identity:create_role', checkStr: ADMIN_REQUIRED, scopeTypes: ['system', 'project'],
    description: 'Create role.', operations: ops('/v3/roles', 'POST'), deprecatedRule: deprecated('create_role', 'S', 'role') },
  { name: 'identity:update_role', checkStr: ADMIN_REQUIRED, scopeTypes: ['system', 'project'],
    description: 'Update role.', operations: ops(ROLE, 'PATCH'), deprecatedRule: deprecated('update_role', 'S', 'role') },
  { name: 'identity:delete_role', checkStr: ADMIN_REQUIRED, scopeTypes: ['system', 'project'],
    description: 'Delete role.', operations: ops(ROLE, 'DELETE'), deprecatedRule: deprecated('delete_role', 'S', 'role') },
  { name: 'identity:get_domain_role', checkStr: ADMIN_OR_SYSTEM_READER, scopeTypes: ['system', 'project'],
    description: 'Show domain role.', operations: ops(ROLE, 'GET', 'HEAD'), deprecatedRule: deprecated('get_domain_role', 'T', 'role') },
  { name: 'identity:list_domain_roles', checkStr: ADMIN_OR_SYSTEM_READER, scopeTypes: ['system', 'project'],
    description: 'List domain roles.', operations: ops('/v3/roles?domain_id={domain_id}', 'GET', 'HEAD'), deprecatedRule: deprecated('list_domain_roles', 'T', 'role') },
  { name: 'identity:create_domain_role', checkStr: ADMIN_REQUIRED, scopeTypes: ['system', 'project'],
    description: 'Create domain role.', operations: ops('/v3/roles', 'POST'), deprecatedRule: deprecated('create_domain_role', 'T', 'role') },
  { name: 'identity:update_domain_role', checkStr: ADMIN_REQUIRED, scopeTypes: ['system', 'project'],
    description: 'Update domain role.', operations: ops(ROLE, 'PATCH'), deprecatedRule: deprecated('update_domain_role', 'T', 'role') },
  { name: 'identity:delete_domain_role', checkStr: ADMIN_REQUIRED, scopeTypes: ['system', 'project'],
    description: 'Delete domain role.', operations: ops(ROLE, 'DELETE'), deprecatedRule: deprecated('delete_domain_role', 'T', 'role') },
];

const IMPLIED_ROLE_WHAT = 'When a relationship exists between a prior role and an implied role and the prior role is assigned to a user, the user also assumes the implied role.';

const impliedRolePolicies: RuleDefault[] = [
  { name: 'identity:get_implied_role', checkStr: ADMIN_OR_SYSTEM_READER, scopeTypes: ['system', 'project'],
    description: `Get information about an association between two roles. ${IMPLIED_ROLE_WHAT}`, operations: ops(IMPLIES, 'GET'),
    deprecatedRule: deprecated('get_implied_role', 'T', 'implied role') },
  { name: 'identity:list_implied_roles', checkStr: ADMIN_OR_SYSTEM_READER, scopeTypes: ['system', 'project'],
    description: `List associations between two roles. ${IMPLIED_ROLE_WHAT}`, operations: ops('/v3/roles/{prior_role_id}/implies', 'GET', 'HEAD'),
    deprecatedRule: deprecated('list_implied_roles', 'T', 'implied role') },
  { name: 'identity:create_implied_role', checkStr: ADMIN_REQUIRED, scopeTypes: ['system', 'project'],
    description: `Create an association between two roles. ${IMPLIED_ROLE_WHAT}`, operations: ops(IMPLIES, 'PUT'),
    deprecatedRule: deprecated('create_implied_role', 'T', 'implied role') },
  { name: 'identity:delete_implied_role', checkStr: ADMIN_REQUIRED, scopeTypes: ['system', 'project'],
    description: `Delete the association between two roles. ${IMPLIED_ROLE_WHAT}`, operations: ops(IMPLIES, 'DELETE'),
    deprecatedRule: deprecated('delete_implied_role', 'T', 'implied role') },
  { name: 'identity:list_role_inference_rules', checkStr: ADMIN_OR_SYSTEM_READER, scopeTypes: ['system', 'project'],
    description: `List all associations between two roles in the system. ${IMPLIED_ROLE_WHAT}`, operations: ops('/v3/role_inferences', 'GET', 'HEAD'),
    deprecatedRule: deprecated('list_role_inference_rules', 'T', 'implied role') },
  { name: 'identity:check_implied_role', checkStr: ADMIN_OR_SYSTEM_READER, scopeTypes: ['system', 'project'],
    description: `Check an association between two roles. ${IMPLIED_ROLE_WHAT}`, operations: ops(IMPLIES, 'HEAD'),
    deprecatedRule: deprecated('check_implied_role', 'T', 'implied role') },
];

const GRANT_PATHS = [
  '/projects/{project_id}/users/{user_id}/roles/{role_id}',
  '/projects/{project_id}/groups/{group_id}/roles/{role_id}',
  '/domains/{domain_id}/users/{user_id}/roles/{role_id}',
  '/domains/{domain_id}/groups/{group_id}/roles/{role_id}',
];
const ALL_GRANT_PATHS = [...GRANT_PATHS, ...GRANT_PATHS.map((path) => `/OS-INHERIT${path}/inherited_to_projects`)];
const GRANT_LIST_PATHS = GRANT_PATHS.map((path) => path.replace(/\/\{role_id\}$/, ''));
const INHERITED_GRANT_LIST_PATHS = [
  '/OS-INHERIT/domains/{domain_id}/groups/{group_id}/roles/inherited_to_projects',
  '/OS-INHERIT/domains/{domain_id}/users/{user_id}/roles/inherited_to_projects',
];

function grantOps(paths: readonly string[], ...methods: string[]): Operation[] {
  return paths.flatMap((path) => ops(`/v3${path}`, ...methods));
}

const GRANT_TERMS = 'A target can be either a domain or a project. An actor can be either a user or a group.';
const OS_INHERIT_TERMS = 'These terms also apply to the OS-INHERIT APIs, where grants on the target are inherited to all projects in the subtree, if applicable.';

function systemGrantRule(action: string, checkStr: string, description: string, path: string, methods: string[]): RuleDefault {
  return { name: `identity:${action}`, checkStr, scopeTypes: ['system', 'project'], description,
    operations: ops(path, ...methods), deprecatedRule: deprecated(action, 'S', 'assignment') };
}

const SYSTEM_USER_ROLES = '/v3/system/users/{user_id}/roles';
const SYSTEM_GROUP_ROLES = '/v3/system/groups/{group_id}/roles';

const grantPolicies: RuleDefault[] = [
  { name: 'identity:check_grant', checkStr: GRANT_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER, scopeTypes: ['system', 'domain', 'project'],
    description: `Check a role grant between a target and an actor. ${GRANT_TERMS} ${OS_INHERIT_TERMS}`,
    operations: grantOps(ALL_GRANT_PATHS, 'HEAD', 'GET'), deprecatedRule: deprecated('check_grant', 'S', 'assignment') },
  { name: 'identity:list_grants', checkStr: GRANT_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER_LIST, scopeTypes: ['system', 'domain', 'project'],
    description: `List roles granted to an actor on a target. ${GRANT_TERMS} For the OS-INHERIT APIs, it is possible to list inherited role grants for actors on domains, where grants are inherited to all projects in the specified domain.`,
    operations: [...grantOps(GRANT_LIST_PATHS, 'GET', 'HEAD'), ...grantOps(INHERITED_GRANT_LIST_PATHS, 'GET')],
    deprecatedRule: deprecated('list_grants', 'S', 'assignment') },
  { name: 'identity:create_grant', checkStr: GRANT_ADMIN_OR_DOMAIN_ADMIN_OR_DOMAIN_MANAGER, scopeTypes: ['system', 'domain', 'project'],
    description: `Create a role grant between a target and an actor. ${GRANT_TERMS} ${OS_INHERIT_TERMS}`,
    operations: grantOps(ALL_GRANT_PATHS, 'PUT'), deprecatedRule: deprecated('create_grant', 'S', 'assignment') },
  { name: 'identity:revoke_grant', checkStr: GRANT_ADMIN_OR_DOMAIN_ADMIN_OR_DOMAIN_MANAGER, scopeTypes: ['system', 'domain', 'project'],
    description: `Revoke a role grant between a target and an actor. ${GRANT_TERMS} ${OS_INHERIT_TERMS} In that case, revoking the role grant in the target would remove the logical effect of inheriting it to the target's projects subtree.`,
    operations: grantOps(ALL_GRANT_PATHS, 'DELETE'), deprecatedRule: deprecated('revoke_grant', 'S', 'assignment') },
  systemGrantRule('list_system_grants_for_user', ADMIN_OR_SYSTEM_READER, 'List all grants a specific user has on the system.', SYSTEM_USER_ROLES, ['HEAD', 'GET']),
  systemGrantRule('check_system_grant_for_user', ADMIN_OR_SYSTEM_READER, 'Check if a user has a role on the system.', `${SYSTEM_USER_ROLES}/{role_id}`, ['HEAD', 'GET']),
  systemGrantRule('create_system_grant_for_user', ADMIN_REQUIRED, 'Grant a user a role on the system.', `${SYSTEM_USER_ROLES}/{role_id}`, ['PUT']),
  systemGrantRule('revoke_system_grant_for_user', ADMIN_REQUIRED, 'Remove a role from a user on the system.', `${SYSTEM_USER_ROLES}/{role_id}`, ['DELETE']),
  systemGrantRule('list_system_grants_for_group', ADMIN_OR_SYSTEM_READER, 'List all grants a specific group has on the system.', SYSTEM_GROUP_ROLES, ['HEAD', 'GET']),
  systemGrantRule('check_system_grant_for_group', ADMIN_OR_SYSTEM_READER, 'Check if a group has a role on the system.', `${SYSTEM_GROUP_ROLES}/{role_id}`, ['HEAD', 'GET']),
  systemGrantRule('create_system_grant_for_group', ADMIN_REQUIRED, 'Grant a group a role on the system.', `${SYSTEM_GROUP_ROLES}/{role_id}`, ['PUT']),
  systemGrantRule('revoke_system_grant_for_group', ADMIN_REQUIRED, 'Remove a role from a group on the system.', `${SYSTEM_GROUP_ROLES}/{role_id}`, ['DELETE']),
];

const roleAssignmentPolicies: RuleDefault[] = [
  { name: 'identity:list_role_assignments', checkStr: ASSIGNMENT_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER, scopeTypes: ['system', 'domain', 'project'],
    description: 'List role assignments.', operations: ops('/v3/role_assignments', 'GET', 'HEAD'),
    deprecatedRule: deprecated('list_role_assignments', 'S', 'assignment') },
  { name: 'identity:list_role_assignments_for_tree', checkStr: ASSIGNMENT_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER, scopeTypes: ['system', 'domain', 'project'],
    description: 'List all role assignments for a given tree of hierarchical projects.', operations: ops('/v3/role_assignments?include_subtree', 'GET', 'HEAD'),
    deprecatedRule: deprecated('list_role_assignments_for_tree', 'T', 'assignment') },
  { name: 'identity:list_user_projects', checkStr: USER_PROJECTS_ADMIN_OR_SYSTEM_READER_OR_DOMAIN_READER_OR_OWNER, scopeTypes: ['system', 'domain', 'project'],
    description: 'List projects for user.', operations: ops('/v3/users/{user_id}/projects', 'GET'),
    deprecatedRule: { name: 'identity:list_user_projects', checkStr: 'rule:admin_or_owner', deprecatedSince: 'S',
      deprecatedReason: 'The project API is now aware of system scope and default roles.' } },
];

/** Every rule the assignment routes check. */
export const assignmentPolicies: readonly RuleDefault[] = [
  ...baseRules, ...rolePolicies, ...impliedRolePolicies, ...grantPolicies, ...roleAssignmentPolicies,
];
