// The contract every image store meets (glance_store's Store: add, get, delete). Stores know
// neither the database nor HTTP; the image manager records what `add` returns.

import type { Readable } from 'node:stream';
import type { ImageDigest } from './digest-stream.js';

/** Limits and hints for one `add`. */
export interface AddOptions {
  /**
   * Largest number of bytes accepted: the smaller of `image_size_cap` and the owner's remaining
   * quota. Exceeding it aborts the write with ImageSizeLimitExceeded (413). Undefined: no limit.
   */
  readonly maxBytes?: number;
  /** The image's disk_format; 'raw' makes the virtual size equal to the size. */
  readonly diskFormat?: string | null;
  /** Aborting stops the write and removes what was written. */
  readonly signal?: AbortSignal;
}

/** What `add` stored: where, and what the data measured. */
export interface StoredImage extends ImageDigest {
  /** Opaque store URL (`file:///...`) to hand back to `get` and `delete`. */
  readonly location: string;
}

/** An inclusive byte range, both ends already checked against the image size. */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface ImageStore {
  /** Store identifier shown by /v2/info/stores ("file"). */
  readonly id: string;
  /**
   * Streams `data` into the store under `imageId` while hashing it; never buffers the whole
   * image. Resolves once the data is durable. Rejects with ImageSizeLimitExceeded past
   * `options.maxBytes`, StoredDataExists when data for `imageId` is already there, or the error
   * of `data` / the abort reason; whenever it rejects, no partial data remains.
   */
  add(imageId: string, data: Readable, options?: AddOptions): Promise<StoredImage>;
  /**
   * The data at `location` (only `range` of it when given) as a stream.
   * Rejects with StoredDataNotFound when nothing is there, InvalidStoreLocation for a foreign location.
   */
  get(location: string, range?: ByteRange): Promise<Readable>;
  /** Removes the data at `location`; resolves when it is already gone. */
  delete(location: string): Promise<void>;
  /**
   * Removes whatever an interrupted `add` of `imageId` left, finished or partial. Only for an
   * image whose data was never recorded (its upload was interrupted); resolves when there is none.
   */
  discard(imageId: string): Promise<void>;
  /**
   * Removes partial data of adds that stopped writing before `olderThan` (their process died);
   * never touches finished data or a write in progress. Resolves with how many were removed.
   */
  sweep(olderThan: Date): Promise<number>;
}
