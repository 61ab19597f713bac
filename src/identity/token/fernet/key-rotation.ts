// `keystone-manage fernet_setup` and `fernet_rotate`: bootstrap a key repository and rotate it.
// Mirrors initialize_key_repository and rotate_keys in keystone/common/fernet_utils.py.
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { KeysNotFound } from './errors.js';
import { generateFernetKey } from './fernet.js';
import type { RandomBytes } from './fernet.js';
import { readKeyFiles, writeKeyFile } from './key-files.js';

const DIRECTORY_MODE = 0o700;
const STAGED_KEY = '0';
const TEMPORARY_KEY = '0.tmp';

export interface KeyRotationOptions {
  /**
   * `[fernet_tokens] max_active_keys`, default 3: the staged key, the primary and
   * `maxActiveKeys - 2` secondaries survive a rotation. At least 2.
   */
  readonly maxActiveKeys?: number;
  /** Gives the new key; defaults to node:crypto. */
  readonly randomBytes?: RandomBytes;
}

/** What a rotation did, for the operator's log. */
export interface RotationResult {
  /** The number the staged key was promoted to. */
  readonly primaryKey: number;
  /** Key numbers removed because they exceeded `maxActiveKeys`, oldest last. */
  readonly purgedKeys: readonly number[];
}

/**
 * Creates the directory (mode 0700) if needed and, unless it already has a staged key 0,
 * writes one and rotates it into place, leaving keys 0 (staged) and 1 (primary).
 * @returns false when the repository was already set up and nothing was done
 */
export async function fernetSetup(directory: string, options: KeyRotationOptions = {}): Promise<boolean> {
  const created = await mkdir(directory, { recursive: true, mode: DIRECTORY_MODE });
  if (created !== undefined) await chmod(directory, DIRECTORY_MODE);
  if ((await readKeyFiles(directory)).has(0)) return false;
  await writeKeyAtomically(directory, STAGED_KEY, options.randomBytes);
  await fernetRotate(directory, options);
  return true;
}

/**
 * Promotes the staged key 0 to primary (highest number + 1), stages a new key 0 and removes
 * the oldest keys beyond `maxActiveKeys`. The new key is written before anything is renamed,
 * so a failed write (a full disk) leaves the repository as it was.
 * @throws KeysNotFound when there is no staged key 0 (run fernetSetup first)
 * @throws RangeError when `maxActiveKeys` is below 2
 */
export async function fernetRotate(
  directory: string, options: KeyRotationOptions = {},
): Promise<RotationResult> {
  const maxActiveKeys = options.maxActiveKeys ?? 3;
  if (!Number.isInteger(maxActiveKeys) || maxActiveKeys < 2) {
    throw new RangeError('maxActiveKeys must be an integer of at least 2');
  }
  const existing = [...(await readKeyFiles(directory)).keys()];
  if (!existing.includes(0)) throw new KeysNotFound(directory);
  await writeKeyFile(join(directory, TEMPORARY_KEY), generateFernetKey(options.randomBytes));
  const primaryKey = Math.max(...existing) + 1;
  await rename(join(directory, STAGED_KEY), join(directory, String(primaryKey)));
  await rename(join(directory, TEMPORARY_KEY), join(directory, STAGED_KEY));
  const active = [...existing.filter((number) => number !== 0), primaryKey].sort((a, b) => b - a);
  const purgedKeys = active.slice(maxActiveKeys - 1);
  for (const number of purgedKeys) await rm(join(directory, String(number)), { force: true });
  return { primaryKey, purgedKeys };
}

async function writeKeyAtomically(directory: string, name: string, randomBytes?: RandomBytes): Promise<void> {
  await writeKeyFile(join(directory, TEMPORARY_KEY), generateFernetKey(randomBytes));
  await rename(join(directory, TEMPORARY_KEY), join(directory, name));
}
