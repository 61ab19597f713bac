// Roles and role inference rules: the role_api of keystone/assignment/core.py (RoleManager),
// with its rules on immutable roles and on which roles may be implied.

import { randomUUID } from 'node:crypto';
import type { IdentityEvents } from '../events.js';
import type { RoleBackend, RoleFilter } from './backend.js';
import { InvalidImpliedRole, ResourceDeleteForbidden, ResourceUpdateForbidden, ValidationError } from './errors.js';
import type { ResourceLookup } from './lookups.js';
import type { ImpliedRole, Role, RoleCreate, RoleOptions, RoleUpdate } from './model.js';

export interface RoleManagerDeps {
  readonly backend: RoleBackend;
  /** Used to check the domain of a domain-specific role exists. */
  readonly resources: Pick<ResourceLookup, 'getDomain'>;
  readonly events: IdentityEvents;
  /** `[assignment] prohibited_implied_role`: names no rule may imply. Default ['admin']. */
  readonly prohibitedImpliedRoles?: readonly string[];
  /** Id generator for new roles; default uuid4 as 32 hex characters. */
  readonly newId?: () => string;
}

/** A prior role and the roles it implies, as GET /v3/role_inferences lists them. */
export interface RoleInference {
  readonly priorRole: Role;
  readonly implies: readonly Role[];
}

function mergeOptions(current: RoleOptions, change: RoleUpdate['options']): RoleOptions {
  if (change === undefined || change.immutable === undefined) return current;
  return change.immutable === null ? {} : { immutable: change.immutable };
}

/** How many attributes an update names, as Keystone counts the keys of the request body. */
function updatedKeyCount(update: RoleUpdate): number {
  const named = [update.name, update.domainId, update.description, update.options].filter((v) => v !== undefined).length;
  return named + Object.keys(update.extra ?? {}).length;
}

/** Immutable roles accept only the update that makes them mutable (keystone's check_immutable_update). */
function assertMutable(role: Role, update: RoleUpdate): void {
  if (role.options.immutable !== true) return;
  const immutable = update.options?.immutable;
  if (updatedKeyCount(update) > 1 || immutable === undefined || immutable === true) {
    throw new ResourceUpdateForbidden('role', role.id);
  }
}

export class RoleManager {
  private readonly prohibitedImpliedRoles: readonly string[];
  private readonly newId: () => string;

  constructor(private readonly deps: RoleManagerDeps) {
    this.prohibitedImpliedRoles = deps.prohibitedImpliedRoles ?? ['admin'];
    this.newId = deps.newId ?? (() => randomUUID().replaceAll('-', ''));
    deps.events.on('domain.deleted', ({ domainId }) => this.deleteDomainRoles(domainId));
  }

  /**
   * Creates a role, global or (with `domainId`) specific to a domain.
   * @throws EntityNotFound when the domain does not exist.
   * @throws DuplicateRole when the name is taken in that domain.
   */
  async createRole(input: RoleCreate): Promise<Role> {
    const domainId = input.domainId ?? null;
    if (domainId !== null) await this.deps.resources.getDomain(domainId);
    return this.deps.backend.createRole({
      id: input.id ?? this.newId(), name: input.name, domainId, description: input.description ?? null,
      options: mergeOptions({}, input.options), extra: input.extra ?? {},
    });
  }

  /** @throws RoleNotFound */
  getRole(roleId: string): Promise<Role> {
    return this.deps.backend.getRole(roleId);
  }

  listRoles(filter: RoleFilter = {}): Promise<Role[]> {
    return this.deps.backend.listRoles(filter);
  }

  /** The existing roles among `roleIds`, in no particular order. */
  listRolesByIds(roleIds: readonly string[]): Promise<Role[]> {
    return this.deps.backend.listRolesByIds(roleIds);
  }

  /**
   * @throws RoleNotFound
   * @throws ResourceUpdateForbidden for an immutable role, unless the update only clears `immutable`.
   * @throws ValidationError when the update moves the role to another domain.
   * @throws DuplicateRole when the new name is taken.
   */
  async updateRole(roleId: string, update: RoleUpdate): Promise<Role> {
    const role = await this.deps.backend.getRole(roleId);
    assertMutable(role, update);
    if (update.domainId !== undefined && update.domainId !== role.domainId) {
      throw new ValidationError('Update of `domain_id` is not allowed.');
    }
    return this.deps.backend.updateRole({
      ...role,
      name: update.name ?? role.name,
      description: update.description === undefined ? role.description : update.description,
      options: mergeOptions(role.options, update.options),
      extra: { ...role.extra, ...update.extra },
    });
  }

