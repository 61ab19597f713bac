// The assignment subsystem's errors, worded as keystone/exception.py words them.

import { Conflict, EntityNotFound, Forbidden, NotFound, ValidationError } from '../errors.js';

export class RoleNotFound extends EntityNotFound {
  constructor(roleId: string) {
    super('role', roleId);
  }
}

/** 404 for a missing inference rule. */
export class ImpliedRoleNotFound extends NotFound {
  constructor(priorRoleId: string, impliedRoleId: string) {
    super(`${priorRoleId} does not imply ${impliedRoleId}.`);
  }
}

/** 403: a prohibited role (admin by default), or a domain-specific role implied by a global one. */
export class InvalidImpliedRole extends Forbidden {
  constructor(roleId: string, message = `${roleId} cannot be an implied roles.`) {
    super(message);
  }
}

/** 403: a domain-specific role granted on a project of another domain. */
export class DomainSpecificRoleMismatch extends Forbidden {
  constructor(projectId: string, roleId: string) {
    super(`Project ${projectId} must be in the same domain as the role ${roleId} being assigned.`);
  }
}

export class RoleAssignmentNotFound extends NotFound {
  constructor(roleId: string, actorId: string, targetId: string) {
    super(`Could not find role assignment with role: ${roleId}, user or group: ${actorId}, project, domain, or system: ${targetId}.`);
  }
}

/** 403 on changing an immutable role other than to make it mutable. */
export class ResourceUpdateForbidden extends Forbidden {
  constructor(type: string, resourceId: string) {
    super(`Unable to update immutable ${type} resource: \`${resourceId}. Set resource option "immutable" to false first.`);
  }
}

/** 403 on deleting an immutable role. */
export class ResourceDeleteForbidden extends Forbidden {
  constructor(type: string, resourceId: string) {
    super(`Unable to delete immutable ${type} resource: \`${resourceId}. Set resource option "immutable" to false first.`);
  }
}

/** 409 for a second role of the same name in the same domain (or among global roles). */
export class DuplicateRole extends Conflict {
  constructor(name: string, domainId: string | null) {
    const where = domainId === null ? '' : ` at domain ID ${domainId}`;
    super(`Conflict occurred attempting to store role - Duplicate entry found with name ${name}${where}.`);
  }
}

/** 409 for an inference rule that already exists. */
export class DuplicateImpliedRole extends Conflict {
  constructor() {
    super('Conflict occurred attempting to store implied_role - Duplicate entry.');
  }
}

export { ValidationError };
