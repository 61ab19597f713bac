// Errors of the image manager, each with Glance's status code and wording
// (glance/common/exception.py and the webob errors glance/api/v2/*.py raise).

import { BadRequest, Conflict, Forbidden, NotFound, RequestEntityTooLarge } from '../../common/errors/index.js';

export class ImageNotFound extends NotFound {
  constructor(imageId: string) {
    super(`No image found with ID ${imageId}`);
  }
}

export class MemberNotFound extends NotFound {
  constructor(imageId: string, memberId: string) {
    super(`The specified member ${memberId} could not be found for image ${imageId}`);
  }
}

export class TagNotFound extends NotFound {
  constructor(tag: string) {
    super(`Tag ${tag} not found`);
  }
}

/** 400: a value the image schema refuses. */
export class InvalidImageInput extends BadRequest {}

/** 403: an attribute no caller may set (Glance "Attribute 'status' is read-only."). */
export class ReadOnlyAttribute extends Forbidden {
  constructor(attribute: string) {
    super(`Attribute '${attribute}' is read-only.`);
  }
}

/** 403: an attribute reserved by Glance (`deleted`, `location`, `os_glance_*`). */
export class ReservedAttribute extends Forbidden {
  constructor(attribute: string) {
    super(`Attribute '${attribute}' is reserved.`);
  }
}

/** 403 for anything else the image rules forbid (protected image, non-shared member list...). */
export class ImageForbidden extends Forbidden {}

/** 409: a status change the state machine refuses (glance.exception.InvalidImageStatusTransition). */
export class InvalidImageStatusTransition extends Conflict {
  constructor(from: string, to: string) {
    super(`Image status transition from ${from} to ${to} is not allowed`);
  }
}

export class ImageConflict extends Conflict {}

/** 413: a per-project or per-image limit would be exceeded. */
export class ImageLimitExceeded extends RequestEntityTooLarge {}
