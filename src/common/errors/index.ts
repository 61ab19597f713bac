// The one base class for domain errors. Services subclass it in their own errors.ts;
// the HTTP edge of each service renders it in the body that service's clients expect.
// Nothing here knows about HTTP beyond the numeric status an error maps to.

export interface TstackErrorOptions {
  readonly cause?: unknown;
}

/** A domain error with a fixed HTTP status and a human-readable message. */
export abstract class TstackError extends Error {
  /** HTTP status this error maps to at the API edge. */
  abstract readonly status: number;
  /** Short title, used by Keystone-style bodies ("Not Found", "Conflict"). */
  abstract readonly title: string;

  constructor(message: string, options: TstackErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

export class BadRequest extends TstackError {
  readonly status = 400;
  readonly title = 'Bad Request';
}

export class Unauthorized extends TstackError {
  readonly status = 401;
  readonly title = 'Unauthorized';
  constructor(message = 'The request you have made requires authentication.', options?: TstackErrorOptions) {
    super(message, options);
  }
}

export class Forbidden extends TstackError {
  readonly status = 403;
  readonly title = 'Forbidden';
  constructor(message = 'You are not authorized to perform the requested action.', options?: TstackErrorOptions) {
    super(message, options);
  }
}

export class NotFound extends TstackError {
  readonly status = 404;
  readonly title = 'Not Found';
}

export class Conflict extends TstackError {
  readonly status = 409;
  readonly title = 'Conflict';
}

export class NotAcceptable extends TstackError {
  readonly status = 406;
  readonly title = 'Not Acceptable';
}

export class RequestEntityTooLarge extends TstackError {
  readonly status = 413;
  readonly title = 'Request Entity Too Large';
}

export class ServiceUnavailable extends TstackError {
  readonly status = 503;
  readonly title = 'Service Unavailable';
}

/** True for errors the API edge can render as a 4xx/5xx with their own message. */
export function isTstackError(error: unknown): error is TstackError {
  return error instanceof TstackError;
}
