// What application credentials need from the roles subsystem; service.ts adapts the role
// manager to it, tests use a fake.

/** A role as application credentials see it. */
export interface RoleRecord {
  readonly id: string;
  readonly name: string;
  readonly domainId: string | null;
}

export interface RoleLookup {
  /** The global role of that name. Throws EntityNotFound('role', name) (404) when there is none. */
  getRoleByName(name: string): Promise<RoleRecord>;
  /** The roles `roleId` implies directly (one level of implied-role rules); [] when none or unknown. */
  listImpliedRoles(roleId: string): Promise<readonly RoleRecord[]>;
}