  /**
   * Deletes the role and its inference rules, then announces `role.deleted` so its grants go.
   * @throws RoleNotFound
   * @throws ResourceDeleteForbidden for an immutable role.
   */
  async deleteRole(roleId: string): Promise<void> {
    const role = await this.deps.backend.getRole(roleId);
    if (role.options.immutable === true) throw new ResourceDeleteForbidden('role', roleId);
    await this.deps.backend.deleteRole(roleId);
    await this.deps.events.emit('role.deleted', { roleId });
  }

  /**
   * Makes `priorRoleId` imply `impliedRoleId`.
   * @throws RoleNotFound when either role is missing.
   * @throws InvalidImpliedRole when the implied role's name is prohibited, or a global role would imply a domain-specific one.
   * @throws DuplicateImpliedRole when the rule exists.
   */
  async createImpliedRole(priorRoleId: string, impliedRoleId: string): Promise<ImpliedRole> {
    const implied = await this.deps.backend.getRole(impliedRoleId);
    const prior = await this.deps.backend.getRole(priorRoleId);
    if (this.prohibitedImpliedRoles.includes(implied.name)) throw new InvalidImpliedRole(impliedRoleId);
    if (prior.domainId === null && implied.domainId !== null) {
      throw new InvalidImpliedRole(impliedRoleId, 'Global role cannot imply a domain-specific role');
    }
    return this.deps.backend.createImpliedRole({ priorRoleId, impliedRoleId });
  }

  /** @throws RoleNotFound for a missing role, ImpliedRoleNotFound for a missing rule. */
  async getImpliedRole(priorRoleId: string, impliedRoleId: string): Promise<ImpliedRole> {
    await this.deps.backend.getRole(priorRoleId);
    await this.deps.backend.getRole(impliedRoleId);
    return this.deps.backend.getImpliedRole(priorRoleId, impliedRoleId);
  }

  /** @throws RoleNotFound for a missing role, ImpliedRoleNotFound for a missing rule. */
  async deleteImpliedRole(priorRoleId: string, impliedRoleId: string): Promise<void> {
    await this.deps.backend.getRole(priorRoleId);
    await this.deps.backend.getRole(impliedRoleId);
    await this.deps.backend.deleteImpliedRole(priorRoleId, impliedRoleId);
  }

  /** The roles `priorRoleId` directly implies. @throws RoleNotFound */
  async listImpliedRoles(priorRoleId: string): Promise<Role[]> {
    await this.deps.backend.getRole(priorRoleId);
    const rules = await this.deps.backend.listImpliedRoles(priorRoleId);
    return this.rolesInOrder(rules.map((rule) => rule.impliedRoleId));
  }

  /** Every inference rule, grouped by prior role. */
  async listRoleInferences(): Promise<RoleInference[]> {
    const rules = await this.deps.backend.listImpliedRoles();
    const roles = new Map((await this.deps.backend.listRolesByIds(rules.flatMap((r) => [r.priorRoleId, r.impliedRoleId]))).map((r) => [r.id, r]));
    const byPrior = new Map<string, Role[]>();
    for (const rule of rules) {
      const implied = roles.get(rule.impliedRoleId);
      if (implied === undefined || !roles.has(rule.priorRoleId)) continue;
      byPrior.set(rule.priorRoleId, [...(byPrior.get(rule.priorRoleId) ?? []), implied]);
    }
    return [...byPrior].map(([priorId, implies]) => ({ priorRole: roles.get(priorId) as Role, implies }));
  }

  /** Every inference rule, as stored. */
  listImpliedRoleRules(): Promise<ImpliedRole[]> {
    return this.deps.backend.listImpliedRoles();
  }

  /**
   * The global role named `name`, created when missing (for bootstrap). Idempotent; an
   * existing role keeps its options.
   */
  async ensureRole(name: string, options: RoleOptions = {}): Promise<Role> {
    const [existing] = await this.deps.backend.listRoles({ name, domainId: null });
    if (existing !== undefined) return existing;
    return this.createRole({ name, options });
  }

  /** Makes `priorRoleId` imply `impliedRoleId` unless it already does (for bootstrap). */
  async ensureImpliedRole(priorRoleId: string, impliedRoleId: string): Promise<void> {
    const rules = await this.deps.backend.listImpliedRoles(priorRoleId);
    if (rules.some((rule) => rule.impliedRoleId === impliedRoleId)) return;
    await this.createImpliedRole(priorRoleId, impliedRoleId);
  }

  private async rolesInOrder(roleIds: readonly string[]): Promise<Role[]> {
    const roles = new Map((await this.deps.backend.listRolesByIds(roleIds)).map((r) => [r.id, r]));
    return roleIds.flatMap((id) => roles.get(id) ?? []);
  }

  /** A deleted domain's own roles go with it, whatever their options: nothing can use them any more. */
  private async deleteDomainRoles(domainId: string): Promise<void> {
    for (const role of await this.deps.backend.listRoles({ domainId })) {
      await this.deps.backend.deleteRole(role.id);
      await this.deps.events.emit('role.deleted', { roleId: role.id });
    }
  }
}
