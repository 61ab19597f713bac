// Temporary files left in a directory by writes that never finished (writeDurably's `.part`
// files): a crashed process cannot remove its own, so the next reconcile does.

import { readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isPartialName, partialPrefix } from './write-durably.js';

async function names(directory: string): Promise<string[]> {
  return readdir(directory).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
}

async function removeFile(path: string): Promise<void> {
  await unlink(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

/** Removes the temporary files of `name` in `directory`; only for a write known to be dead. */
export async function removePartials(directory: string, name: string): Promise<void> {
  const prefix = partialPrefix(name);
  for (const entry of await names(directory)) {
    if (entry.startsWith(prefix) && isPartialName(entry)) await removeFile(join(directory, entry));
  }
}

/**
 * Removes temporary files not written to since `olderThan` (a live write touches its file with
 * every chunk); returns how many. Safe beside writes in progress, on this host or another.
 */
export async function sweepPartials(directory: string, olderThan: Date): Promise<number> {
  let removed = 0;
  for (const entry of await names(directory)) {
    if (!isPartialName(entry)) continue;
    const path = join(directory, entry);
    const info = await stat(path).catch(() => undefined);
    if (info && info.mtime < olderThan) {
      await removeFile(path);
      removed += 1;
    }
  }
  return removed;
}
