// The resource subsystem's errors, worded as keystone/exception.py and keystone/resource/core.py
// word them, since clients and Tempest read the messages.

import { Conflict, EntityNotFound, ForbiddenAction, ValidationError } from '../errors.js';

export { EntityNotFound, ForbiddenAction, ValidationError };

/** 409 for a second project with the same name in a domain, or a second domain with the same name. */
export class ProjectConflict extends Conflict {
  constructor(project: { readonly id: string; readonly name: string; readonly isDomain: boolean }) {
    const details = project.isDomain
      ? `it is not permitted to have two projects acting as domains with the same name: ${project.name}`
      : `it is not permitted to have two projects with either the same name or same id in the same domain: name is ${project.name}, project id ${project.id}`;
    super(`Conflict occurred attempting to store project - ${details}.`);
  }
}

/** 403 for any change to a resource whose `immutable` option is set. */
export class ImmutableResource extends ForbiddenAction {
  constructor(verb: 'update' | 'delete', kind: 'project' | 'domain', id: string) {
    super(`Unable to ${verb} immutable ${kind} resource: \`${id}. Set resource option "immutable" to false first.`);
  }
}

/** 403 for tag changes on an immutable project. */
export class ImmutableProjectTags extends ForbiddenAction {
  constructor(verb: 'create' | 'update' | 'delete', projectId: string) {
    super(`Cannot ${verb} project tags for ${projectId}, project is immutable. Set "immutable" option to false before creating project tags.`);
  }
}
