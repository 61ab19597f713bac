// Names for role-assignment listings asked to include them (`include_names`).
// Mirrors _get_names_from_role_assignments of keystone/assignment/core.py.

import { NotFound } from '../../common/errors/index.js';
import type { ActorRef, DomainRef, IdentityLookup, ProjectRef, ResourceLookup } from './lookups.js';
import type { AssignmentNames, NamedInDomain, NamedRoleAssignment, Role, RoleAssignment } from './model.js';

export interface NamesContext {
  readonly resources: ResourceLookup;
  readonly identity: IdentityLookup;
  readonly rolesByIds: (roleIds: readonly string[]) => Promise<readonly Role[]>;
}

/** Memoises lookups so a long listing asks once per entity. */
function memo<T>(load: (id: string) => Promise<T>): (id: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (id) => {
    let value = cache.get(id);
    if (value === undefined) {
      value = load(id);
      cache.set(id, value);
    }
    return value;
  };
}

const UNKNOWN_ACTOR: NamedInDomain = { name: '', domainId: '', domainName: '' };

export async function addAssignmentNames(ctx: NamesContext, entries: readonly RoleAssignment[]): Promise<NamedRoleAssignment[]> {
  const domain = memo<DomainRef>((id) => ctx.resources.getDomain(id));
  const project = memo<ProjectRef>((id) => ctx.resources.getProject(id));
  const user = memo<ActorRef>((id) => ctx.identity.getUser(id));
  const group = memo<ActorRef>((id) => ctx.identity.getGroup(id));
  const roles = new Map((await ctx.rolesByIds([...new Set(entries.map((e) => e.roleId))])).map((r) => [r.id, r]));

  async function actorNames(entry: RoleAssignment): Promise<NamedInDomain> {
    try {
      const actor = await (entry.actorType === 'user' ? user : group)(entry.actorId);
      return { name: actor.name, domainId: actor.domainId, domainName: (await domain(actor.domainId)).name };
    } catch (error) {
      // Keystone lists assignments of users and groups its backend no longer has, nameless.
      if (error instanceof NotFound) return UNKNOWN_ACTOR;
      throw error;
    }
  }

  async function targetNames(entry: RoleAssignment): Promise<AssignmentNames['target']> {
    if (entry.targetType === 'domain') return { name: (await domain(entry.targetId)).name };
    if (entry.targetType === 'system') return undefined;
    const found = await project(entry.targetId);
    return { name: found.name, domainId: found.domainId, domainName: (await domain(found.domainId)).name };
  }

  async function roleNames(entry: RoleAssignment): Promise<AssignmentNames['role']> {
    const role = roles.get(entry.roleId);
    const domainId = role?.domainId ?? null;
    return { name: role?.name ?? '', domainId, domainName: domainId === null ? null : (await domain(domainId)).name };
  }

  const named: NamedRoleAssignment[] = [];
  for (const entry of entries) {
    const target = await targetNames(entry);
    const names: AssignmentNames = { role: await roleNames(entry), actor: await actorNames(entry), ...(target ? { target } : {}) };
    named.push({ ...entry, names });
  }
  return named;
}
