// A pass-through stream that measures image data as it flows to a store: md5 (Glance
// `checksum`), sha512 (`os_hash_value`), size, and the first bytes (for the qcow2 header).
// It fails the pipeline with a 413 as soon as the data passes its byte limit.

import { createHash } from 'node:crypto';
import type { Hash } from 'node:crypto';
import { Transform } from 'node:stream';
import type { TransformCallback } from 'node:stream';
import { ImageSizeLimitExceeded } from './errors.js';
import { QCOW2_HEADER_BYTES, qcow2VirtualSize } from './qcow2.js';

/** What a digest stream learned about the bytes that went through it. */
export interface ImageDigest {
  readonly size: number;
  /** Hex md5, Glance's `checksum`. */
  readonly checksum: string;
  /** Glance's `os_hash_algo`. */
  readonly osHashAlgo: 'sha512';
  /** Hex sha512, Glance's `os_hash_value`. */
  readonly osHashValue: string;
  /** The size itself for raw images, else from a qcow2 header; null for anything else. */
  readonly virtualSize: number | null;
}

export class DigestStream extends Transform {
  private readonly md5: Hash = createHash('md5');
  private readonly sha512: Hash = createHash('sha512');
  private readonly headerChunks: Buffer[] = [];
  private headerLength = 0;
  private size = 0;

  /** `maxBytes`: fail once more bytes than this arrive; undefined for no limit. */
  constructor(private readonly maxBytes: number | undefined) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.maxBytes !== undefined && this.size > this.maxBytes) {
      callback(new ImageSizeLimitExceeded({ maxBytes: this.maxBytes }));
      return;
    }
    if (this.headerLength < QCOW2_HEADER_BYTES) {
      const part = chunk.subarray(0, QCOW2_HEADER_BYTES - this.headerLength);
      this.headerChunks.push(Buffer.from(part));
      this.headerLength += part.length;
    }
    this.md5.update(chunk);
    this.sha512.update(chunk);
    callback(null, chunk);
  }

  /** The digest; call only after the stream has finished. `diskFormat` 'raw' makes virtual size = size. */
  digest(diskFormat?: string | null): ImageDigest {
    const qcow2Size = qcow2VirtualSize(Buffer.concat(this.headerChunks));
    return {
      size: this.size,
      checksum: this.md5.digest('hex'),
      osHashAlgo: 'sha512',
      osHashValue: this.sha512.digest('hex'),
      virtualSize: diskFormat === 'raw' ? this.size : qcow2Size,
    };
  }
}
