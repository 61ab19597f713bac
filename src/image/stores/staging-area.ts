// The staging area of interoperable import (glance's node_staging_uri, a directory): image
// data PUT to /v2/images/{id}/stage waits here until /import moves it into a store.

import { mkdir, open, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { DigestStream } from './digest-stream.js';
import { InvalidStoreLocation, StoredDataExists, StoredDataNotFound } from './errors.js';
import { removePartials, sweepPartials, writeDurably } from './file/index.js';

export interface StagingAreaOptions {
  /** Directory for staged data; created when missing. */
  readonly directory: string;
}

const IMAGE_ID = /^[A-Za-z0-9-]{1,64}$/;

export class StagingArea {
  private readonly directory: string;

  constructor(options: StagingAreaOptions) {
    this.directory = resolve(options.directory);
  }

  /**
   * Streams `data` into the staging file of `imageId` and resolves with its size. Rejects with
   * ImageSizeLimitExceeded past `maxBytes`, StoredDataExists when data is already staged;
   * whenever it rejects, nothing is left staged.
   */
  async write(imageId: string, data: Readable, options: { readonly maxBytes?: number; readonly signal?: AbortSignal } = {}): Promise<{ size: number }> {
    const path = this.pathOf(imageId);
    await mkdir(this.directory, { recursive: true, mode: 0o750 });
    if (await this.size(imageId) !== null) {
      data.destroy();
      throw new StoredDataExists({ imageId });
    }
    const digest = new DigestStream(options.maxBytes);
    await writeDurably(path, data, digest, options.signal);
    return { size: digest.digest().size };
  }

  /** The staged data of `imageId`; rejects with StoredDataNotFound when none is staged. */
  async read(imageId: string): Promise<Readable> {
    const handle = await open(this.pathOf(imageId), 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new StoredDataNotFound({ location: `staging:${imageId}` }, { cause: error });
      throw error;
    });
    return handle.createReadStream();
  }

  /** Bytes staged for `imageId`, or null when nothing is staged. */
  async size(imageId: string): Promise<number | null> {
    return stat(this.pathOf(imageId)).then((s) => s.size, () => null);
  }

  /** Removes staged data; resolves when there is none. */
  async remove(imageId: string): Promise<void> {
    await unlink(this.pathOf(imageId)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }

  /** Removes staged data and whatever an interrupted write of `imageId` left; resolves when there is none. */
  async discard(imageId: string): Promise<void> {
    await this.remove(imageId);
    await removePartials(this.directory, imageId);
  }

  /** Removes partial writes not touched since `olderThan` (their process died); resolves with how many. */
  async sweep(olderThan: Date): Promise<number> {
    return sweepPartials(this.directory, olderThan);
  }

  private pathOf(imageId: string): string {
    if (!IMAGE_ID.test(imageId)) throw new InvalidStoreLocation({ location: imageId });
    return join(this.directory, imageId);
  }
}
