// Keystone's errors (keystone/exception.py): each knows its status and builds its message
// from typed fields. The API edge renders them as {"error": {code, title, message}}.

import { BadRequest, Conflict, Forbidden, NotFound, Unauthorized } from '../common/errors/index.js';

export { BadRequest, Conflict, Forbidden, NotFound, Unauthorized };

/** "Could not find <kind>: <id>." — Keystone's wording, which clients and Tempest match. */
export class EntityNotFound extends NotFound {
  constructor(kind: string, id: string) {
    super(`Could not find ${kind}: ${id}.`);
  }
}

/** "Conflict occurred attempting to store <kind> - Duplicate entry found with name <name>." */
export class DuplicateEntity extends Conflict {
  constructor(kind: string, field: string, value: string) {
    super(`Conflict occurred attempting to store ${kind} - Duplicate entry found with ${field} ${value}.`);
  }
}

export class ValidationError extends BadRequest {}

export class AuthenticationFailed extends Unauthorized {
  constructor(message = 'The request you have made requires authentication.') {
    super(message);
  }
}

/** 403 for actions Keystone refuses on principle (deleting an enabled domain...). */
export class ForbiddenAction extends Forbidden {}
