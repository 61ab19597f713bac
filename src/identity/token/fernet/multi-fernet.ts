// Several Fernet keys used together: encrypt with the first (primary), decrypt with any.
// Mirrors cryptography.fernet.MultiFernet as keystone's TokenFormatter.crypto builds it.
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { Fernet, parseFernetToken } from './fernet.js';
import type { RandomBytes } from './fernet.js';
import { InvalidToken } from './errors.js';

const IV_LENGTH = 16;

export interface MultiFernetDeps {
  /** Gives the token timestamp; defaults to the system clock. */
  readonly clock?: () => Date;
  /** Gives each token's IV; defaults to node:crypto. */
  readonly randomBytes?: RandomBytes;
}

/** What a successful decrypt yields. */
export interface FernetMessage {
  readonly plaintext: Buffer;
  /** The token's creation time, to the second. */
  readonly issuedAt: Date;
}

export class MultiFernet {
  private readonly fernets: readonly Fernet[];
  private readonly clock: () => Date;
  private readonly randomBytes: RandomBytes;

  /**
   * @param keys url-safe base64 keys, primary first
   * @throws RangeError when `keys` is empty or one of them is malformed
   */
  constructor(keys: readonly string[], deps: MultiFernetDeps = {}) {
    if (keys.length === 0) throw new RangeError('MultiFernet needs at least one key');
    this.fernets = keys.map((key) => new Fernet(key));
    this.clock = deps.clock ?? (() => new Date());
    this.randomBytes = deps.randomBytes ?? nodeRandomBytes;
  }

  /** Encrypts with the primary key, stamped with the clock's current second; padded token. */
  encrypt(plaintext: Uint8Array): string {
    const timestamp = Math.floor(this.clock().getTime() / 1000);
    const primary = this.fernets[0] as Fernet;
    return primary.encrypt(plaintext, timestamp, this.randomBytes(IV_LENGTH));
  }

  /**
   * Tries every key in order. The token's age is not checked (keystone passes no TTL).
   * @throws InvalidToken when the token is malformed or no key opens it
   */
  decrypt(token: string): FernetMessage {
    const parts = parseFernetToken(token);
    let failure = new InvalidToken('signature');
    for (const fernet of this.fernets) {
      try {
        const plaintext = fernet.decrypt(parts);
        if (plaintext !== undefined) return { plaintext, issuedAt: new Date(parts.timestamp * 1000) };
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
        failure = error;
      }
    }
    throw failure;
  }
}
