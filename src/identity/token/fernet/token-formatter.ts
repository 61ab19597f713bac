// Turns token payloads into Fernet tokens and back. Mirrors keystone/token/token_formatters.py
// (TokenFormatter: pack, unpack, restore_padding, create_token, validate_token).
import { decode, encode } from '@msgpack/msgpack';
import { DEFAULT_AUTH_METHODS } from './auth-methods.js';
import { InvalidToken } from './errors.js';
import type { RandomBytes } from './fernet.js';
import type { FernetKeySource } from './key-repository.js';
import { MultiFernet } from './multi-fernet.js';
import { packPayload, unpackPayload } from './payloads.js';
import type { PayloadContext } from './payloads.js';
import type { NewTokenPayload, TokenPayload } from './token-payload.js';

/**
 * Keystone's `[DEFAULT] max_token_size`: the width of the id columns tokens may be stored in
 * elsewhere. Typical tokens stay below it.
 */
export const MAX_TOKEN_SIZE = 255;

export interface TokenFormatterDeps {
  /** Keys, primary first; read again on every call so a rotation takes effect. */
  readonly keys: FernetKeySource;
  /** `[auth] methods`, in config order; defaults to keystone's list. */
  readonly authMethods?: readonly string[];
  /** `[identity] default_domain_id`; defaults to 'default'. */
  readonly defaultDomainId?: string;
  /** Gives the issue time; defaults to the system clock. */
  readonly clock?: () => Date;
  /** Gives each token's IV; defaults to node:crypto. */
  readonly randomBytes?: RandomBytes;
}

export class TokenFormatter {
  private readonly context: PayloadContext;

  constructor(private readonly deps: TokenFormatterDeps) {
    this.context = {
      authMethods: deps.authMethods ?? DEFAULT_AUTH_METHODS,
      defaultDomainId: deps.defaultDomainId ?? 'default',
    };
  }

  /**
   * Encrypts a payload with the primary key, stamped with the clock's current second.
   * @returns the token without its base64 `=` padding, which is not url-safe
   * @throws RangeError for a payload that cannot be encoded (see packPayload)
   * @throws KeysNotFound when the key source holds no key
   */
  create(payload: NewTokenPayload): string {
    const message = encode(packPayload(payload, this.context));
    return this.crypto().encrypt(message).replace(/=+$/, '');
  }

  /**
   * Decrypts a token with whichever held key made it. Expiry is not checked: compare
   * `expiresAt` with your clock, for example with `isExpired`.
   * @throws InvalidToken for anything that is not a token made with one of the held keys in a
   * supported payload version
   * @throws KeysNotFound when the key source holds no key
   */
  validate(token: string): TokenPayload {
    const { plaintext, issuedAt } = this.crypto().decrypt(restorePadding(token));
    let message: unknown;
    try {
      message = decode(plaintext);
    } catch (error) {
      throw new InvalidToken('payload', { cause: error });
    }
    return { ...unpackPayload(message, this.context), issuedAt };
  }

  private crypto(): MultiFernet {
    const cryptoDeps = { clock: this.deps.clock, randomBytes: this.deps.randomBytes };
    return new MultiFernet(this.deps.keys.loadKeys(), cryptoDeps);
  }
}

/** Mirrors TokenFormatter.restore_padding: re-inflates the `=` that create() stripped. */
function restorePadding(token: string): string {
  if (typeof token !== 'string') throw new InvalidToken('encoding');
  const remainder = token.length % 4;
  return remainder === 0 ? token : token + '='.repeat(4 - remainder);
}
