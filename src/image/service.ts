// Builds the image service (Glance) from its options: database, stores, managers, policy,
// Keystone token validation and routes. The one place where Glance's parts are chosen and wired.

import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { KeystoneSession, KeystoneTokenValidator, installAuthHook } from '../common/auth/index.js';
import type { TokenValidator } from '../common/auth/index.js';
import type { ConfigValues } from '../common/config/index.js';
import { BadRequest } from '../common/errors/index.js';
import { migrateDatabase, openDatabase } from '../common/db/index.js';
import type { Database, ServiceMigration } from '../common/db/index.js';
import { createHttpServer } from '../common/http/index.js';
import type { Logger } from '../common/log/index.js';
import { Enforcer, loadPolicyFile } from '../common/policy/index.js';
import type { RuleDefault } from '../common/policy/index.js';
import { enforcerAuthorizer, renderImageError } from './api/common.js';
import { registerImageDataRoutes } from './api/image-data.js';
import { registerImageRoutes } from './api/images.js';
import { registerImportRoutes } from './api/import.js';
import { registerMemberRoutes } from './api/members.js';
import { registerSchemaRoutes } from './api/schemas.js';
import { registerTagRoutes } from './api/tags.js';
import { registerTaskRoutes } from './api/tasks.js';
import { isPublicImagePath, registerVersionRoutes } from './api/versions.js';
import type { imageOptions } from './config.js';
import { ImageManager, ImageUploads, SqlImageBackend, imageMigrations, imagePolicies } from './images/index.js';
import { imageRecords } from './records-adapter.js';
import { FileStore, StagingArea } from './stores/index.js';
import { SqlTaskBackend, TaskManager, runImportTask, taskMigrations } from './tasks/index.js';

export type ImageConfig = ConfigValues<typeof imageOptions>;

export const allImageMigrations: readonly ServiceMigration[] = [...imageMigrations, ...taskMigrations];
export const allImagePolicies: readonly RuleDefault[] = imagePolicies;

/** Glance's task_time_to_live: finished tasks are kept for 48 hours. */
const TASK_TIME_TO_LIVE_MS = 48 * 3600 * 1000;

export interface ImageServiceOptions {
  readonly dataDir: string;
  readonly config: ImageConfig;
  readonly logger: Logger;
  /** Validates callers' tokens; by default Keystone at [image] auth_url with the service user. */
  readonly validator?: TokenValidator;
}

export function imageConnection(dataDir: string, config: ImageConfig): string {
  return config.connection ?? `sqlite:///${join(dataDir, 'image.db')}`;
}

/** `tstack manage db-sync image`: applies pending migrations, returns their names. */
export async function syncImageDatabase(dataDir: string, config: ImageConfig): Promise<string[]> {
  const database = openDatabase<unknown>(imageConnection(dataDir, config));
  try {
    return await migrateDatabase(database, 'image', allImageMigrations);
  } finally {
    await database.close();
  }
}

type ImageDbTables = Record<string, Record<string, unknown>>;

function tablesOf<T>(db: Kysely<ImageDbTables>): Kysely<T> {
  return db as unknown as Kysely<T>;
}

function keystoneValidator(config: ImageConfig): TokenValidator {
  if (!config.auth_url || !config.service_password) {
    throw new BadRequest('[image] auth_url and service_password must be set for the image service to validate tokens with Keystone');
  }
  return new KeystoneTokenValidator({ session: new KeystoneSession({
    authUrl: config.auth_url, username: config.service_username, password: config.service_password, projectName: config.service_project_name,
  }) });
}

export class ImageService {
  private constructor(
    readonly app: FastifyInstance,
    private readonly database: Database<ImageDbTables>,
    private readonly config: ImageConfig,
  ) {}

  static async create(options: ImageServiceOptions): Promise<ImageService> {
    const { config, logger, dataDir } = options;
    const database = openDatabase<ImageDbTables>(imageConnection(dataDir, config));
    try {
      await migrateDatabase(database, 'image', allImageMigrations);
      const enforcer = new Enforcer({
        defaults: allImagePolicies,
        ...(config.policy_file ? { overrides: await loadPolicyFile(config.policy_file) } : {}),
        enforceScope: false,
      });
      for (const problem of enforcer.problems) logger.error(`policy rule ${problem.rule} (${problem.source}): ${problem.message}`);
      const policy = enforcerAuthorizer(enforcer);

      const store = new FileStore({ directory: config.filesystem_store_datadir ?? join(dataDir, 'images') });
      const staging = new StagingArea({ directory: config.staging_dir ?? join(dataDir, 'image-staging') });
      const images = new ImageManager({
        backend: new SqlImageBackend(tablesOf(database.db)),
        quotas: { imageCountTotal: config.image_count_total, imageSizeTotal: config.image_size_total },
        deleteImageData: async (location) => {
          await store.delete(location);
        },
      });
      const tasks = new TaskManager({ backend: new SqlTaskBackend(tablesOf(database.db)), timeToLiveMs: TASK_TIME_TO_LIVE_MS });
      // The upload flows; `host` names this image host in upload leases (see ImageUploads.reconcile).
      const uploads = new ImageUploads({
        images, store, staging, tasks, logger, imageSizeCap: config.image_size_cap, host: `${hostname()}:${config.port}`,
      });
      const records = imageRecords(images, uploads);

      const app = createHttpServer({ logger, renderError: renderImageError, ignoreTrailingSlash: false });
      installAuthHook(app, {
        validator: options.validator ?? keystoneValidator(config),
        cacheTtlMs: config.token_cache_seconds * 1000,
        isPublic: isPublicImagePath,
      });
      registerVersionRoutes(app);
      registerSchemaRoutes(app);
      registerImageRoutes(app, { policy, images, limitDefault: config.limit_param_default, limitMax: config.api_limit_max });
      registerTagRoutes(app, { policy, images });
      registerMemberRoutes(app, { policy, images });
      registerImageDataRoutes(app, { policy, images, uploads, store, imageSizeCap: config.image_size_cap });
      registerImportRoutes(app, { policy, images, uploads, records, store, imageSizeCap: config.image_size_cap, tasks, log: logger });
      registerTaskRoutes(app, {
        policy, tasks, getImage: (context, id) => images.getImage(context, id),
        runTask: (context, task) => void runImportTask({ tasks, records, fetch, logger }, context, task),
      });
      await app.ready();
      // Uploads this host was running when it stopped are over: back to queued, partial data removed.
      // uploads.reconcileJob() is the periodic form (expired leases of any host), for the service's scheduler.
      await uploads.reconcile({ atStart: true });
      return new ImageService(app, database, config);
    } catch (error) {
      await database.close();
      throw error;
    }
  }

  async listen(host: string): Promise<string> {
    return this.app.listen({ host, port: this.config.port });
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.database.close();
  }
}
