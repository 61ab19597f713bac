// The filesystem store and the durable-write helpers the staging area shares with it.

export { FileStore } from './file-store.js';
export type { FileStoreOptions } from './file-store.js';
export { removePartials, sweepPartials } from './partial-files.js';
export { writeDurably } from './write-durably.js';
