// Loads the keys of a Fernet key repository, primary first, and notices when another process
// rotates them. Mirrors FernetUtils.load_keys in keystone/common/fernet_utils.py.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { KeysNotFound } from './errors.js';
import { isFernetKey } from './fernet.js';
import { readKeyFilesSync } from './key-files.js';
import type { KeyFiles } from './key-files.js';

/** Where a token formatter gets its keys. */
export interface FernetKeySource {
  /**
   * The keys, primary (highest number) first, then the secondaries, then the staged key 0,
   * which can already decrypt so that a node that has not yet synced a rotation still works.
   * @throws KeysNotFound when there is no key
   * @throws RangeError when a key file does not hold a Fernet key
   */
  loadKeys(): readonly string[];
}

export interface FernetKeyRepositoryOptions {
  /** `[fernet_tokens] key_repository`. */
  readonly directory: string;
  /** How long loaded keys are used before the directory is looked at again; default 1000 ms. */
  readonly recheckIntervalMs?: number;
  /** Defaults to the system clock. */
  readonly clock?: () => Date;
}

/**
 * A directory a rotation touches within this long of a read may have changed in the same
 * mtime tick (one second on some filesystems), so its mtime is not trusted as a version yet.
 */
const MTIME_TICK_MS = 2000;

interface LoadedKeys {
  readonly keys: readonly string[];
  /** Undefined when the directory was too recently modified to be sure it has not changed since. */
  readonly version: string | undefined;
  checkedAt: number;
}

/** Rotation renames and removes files, which changes the directory's mtime: that is the signal. */
export class FernetKeyRepository implements FernetKeySource {
  private loaded: LoadedKeys | undefined;
  private readonly clock: () => Date;
  private readonly recheckIntervalMs: number;

  constructor(private readonly options: FernetKeyRepositoryOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.recheckIntervalMs = options.recheckIntervalMs ?? 1000;
  }

  loadKeys(): readonly string[] {
    const now = this.clock().getTime();
    const loaded = this.loaded;
    if (loaded !== undefined && now - loaded.checkedAt < this.recheckIntervalMs) return loaded.keys;
    const { version, mtimeMs } = this.directoryVersion();
    if (loaded !== undefined && loaded.version === version) {
      loaded.checkedAt = now;
      return loaded.keys;
    }
    const keys = this.readKeys();
    this.loaded = { keys, version: now - mtimeMs > MTIME_TICK_MS ? version : undefined, checkedAt: now };
    return keys;
  }

  private directoryVersion(): { version: string; mtimeMs: number } {
    try {
      const stats = statSync(this.options.directory);
      return { version: `${stats.ino}:${stats.mtimeMs}:${stats.ctimeMs}`, mtimeMs: stats.mtimeMs };
    } catch (error) {
      throw new KeysNotFound(this.options.directory, { cause: error });
    }
  }

  private readKeys(): readonly string[] {
    const { directory } = this.options;
    const files = listKeyFiles(directory);
    const numbers = [...files.keys()].sort((a, b) => b - a);
    return Object.freeze(numbers.map((number) => {
      const key = files.get(number) as string;
      if (!isFernetKey(key)) {
        throw new RangeError(`${join(directory, String(number))} does not hold a Fernet key`);
      }
      return key;
    }));
  }
}

function listKeyFiles(directory: string): KeyFiles {
  let files: KeyFiles;
  try {
    files = readKeyFilesSync(directory);
  } catch (error) {
    throw new KeysNotFound(directory, { cause: error });
  }
  if (files.size === 0) throw new KeysNotFound(directory);
  return files;
}
