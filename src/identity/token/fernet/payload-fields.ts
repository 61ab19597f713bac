// How single payload fields are packed to keep tokens short, and read back with strict checks.
// Mirrors the BasePayload helpers of keystone/token/token_formatters.py.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { InvalidToken } from './errors.js';
import type { RandomBytes } from './fernet.js';

/** An id as keystone stores it: `[true, 16 uuid bytes]` or `[false, the id as given]`. */
export type PackedId = readonly [boolean, Uint8Array | string | null];

const UUID_HEX = /^[0-9a-f]{32}$/;
const AUDIT_ID = /^[A-Za-z0-9_-]{22}$/;
const UUID_BYTES = 16;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Throws the error every malformed field turns into. */
export function malformed(): never {
  throw new InvalidToken('payload');
}

/**
 * Only lowercase, unhyphenated uuid hex is compressed, so every id reads back exactly as given
 * (keystone also compresses other uuid spellings and returns them as plain hex).
 */
export function isUuidHex(value: string): boolean {
  return UUID_HEX.test(value);
}

export function uuidHexToBytes(value: string): Uint8Array {
  return Buffer.from(value, 'hex');
}

/** Mirrors attempt_convert_uuid_hex_to_bytes; an absent id packs as `[false, null]`. */
export function packId(value: string | undefined): PackedId {
  if (value === undefined) return [false, null];
  return isUuidHex(value) ? [true, uuidHexToBytes(value)] : [false, value];
}

/** Mirrors _convert_or_decode; null (an absent optional id) reads back as undefined. */
export function unpackId(field: unknown): string | undefined {
  if (!Array.isArray(field) || field.length !== 2) malformed();
  const [isUuid, value] = field as [unknown, unknown];
  if (isUuid === true) return bytesToUuidHex(value);
  if (isUuid !== false) malformed();
  return value === null ? undefined : readString(value);
}

/** Like unpackId for a field that is never absent. */
export function unpackRequiredId(field: unknown): string {
  return unpackId(field) ?? malformed();
}

export function bytesToUuidHex(value: unknown): string {
  if (!(value instanceof Uint8Array) || value.length !== UUID_BYTES) malformed();
  return Buffer.from(value).toString('hex');
}

/** Text, also from the bytes an msgpack < 1.0 encoder would have written for a str. */
export function readString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (!(value instanceof Uint8Array)) malformed();
  try {
    return utf8.decode(value);
  } catch {
    return malformed();
  }
}

/** Seconds since the epoch as a float, like _convert_time_string_to_float. */
export function packTime(date: Date): number {
  const milliseconds = date.getTime();
  if (Number.isNaN(milliseconds)) throw new RangeError('expiresAt is not a valid date');
  return milliseconds / 1000;
}

export function unpackTime(field: unknown): Date {
  if (typeof field !== 'number' || !Number.isFinite(field)) malformed();
  const date = new Date(Math.round(field * 1000));
  return Number.isNaN(date.getTime()) ? malformed() : date;
}

/** A new audit id, as keystone's random_urlsafe_str makes them (22 characters). */
export function randomAuditId(randomBytes: RandomBytes = nodeRandomBytes): string {
  return randomBytes(16).toString('base64url');
}

/**
 * Audit ids are keystone's random_urlsafe_str: 16 random bytes, url-safe base64, no padding.
 * @throws RangeError for any other shape, which could not read back unchanged
 */
export function packAuditIds(auditIds: readonly string[]): Uint8Array[] {
  return auditIds.map((auditId) => {
    const bytes = AUDIT_ID.test(auditId) ? Buffer.from(auditId, 'base64url') : Buffer.alloc(0);
    if (bytes.toString('base64url') !== auditId) throw new RangeError(`"${auditId}" is not an audit id`);
    return bytes;
  });
}

export function unpackAuditIds(field: unknown): string[] {
  if (!Array.isArray(field)) malformed();
  return field.map((bytes: unknown) => {
    if (!(bytes instanceof Uint8Array)) malformed();
    return Buffer.from(bytes).toString('base64url');
  });
}
