// Streams data into a file the way both the file store and the staging area need it: into a
// temporary name, fsynced, then renamed into place, so a reader never sees a half-written file
// and a failed or aborted write leaves nothing behind.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Writes `data` through `through` (a digest stream) to `path`; on any failure removes the temporary file and rethrows. */
export async function writeDurably(path: string, data: Readable, through: Transform, signal?: AbortSignal): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);
  try {
    await pipeline(data, through, createWriteStream(temporary, { flags: 'wx', mode: 0o600 }), signal ? { signal } : {});
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
