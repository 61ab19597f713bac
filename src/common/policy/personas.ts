// Base check strings for OpenStack's secure-RBAC personas (admin, member, reader on a
// system, domain or project scope), for services' policies.ts to build rules from.
// Mirrors the constants of keystone/common/policies/base.py and nova/policies/base.py.

/** Anyone holding the admin role, whatever the scope. */
export const ADMIN = 'role:admin';

/** The service role held by service users (Nova calling Cinder, and so on). */
export const SERVICE = 'role:service';

/** Admin on a system-scoped token. */
export const SYSTEM_ADMIN = 'role:admin and system_scope:all';

/** Member on a system-scoped token. */
export const SYSTEM_MEMBER = 'role:member and system_scope:all';

/** Reader on a system-scoped token. */
export const SYSTEM_READER = 'role:reader and system_scope:all';

/** Admin on a token scoped to the target's domain (`domain_id` in the target). */
export const DOMAIN_ADMIN = 'role:admin and domain_id:%(domain_id)s';

/** Member on a token scoped to the target's domain. */
export const DOMAIN_MEMBER = 'role:member and domain_id:%(domain_id)s';

/** Reader on a token scoped to the target's domain. */
export const DOMAIN_READER = 'role:reader and domain_id:%(domain_id)s';

/** Admin on a token scoped to the target's project (`project_id` in the target). */
export const PROJECT_ADMIN = 'role:admin and project_id:%(project_id)s';

/** Manager on a token scoped to the target's project. */
export const PROJECT_MANAGER = 'role:manager and project_id:%(project_id)s';

/** Member on a token scoped to the target's project. */
export const PROJECT_MEMBER = 'role:member and project_id:%(project_id)s';

/** Reader on a token scoped to the target's project. */
export const PROJECT_READER = 'role:reader and project_id:%(project_id)s';

/** The user the target belongs to (`user_id` in the target). */
export const OWNER = 'user_id:%(user_id)s';

/** An admin, or a member of the target's project. */
export const ADMIN_OR_PROJECT_MEMBER = `(${ADMIN}) or (${PROJECT_MEMBER})`;

/** An admin, or a reader of the target's project. */
export const ADMIN_OR_PROJECT_READER = `(${ADMIN}) or (${PROJECT_READER})`;

/** An admin, or a reader on a system-scoped token. */
export const ADMIN_OR_SYSTEM_READER = `(${ADMIN}) or (${SYSTEM_READER})`;

/** An admin, or the user the target belongs to. */
export const ADMIN_OR_OWNER = `(${ADMIN}) or (${OWNER})`;
