// Errors raised by image stores and the staging area (glance_store exceptions, as tstack errors).
import { TstackError } from '../../common/errors/index.js';
import type { TstackErrorOptions } from '../../common/errors/index.js';

/** The data grew past the size cap or the owner's remaining quota (glance ImageSizeLimitExceeded). */
export class ImageSizeLimitExceeded extends TstackError {
  readonly status = 413;
  readonly title = 'Request Entity Too Large';
  constructor(readonly fields: { readonly maxBytes: number }, options?: TstackErrorOptions) {
    super(`The incoming image is too large: it exceeds the limit of ${fields.maxBytes} bytes.`, options);
  }
}

/** No data at a location (glance_store.NotFound). */
export class StoredDataNotFound extends TstackError {
  readonly status = 404;
  readonly title = 'Not Found';
  constructor(readonly fields: { readonly location: string }, options?: TstackErrorOptions) {
    super(`No image data could be found at ${fields.location}.`, options);
  }
}

/** Data already exists for this image (glance_store.Duplicate). */
export class StoredDataExists extends TstackError {
  readonly status = 409;
  readonly title = 'Conflict';
  constructor(readonly fields: { readonly imageId: string }, options?: TstackErrorOptions) {
    super(`Image storage media already holds data for image ${fields.imageId}.`, options);
  }
}

/** A location this store does not own or cannot parse. */
export class InvalidStoreLocation extends TstackError {
  readonly status = 400;
  readonly title = 'Bad Request';
  constructor(readonly fields: { readonly location: string }, options?: TstackErrorOptions) {
    super(`Invalid image store location: ${fields.location}.`, options);
  }
}
