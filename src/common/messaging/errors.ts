// Errors of the messaging layer. Callers see MessagingTimeout, MessagingUnavailable and
// RemoteError; NoSuchMethod and UnsupportedVersion are raised by servers and reach callers
// as a RemoteError carrying their class name. Mirrors oslo_messaging/exceptions.py.

import { TstackError } from '../errors/index.js';
import type { TstackErrorOptions } from '../errors/index.js';

/** Base of every error this module raises. */
export abstract class MessagingError extends TstackError {}

/** No reply arrived in time, or a send could not finish in time. */
export class MessagingTimeout extends MessagingError {
  readonly status = 504;
  readonly title = 'Gateway Timeout';
}

/** The broker cannot be reached, the connection dropped with the call in flight, or the transport is closed. */
export class MessagingUnavailable extends MessagingError {
  readonly status = 503;
  readonly title = 'Service Unavailable';
}

/** A target the operation cannot use (a call to a fanout target, an empty topic). */
export class InvalidTarget extends MessagingError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
}

/** A transport URL with an unknown scheme or a malformed host list. */
export class InvalidTransportUrl extends MessagingError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
}

/** What travels back to a caller when an endpoint throws. */
export interface RemoteFailure {
  /** Class name of the remote error (`InstanceNotFound`, `TypeError`). */
  readonly className: string;
  readonly message: string;
  /** HTTP status of the remote error; 500 for anything that was not a TstackError. */
  readonly status: number;
  readonly title: string;
}

/**
 * An endpoint threw. Keeps the remote class name, message, status and title, so a NotFound
 * raised by a conductor renders as a 404 at the API edge, and a caller can branch on
 * `error.className`. Thrown again inside an endpoint, it travels on under its remote name.
 */
export class RemoteError extends MessagingError {
  readonly status: number;
  readonly title: string;
  /** Class name of the error the remote endpoint threw. */
  readonly className: string;

  constructor(failure: RemoteFailure, options?: TstackErrorOptions) {
    super(failure.message, options);
    this.status = failure.status;
    this.title = failure.title;
    this.className = failure.className;
  }
}

/** Raised by a server for a method its endpoints do not have. */
export class NoSuchMethod extends MessagingError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
}

/** Raised by a server for a message requiring a version it does not implement. */
export class UnsupportedVersion extends MessagingError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
}

/** Raised by a transport for a message it cannot decode. */
export class MalformedMessage extends MessagingError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
}
