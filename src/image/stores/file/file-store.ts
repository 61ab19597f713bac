// The filesystem image store (glance_store/_drivers/filesystem.py): one file per image in a
// directory under the data dir, located by `file://<directory>/<image id>`.

import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DigestStream } from '../digest-stream.js';
import { InvalidStoreLocation, StoredDataExists, StoredDataNotFound } from '../errors.js';
import type { AddOptions, ByteRange, ImageStore, StoredImage } from '../store.js';
import { removePartials, sweepPartials } from './partial-files.js';
import { writeDurably } from './write-durably.js';

export interface FileStoreOptions {
  /** Directory holding the images (glance's filesystem_store_datadir); created when missing. */
  readonly directory: string;
}

const IMAGE_ID = /^[A-Za-z0-9-]{1,64}$/;

export class FileStore implements ImageStore {
  readonly id = 'file';
  private readonly directory: string;

  constructor(options: FileStoreOptions) {
    this.directory = resolve(options.directory);
  }

  async add(imageId: string, data: Readable, options: AddOptions = {}): Promise<StoredImage> {
    if (!IMAGE_ID.test(imageId)) throw new InvalidStoreLocation({ location: imageId });
    await mkdir(this.directory, { recursive: true, mode: 0o750 });
    const path = join(this.directory, imageId);
    if (await exists(path)) {
      data.destroy();
      throw new StoredDataExists({ imageId });
    }
    const digest = new DigestStream(options.maxBytes);
    await writeDurably(path, data, digest, options.signal);
    return { location: pathToFileURL(path).href, ...digest.digest(options.diskFormat) };
  }

  async get(location: string, range?: ByteRange): Promise<Readable> {
    const path = this.pathOf(location);
    const handle = await open(path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new StoredDataNotFound({ location }, { cause: error });
      throw error;
    });
    // 1 MiB reads: the default 64 KiB chunks cap downloads at a fraction of the disk's speed.
    return handle.createReadStream({ highWaterMark: 1 << 20, ...(range ? { start: range.start, end: range.end } : {}) });
  }

  async delete(location: string): Promise<void> {
    await unlink(this.pathOf(location)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  async discard(imageId: string): Promise<void> {
    if (!IMAGE_ID.test(imageId)) throw new InvalidStoreLocation({ location: imageId });
    await removePartials(this.directory, imageId);
    await this.delete(pathToFileURL(join(this.directory, imageId)).href);
  }

  async sweep(olderThan: Date): Promise<number> {
    return sweepPartials(this.directory, olderThan);
  }

  /** The file behind a location, refusing anything outside the store's directory. */
  private pathOf(location: string): string {
    let path: string;
    try {
      path = fileURLToPath(location);
    } catch (error) {
      throw new InvalidStoreLocation({ location }, { cause: error });
    }
    const inside = relative(this.directory, path);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.includes('/')) {
      throw new InvalidStoreLocation({ location });
    }
    return path;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
