// The catalog's own errors, worded as keystone/exception.py words them.

import { Conflict, ForbiddenAction, ValidationError } from '../errors.js';

/** 409 for a region id already taken. Keystone's message really ends in two periods. */
export class DuplicateRegion extends Conflict {
  constructor(regionId: string) {
    super(`Conflict occurred attempting to store region - Duplicate ID, ${regionId}..`);
  }
}

/** 403: regions that still locate endpoints, directly or through a child, stay. */
export class RegionDeletionError extends ForbiddenAction {
  constructor(regionId: string) {
    super(`Unable to delete region ${regionId} because it or its child regions have associated endpoints.`);
  }
}

/** 400: the new parent is the region itself or one of its descendants. */
export class CircularRegionHierarchy extends ValidationError {
  constructor(parentRegionId: string) {
    super(`The specified parent region ${parentRegionId} would create a circular region hierarchy.`);
  }
}

/** 400: an endpoint URL with a substitution Keystone does not allow, or a broken one. */
export class InvalidEndpointUrl extends ValidationError {
  constructor(url: string) {
    super(`Cannot create an endpoint with an invalid URL: ${url}.`);
  }
}

/** 400 naming the missing reference: "Expecting to find endpoint region_id in region table." */
export class MissingReference extends ValidationError {
  constructor(attribute: string, target: string) {
    super(`Expecting to find ${attribute} in ${target}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`);
  }
}
