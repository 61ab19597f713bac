// Public surface of the image stores: the ImageStore contract, the filesystem store, the
// staging area of interoperable import, and qcow2 header reading.
export { FileStore } from './file/index.js';
export type { FileStoreOptions } from './file/index.js';
export { StagingArea } from './staging-area.js';
export type { StagingAreaOptions } from './staging-area.js';
export type { AddOptions, ByteRange, ImageStore, StoredImage } from './store.js';
export type { ImageDigest } from './digest-stream.js';
export { ImageSizeLimitExceeded, InvalidStoreLocation, StoredDataExists, StoredDataNotFound } from './errors.js';
export { qcow2VirtualSize, isQcow2, QCOW2_HEADER_BYTES } from './qcow2.js';
