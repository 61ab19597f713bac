// Streams data into a file the way both the file store and the staging area need it: into a
// temporary name, fsynced, then renamed into place, so a reader never sees a half-written file
// and a failed or aborted write leaves nothing behind.

import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Writes `data` through `through` (a digest stream) to `path`; on any failure removes the temporary file and rethrows. */
export async function writeDurably(path: string, data: Readable, through: Transform, signal?: AbortSignal): Promise<void> {
  const temporary = partialPath(path);
  // Opened before the pipeline starts: a write stream opened by name creates the file on its
  // own schedule, so a body that failed at once had its cleanup run before the file existed,
  // leaving an empty file behind.
  const handle = await open(temporary, 'wx', 0o600).catch((error: unknown) => {
    if (!data.destroyed) data.destroy();
    throw error;
  });
  try {
    await pipeline(data, through, handle.createWriteStream(), signal ? { signal } : {});
    await syncFile(temporary);
    await rename(temporary, path);
    await syncFile(dirname(path));
  } catch (error) {
    // A client that disconnects leaves the request stream paused; drop it so the socket is freed.
    if (!data.destroyed) data.destroy();
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

/** A fresh temporary name for data on its way to `path`: `.<name>.<random>.part` beside it. */
export function partialPath(path: string): string {
  return join(dirname(path), `${partialPrefix(basename(path))}${randomBytes(6).toString('hex')}.part`);
}

/** How temporary files of `name` start; see partialPath. */
export function partialPrefix(name: string): string {
  return `.${name}.`;
}

/** True for a temporary file name made by partialPath. */
export function isPartialName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.part');
}

/** fsync of a file, or of a directory to make a rename durable (where the filesystem allows it). */
async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync().catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EINVAL' && error.code !== 'EISDIR') throw error;
    });
  } finally {
    await handle.close();
  }
}
