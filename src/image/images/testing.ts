// Test fixture for the upload flows: an ImageManager on in-memory SQLite, a real FileStore and
// StagingArea in a temporary directory, ImageUploads over them, and a logger that keeps lines.

import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import { Forbidden } from '../../common/errors/index.js';
import { createAuthorizer } from '../../common/http/index.js';
import { Enforcer } from '../../common/policy/index.js';
import { FileStore, StagingArea } from '../stores/index.js';
import type { ImageStore } from '../stores/index.js';
import { SqlImageBackend } from './backends/sql.js';
import type { ImageTables } from './backends/sql.js';
import { ImageManager } from './manager.js';
import type { ImageQuotas } from './manager.js';
import { imageMigrations } from './migrations.js';
import { imagePolicies } from './policies.js';
import { ImageUploads } from './upload.js';
import type { ImageUploadsDeps, StagingStore, UploadLogger } from './upload.js';

export interface LoggedLine {
  readonly level: 'error' | 'warn' | 'info';
  readonly details: Readonly<Record<string, unknown>>;
  readonly message: string;
}

export interface UploadFixture {
  readonly backend: SqlImageBackend;
  readonly images: ImageManager;
  readonly uploads: ImageUploads;
  readonly store: ImageStore;
  readonly staging: StagingStore;
  /** What the uploads logged. */
  readonly logged: LoggedLine[];
  readonly logger: UploadLogger;
  /** The store's and the staging area's directories (created). */
  readonly storeDirectory: string;
  readonly stagingDirectory: string;
  /** Names in the store's and the staging area's directories (temporary files included). */
  storeFiles(): Promise<string[]>;
  stagingFiles(): Promise<string[]>;
  close(): Promise<void>;
}

export interface UploadFixtureOptions extends Partial<Omit<ImageUploadsDeps, 'images' | 'store' | 'staging' | 'logger'>> {
  readonly quotas?: Partial<ImageQuotas>;
  /** Wraps the real FileStore, e.g. to make delete fail. */
  readonly wrapStore?: (store: FileStore, fixture: { readonly backend: SqlImageBackend }) => ImageStore;
  /** Wraps the real StagingArea. */
  readonly wrapStaging?: (staging: StagingArea) => StagingStore;
  /** Reuse this database (another "host" on the same database). */
  readonly backend?: SqlImageBackend;
}

/** A fresh fixture; call close() when done. */
export async function uploadFixture(options: UploadFixtureOptions = {}): Promise<UploadFixture> {
  const root = await mkdtemp(join(tmpdir(), 'tstack-uploads-'));
  let database: { close(): Promise<void> } | undefined;
  let backend = options.backend;
  if (!backend) {
    const opened = openDatabase<ImageTables>('sqlite:///:memory:');
    await migrateDatabase(opened, 'image', imageMigrations);
    database = opened;
    backend = new SqlImageBackend(opened.db);
  }
  // Who is admin: the default context_is_admin rule, as the service decides it.
  const policy = createAuthorizer(new Enforcer({ defaults: imagePolicies }), { denied: (action) => new Forbidden(action) });
  const images = new ImageManager({ backend, isAdmin: policy.isAdmin, quotas: { imageCountTotal: 100, imageSizeTotal: 1 << 30, ...options.quotas } });
  const fileStore = new FileStore({ directory: join(root, 'images') });
  const store = options.wrapStore ? options.wrapStore(fileStore, { backend }) : fileStore;
  const stagingArea = new StagingArea({ directory: join(root, 'staging') });
  const staging = options.wrapStaging ? options.wrapStaging(stagingArea) : stagingArea;
  const logged: LoggedLine[] = [];
  const logger: UploadLogger = {
    error: (details, message) => { logged.push({ level: 'error', details, message }); },
    warn: (details, message) => { logged.push({ level: 'warn', details, message }); },
    info: (details, message) => { logged.push({ level: 'info', details, message }); },
  };
  const { quotas: _quotas, wrapStore: _wrapStore, wrapStaging: _wrapStaging, backend: _backend, ...uploadOptions } = options;
  const uploads = new ImageUploads({ imageSizeCap: 1 << 20, host: 'test-host:9292', ...uploadOptions, images, store, staging, logger });
  const list = (dir: string) => async () => (await readdir(join(root, dir)).catch(() => [])).sort();
  await mkdir(join(root, 'images'));
  await mkdir(join(root, 'staging'));
  return {
    backend, images, uploads, store, staging, logged, logger,
    storeDirectory: join(root, 'images'),
    stagingDirectory: join(root, 'staging'),
    storeFiles: list('images'),
    stagingFiles: list('staging'),
    close: async () => {
      await database?.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
