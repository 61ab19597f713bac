// Errors of the Fernet token provider. Mirrors the exceptions keystone/token/token_formatters.py
// and keystone/common/fernet_utils.py raise (ValidationError on unpack, KeysNotFound).
import { TstackError, Unauthorized } from '../../../common/errors/index.js';

/** Why a token was refused; for logs and tests, never shown to the client. */
export type InvalidTokenReason =
  /** Not url-safe base64, wrong version byte or wrong length. */
  | 'encoding'
  /** No key in the repository produced its HMAC. */
  | 'signature'
  /** The HMAC matched but the ciphertext did not decrypt (bad padding). */
  | 'decryption'
  /** Decrypted, but the msgpack payload is not one this formatter can read. */
  | 'payload'
  /** A payload version this formatter does not support (trust, federated, OAuth...). */
  | 'version';

/** A token that cannot be read: garbage, tampered, or made with a key no longer held. */
export class InvalidToken extends Unauthorized {
  /** Which check refused the token. */
  readonly reason: InvalidTokenReason;

  constructor(reason: InvalidTokenReason, options: { readonly cause?: unknown } = {}) {
    super('Could not recognize Fernet token', options);
    this.reason = reason;
  }
}

/** The key repository holds no usable key: `fernetSetup` was never run on it. */
export class KeysNotFound extends TstackError {
  readonly status = 500;
  readonly title = 'Internal Server Error';

  /** The repository directory, for the log; kept out of the message the client may see. */
  readonly keyRepository: string;

  constructor(keyRepository: string, options: { readonly cause?: unknown } = {}) {
    super('No encryption keys found; run fernet_setup to bootstrap one.', options);
    this.keyRepository = keyRepository;
  }
}
