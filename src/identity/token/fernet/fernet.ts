// The Fernet format (https://github.com/fernet/spec) for one key, on node:crypto.
// Mirrors cryptography.fernet.Fernet, which keystone's token formatter relies on.
import {
  createCipheriv, createDecipheriv, createHmac, randomBytes as nodeRandomBytes, timingSafeEqual,
} from 'node:crypto';
import { InvalidToken } from './errors.js';

const VERSION_BYTE = 0x80;
const TIMESTAMP_LENGTH = 8;
const IV_LENGTH = 16;
const HEADER_LENGTH = 1 + TIMESTAMP_LENGTH + IV_LENGTH;
const HMAC_LENGTH = 32;
const BLOCK_LENGTH = 16;
const KEY_LENGTH = 32;
/** The largest second count a JavaScript Date can hold. */
const MAX_TIMESTAMP = 8.64e12;

const URLSAFE_BASE64 = /^[A-Za-z0-9_-]*={0,2}$/;
const FERNET_KEY = /^[A-Za-z0-9_-]{43}=?$/;

/** Source of random bytes; node:crypto's `randomBytes` unless a test fixes it. */
export type RandomBytes = (size: number) => Buffer;

/** A token split into its fields; nothing in it is authenticated yet. */
export interface FernetTokenParts {
  /** Version byte, timestamp, IV and ciphertext: everything the HMAC covers. */
  readonly signed: Buffer;
  readonly hmac: Buffer;
  /** Creation time, whole seconds since the epoch. */
  readonly timestamp: number;
  readonly iv: Buffer;
  readonly ciphertext: Buffer;
}

/** Makes a new random key: 32 bytes, url-safe base64 with padding, as key files hold it. */
export function generateFernetKey(randomBytes: RandomBytes = nodeRandomBytes): string {
  return randomBytes(KEY_LENGTH).toString('base64url') + '=';
}

/**
 * Splits a padded url-safe base64 token into its fields.
 * @throws InvalidToken ('encoding') unless it is well-formed base64 of a plausible token.
 */
export function parseFernetToken(token: string): FernetTokenParts {
  if (typeof token !== 'string' || token.length % 4 !== 0 || !URLSAFE_BASE64.test(token)) {
    throw new InvalidToken('encoding');
  }
  const data = Buffer.from(token, 'base64url');
  const cipherLength = data.length - HEADER_LENGTH - HMAC_LENGTH;
  if (data[0] !== VERSION_BYTE || cipherLength < BLOCK_LENGTH || cipherLength % BLOCK_LENGTH !== 0) {
    throw new InvalidToken('encoding');
  }
  const timestamp = Number(data.readBigUInt64BE(1));
  if (timestamp > MAX_TIMESTAMP) throw new InvalidToken('encoding');
  return {
    signed: data.subarray(0, data.length - HMAC_LENGTH),
    hmac: data.subarray(data.length - HMAC_LENGTH),
    timestamp,
    iv: data.subarray(1 + TIMESTAMP_LENGTH, HEADER_LENGTH),
    ciphertext: data.subarray(HEADER_LENGTH, data.length - HMAC_LENGTH),
  };
}

/** One Fernet key: the first 16 bytes sign (HMAC-SHA256), the last 16 encrypt (AES-128-CBC). */
export class Fernet {
  private readonly signingKey: Buffer;
  private readonly encryptionKey: Buffer;

  /** @throws RangeError unless `key` is url-safe base64 of exactly 32 bytes. */
  constructor(key: string) {
    const raw = decodeFernetKey(key);
    if (raw === undefined) throw new RangeError('A Fernet key must be 32 url-safe base64-encoded bytes');
    this.signingKey = raw.subarray(0, 16);
    this.encryptionKey = raw.subarray(16);
  }

  /**
   * Builds a token, padded as the spec writes it.
   * @param timestamp whole seconds since the epoch, stored in the clear
   * @param iv 16 bytes; must be random for every token outside of tests
   */
  encrypt(plaintext: Uint8Array, timestamp: number, iv: Uint8Array): string {
    if (iv.length !== IV_LENGTH) throw new RangeError('A Fernet IV is 16 bytes');
    const header = Buffer.alloc(1 + TIMESTAMP_LENGTH);
    header[0] = VERSION_BYTE;
    header.writeBigUInt64BE(BigInt(timestamp), 1);
    const cipher = createCipheriv('aes-128-cbc', this.encryptionKey, iv);
    const signed = Buffer.concat([header, iv, cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([signed, this.sign(signed)]).toString('base64url') + padding(signed.length);
  }

  /**
   * Opens a parsed token if this key made it.
   * @returns the plaintext, or undefined when the HMAC is not this key's
   * @throws InvalidToken ('decryption') when the HMAC matches but the padding is wrong
   */
  decrypt(parts: FernetTokenParts): Buffer | undefined {
    if (!timingSafeEqual(this.sign(parts.signed), parts.hmac)) return undefined;
    try {
      const decipher = createDecipheriv('aes-128-cbc', this.encryptionKey, parts.iv);
      return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]);
    } catch (error) {
      throw new InvalidToken('decryption', { cause: error });
    }
  }

  private sign(data: Buffer): Buffer {
    return createHmac('sha256', this.signingKey).update(data).digest();
  }
}

/** True for 32 bytes in url-safe base64, as `generateFernetKey` and key files hold them. */
export function isFernetKey(key: string): boolean {
  return decodeFernetKey(key) !== undefined;
}

function decodeFernetKey(key: string): Buffer | undefined {
  const trimmed = key.trim();
  const raw = FERNET_KEY.test(trimmed) ? Buffer.from(trimmed, 'base64url') : undefined;
  return raw?.length === KEY_LENGTH ? raw : undefined;
}

/** The `=` characters base64 puts after `signedLength + 32` bytes. */
function padding(signedLength: number): string {
  const remainder = (signedLength + HMAC_LENGTH) % 3;
  return remainder === 0 ? '' : '='.repeat(3 - remainder);
}
