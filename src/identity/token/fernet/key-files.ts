// Reading and writing the files of a Fernet key repository: one key per file, named by its
// number. Mirrors FernetUtils._get_key_files and _create_tmp_new_key in keystone/common/fernet_utils.py.
import { readdirSync, readFileSync } from 'node:fs';
import { chmod, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Only these names are keys; anything else ('0.tmp', '99.bak', '~1') is ignored. */
const KEY_FILE_NAME = /^[0-9]+$/;
const KEY_FILE_MODE = 0o600;

/** Key number -> key text. Empty files are skipped, as keystone skips them. */
export type KeyFiles = Map<number, string>;

// Names are read rather than directory entry types, so that symlinked keys (as a Kubernetes
// secret volume mounts them) count, as they do for keystone's os.path.isfile.
export function readKeyFilesSync(directory: string): KeyFiles {
  const keys: KeyFiles = new Map();
  for (const name of readdirSync(directory).filter((entry) => KEY_FILE_NAME.test(entry))) {
    const key = readIfPresent(() => readFileSync(join(directory, name), 'utf8'));
    if (key !== '') keys.set(Number(name), key);
  }
  return keys;
}

export async function readKeyFiles(directory: string): Promise<KeyFiles> {
  const keys: KeyFiles = new Map();
  for (const name of (await readdir(directory)).filter((entry) => KEY_FILE_NAME.test(entry))) {
    const key = await readIfPresentAsync(() => readFile(join(directory, name), 'utf8'));
    if (key !== '') keys.set(Number(name), key);
  }
  return keys;
}

/** Writes and syncs a key file readable by its owner only, replacing any stale one. */
export async function writeKeyFile(path: string, key: string): Promise<void> {
  const file = await open(path, 'w', KEY_FILE_MODE);
  try {
    await file.writeFile(key);
    await file.sync();
  } finally {
    await file.close();
  }
  // The mode given to open() is narrowed by the umask and ignored for an existing file.
  await chmod(path, KEY_FILE_MODE);
}

/**
 * A key purged by a concurrent rotation between listing and reading counts as absent, and so
 * does a directory with a numeric name.
 */
function readIfPresent(read: () => string): string {
  try {
    return read().trim();
  } catch (error) {
    if (isNotFound(error)) return '';
    throw error;
  }
}

async function readIfPresentAsync(read: () => Promise<string>): Promise<string> {
  try {
    return (await read()).trim();
  } catch (error) {
    if (isNotFound(error)) return '';
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return code === 'ENOENT' || code === 'EISDIR';
}
