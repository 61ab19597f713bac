// Application credential errors, worded as keystone/exception.py words them.

import { ValidationError } from '../errors.js';

const CLIENT_AT_FAULT = 'The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.';

/** 400 "Invalid application credential: <detail>". */
export class ApplicationCredentialValidationError extends ValidationError {
  constructor(detail: string) {
    super(`Invalid application credential: ${detail}`);
  }
}

/** 400 for an `expires_at` that is not an ISO 8601 timestamp. */
export class ValidationTimeStampError extends ValidationError {
  constructor() {
    super(`Timestamp not in expected format. ${CLIENT_AT_FAULT}`);
  }
}

/** 400 for an `expires_at` in the past. */
export class ValidationExpirationError extends ValidationError {
  constructor() {
    super(`The 'expires_at' must not be before now. ${CLIENT_AT_FAULT}`);
  }
}
