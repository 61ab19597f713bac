// Declares the image service (Glance) for the service kit and builds it: stores, managers and
// routes — the one place where Glance's parts are chosen and wired. The kit has opened the
// database, built the enforcer, the HTTP server and the Keystone auth hook before `create` runs.

import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { TokenValidator } from '../common/auth/index.js';
import type { ConfigValues } from '../common/config/index.js';
import type { ServiceMigration } from '../common/db/index.js';
import type { Logger } from '../common/log/index.js';
import type { Transport } from '../common/messaging/index.js';
import type { RuleDefault } from '../common/policy/index.js';
import { defineService, serviceConnection, serviceUserFromOptions, startServiceAlone } from '../common/service/index.js';
import type { RunningService, ServiceContext, ServiceParts } from '../common/service/index.js';
import {
  imageAuthorizer, imageRecords, isPublicImagePath, registerImageDataRoutes, registerImageRoutes, registerImportRoutes,
  registerMemberRoutes, registerSchemaRoutes, registerTagRoutes, registerTaskRoutes, registerVersionRoutes,
  renderImageError,
} from './api/index.js';
import { imageOptions } from './config.js';
import { ImageManager, ImageUploads, SqlImageBackend, imageMigrations, imagePolicies } from './images/index.js';
import type { ImageTables } from './images/index.js';
import { FileStore, StagingArea, StoredDataNotFound } from './stores/index.js';
import { SqlTaskBackend, TaskManager, runImportTask, taskMigrations } from './tasks/index.js';
import type { TaskTables } from './tasks/index.js';

export type ImageConfig = ConfigValues<typeof imageOptions>;

/** Every table of the image database. */
export type ImageDbTables = ImageTables & TaskTables;

export const allImageMigrations: readonly ServiceMigration[] = [...imageMigrations, ...taskMigrations];
export const allImagePolicies: readonly RuleDefault[] = imagePolicies;

/** Glance's task_time_to_live: finished tasks are kept for 48 hours. */
const TASK_TIME_TO_LIVE_MS = 48 * 3600 * 1000;

export function imageConnection(dataDir: string, config: ImageConfig): string {
  return serviceConnection('image', config.connection, dataDir);
}

/** What the running image service offers besides its API. */
export interface ImageApi {
  readonly images: ImageManager;
  readonly tasks: TaskManager;
}

async function createImage(context: ServiceContext<typeof imageOptions, ImageDbTables>): Promise<ServiceParts<ImageApi>> {
  const { config, logger, dataDir, app } = context;
  const db = context.database.db;
  const policy = imageAuthorizer(context.enforcer);

  const store = new FileStore({ directory: config.filesystem_store_datadir ?? join(dataDir, 'images') });
  const staging = new StagingArea({ directory: config.staging_dir ?? join(dataDir, 'image-staging') });
  const images = new ImageManager({
    backend: new SqlImageBackend(db),
    isAdmin: policy.isAdmin,
    quotas: { imageCountTotal: config.image_count_total, imageSizeTotal: config.image_size_total },
    deleteImageData: async (location) => {
      try {
        await store.delete(location);
      } catch (error) {
        // Data already gone is what a delete wants; anything else leaves an orphaned file the
        // operator must hear about, but the image record is deleted either way.
        if (!(error instanceof StoredDataNotFound)) logger.warn({ err: error, location }, 'image deleted, but its data could not be removed from the store');
      }
    },
  });
  const tasks = new TaskManager({ backend: new SqlTaskBackend(db), timeToLiveMs: TASK_TIME_TO_LIVE_MS, now: context.clock, isAdmin: policy.isAdmin });
  // The upload flows; `host` names this image host in upload leases (see ImageUploads.reconcile).
  const uploads = new ImageUploads({
    images, store, staging, tasks, logger, imageSizeCap: config.image_size_cap, host: `${hostname()}:${config.port}`, clock: context.clock,
  });
  const records = imageRecords(images, uploads);

  registerVersionRoutes(app);
  registerSchemaRoutes(app);
  registerImageRoutes(app, { policy, images, limitDefault: config.limit_param_default, limitMax: config.api_limit_max });
  registerTagRoutes(app, { policy, images });
  registerMemberRoutes(app, { policy, images });
  registerImageDataRoutes(app, { policy, images, uploads, store, imageSizeCap: config.image_size_cap });
  registerImportRoutes(app, { policy, images, uploads, records, store, imageSizeCap: config.image_size_cap, tasks, log: logger });
  registerTaskRoutes(app, {
    policy, tasks, getImage: (ctx, id) => images.getImage(ctx, id),
    runTask: (ctx, task) => void runImportTask({ tasks, records, fetch, logger }, ctx, task),
  });
  // Uploads this host was running when it stopped are over: back to queued, partial data removed.
  await uploads.reconcile({ atStart: true });

  return {
    api: { images, tasks },
    periodicTasks: [{
      name: 'delete-expired-tasks',
      intervalSeconds: config.task_cleanup_interval,
      run: async () => {
        const deleted = await tasks.deleteExpired();
        if (deleted > 0) logger.info(`deleted ${deleted} expired tasks`);
      },
    }, uploads.reconcileTask()],
  };
}

/** The image service (Glance): validates tokens with the identity service as user `glance`. */
export const imageService = defineService({
  name: 'image',
  catalog: { type: 'image', name: 'glance', pathSuffix: '' },
  options: imageOptions,
  migrations: allImageMigrations,
  policies: allImagePolicies,
  renderError: renderImageError,
  isPublic: isPublicImagePath,
  ignoreTrailingSlash: false,
  healthPath: '/',
  serviceUser: serviceUserFromOptions,
  create: createImage,
});

export interface ImageServiceOptions {
  readonly dataDir: string;
  readonly config: ImageConfig;
  readonly logger: Logger;
  /** Validates callers' tokens; by default Keystone at [image] auth_url with the service user. */
  readonly validator?: TokenValidator;
  /** The message bus; by default a private in-process bus. */
  readonly transport?: Transport;
}

/** The image service started through the kit, for tests and tools that build it from its option values. */
export class ImageService {
  private constructor(private readonly running: RunningService<ImageApi>) {}

  static async create(options: ImageServiceOptions): Promise<ImageService> {
    return new ImageService(await startServiceAlone(imageService, {
      config: options.config, dataDir: options.dataDir, logger: options.logger,
      ...(options.transport ? { transport: options.transport } : {}),
      ...(options.validator ? { validator: options.validator } : {}),
    }));
  }

  get app(): FastifyInstance {
    return this.running.app;
  }

  get api(): ImageApi {
    return this.running.api;
  }

  /** Listens on `host`:[image] port and starts the periodic tasks; resolves with the bound address. */
  listen(host: string): Promise<string> {
    return this.running.listen(host);
  }

  close(): Promise<void> {
    return this.running.close();
  }
}
