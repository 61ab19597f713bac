// Password hashing with scrypt (node:crypto, run on the libuv pool so the event loop never waits).
// Plays the part of keystone/common/password_hashing.py. Hashes carry their own parameters,
// `$scrypt$N=32768,r=8,p=1$<salt>$<key>`, so the cost can be raised without breaking old hashes.

import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions as NodeScryptOptions } from 'node:crypto';

export interface PasswordHasher {
  /** A new self-describing hash of `password` with a fresh random salt. */
  hash(password: string): Promise<string>;
  /**
   * True when `password` matches `encoded`, compared in constant time. False, never an error,
   * when `encoded` is not a hash this hasher understands.
   */
  verify(password: string, encoded: string): Promise<boolean>;
  /** True when `encoded` was made with other parameters than the current ones (rehash on next login). */
  needsRehash(encoded: string): boolean;
}

export interface ScryptHasherOptions {
  /** scrypt's N, the CPU/memory cost: a power of two. Default 32768 (32 MiB per hash with r=8). */
  readonly cost?: number;
  /** scrypt's r. Default 8. */
  readonly blockSize?: number;
  /** scrypt's p. Default 1. */
  readonly parallelization?: number;
  /** Salt length in bytes. Default 16. */
  readonly saltBytes?: number;
  /** Derived key length in bytes. Default 32. */
  readonly keyBytes?: number;
}

interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

interface ParsedHash extends ScryptParams {
  readonly salt: Buffer;
  readonly key: Buffer;
}

// Bounds on what a stored hash may ask for, so a corrupt or hostile row cannot make a login
// allocate gigabytes or spin for minutes.
const MAX_COST = 2 ** 20;
const MAX_BLOCK_SIZE = 32;
const MAX_PARALLELIZATION = 16;
const MAX_MEMORY_BYTES = 1024 ** 3;

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && (n & (n - 1)) === 0;
}

function validParams({ N, r, p }: ScryptParams): boolean {
  return isPowerOfTwo(N) && N <= MAX_COST
    && Number.isInteger(r) && r >= 1 && r <= MAX_BLOCK_SIZE
    && Number.isInteger(p) && p >= 1 && p <= MAX_PARALLELIZATION
    && 128 * r * (N + p + 2) <= MAX_MEMORY_BYTES;
}

const B64 = /^[A-Za-z0-9+/]+$/;

function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split('$');
  if (parts.length !== 5 || parts[0] !== '' || parts[1] !== 'scrypt') return undefined;
  const params = /^N=(\d+),r=(\d+),p=(\d+)$/.exec(parts[2] ?? '');
  const [saltText, keyText] = [parts[3] ?? '', parts[4] ?? ''];
  if (!params || !B64.test(saltText) || !B64.test(keyText)) return undefined;
  const parsed = { N: Number(params[1]), r: Number(params[2]), p: Number(params[3]),
    salt: Buffer.from(saltText, 'base64'), key: Buffer.from(keyText, 'base64') };
  if (!validParams(parsed) || parsed.salt.length < 8 || parsed.key.length < 16 || parsed.key.length > 128) return undefined;
  return parsed;
}

function derive(password: string, salt: Buffer, keyBytes: number, { N, r, p }: ScryptParams): Promise<Buffer> {
  // Node's default maxmem (32 MiB) is just below what N=32768, r=8 needs.
  const options: NodeScryptOptions = { N, r, p, maxmem: 128 * r * (N + p + 2) + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function encode(params: ScryptParams, salt: Buffer, key: Buffer): string {
  const b64 = (buffer: Buffer) => buffer.toString('base64').replace(/=+$/, '');
  return `$scrypt$N=${params.N},r=${params.r},p=${params.p}$${b64(salt)}$${b64(key)}`;
}

export class ScryptPasswordHasher implements PasswordHasher {
  private readonly params: ScryptParams;
  private readonly saltBytes: number;
  private readonly keyBytes: number;

  /** @throws RangeError when the parameters are not usable scrypt parameters. */
  constructor(options: ScryptHasherOptions = {}) {
    this.params = { N: options.cost ?? 32768, r: options.blockSize ?? 8, p: options.parallelization ?? 1 };
    this.saltBytes = options.saltBytes ?? 16;
    this.keyBytes = options.keyBytes ?? 32;
    if (!validParams(this.params)) throw new RangeError(`invalid scrypt parameters N=${this.params.N}, r=${this.params.r}, p=${this.params.p}`);
    if (this.saltBytes < 8 || this.saltBytes > 64) throw new RangeError('scrypt salt must be 8 to 64 bytes');
    if (this.keyBytes < 16 || this.keyBytes > 128) throw new RangeError('scrypt key must be 16 to 128 bytes');
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(this.saltBytes);
    return encode(this.params, salt, await derive(password, salt, this.keyBytes, this.params));
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const parsed = parseHash(encoded);
    if (!parsed) return false;
    const key = await derive(password, parsed.salt, parsed.key.length, parsed);
    return timingSafeEqual(key, parsed.key);
  }

  needsRehash(encoded: string): boolean {
    const parsed = parseHash(encoded);
    return !parsed || parsed.N !== this.params.N || parsed.r !== this.params.r || parsed.p !== this.params.p
      || parsed.salt.length !== this.saltBytes || parsed.key.length !== this.keyBytes;
  }
}
