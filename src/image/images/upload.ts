// Writing image data, as flows with revert (glance/api/v2/image_data.py upload and `_restore`,
// glance/async_/flows/api_image_import.py): PUT /file and the tasks-API import (`upload`),
// PUT /stage (`stage`) and the glance-direct import (`startImport`). Each is one linear flow:
// when a step fails, the data written so far is deleted and the image goes back to queued,
// even when deleting fails. While data streams, the upload holds a lease that a heartbeat
// renews; `reconcile` puts uploads whose lease ran out (their host died) back to queued and
// removes their partial data, so the owner can upload again.

import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Conflict } from '../../common/errors/index.js';
import type { PeriodicTask } from '../../common/periodic/index.js';
import { LinearFlow } from '../../common/tasks/index.js';
import type { FlowLogger } from '../../common/tasks/index.js';
import type { Image } from '../model.js';
import type { ImageStore, StoredImage } from '../stores/index.js';
import type { LeasedUpload, UploadLease } from './backend.js';
import { ImageLimitExceeded, InvalidImageInput } from './errors.js';
import type { ImageContext, ImageManager } from './manager.js';

/** Where the upload flows log: revert failures, lost leases, what reconcile restored. */
export interface UploadLogger extends FlowLogger {
  warn(details: Readonly<Record<string, unknown>>, message: string): void;
  info(details: Readonly<Record<string, unknown>>, message: string): void;
}

/** The staging area of interoperable import, as the flows use it (StagingArea fits). */
export interface StagingStore {
  write(imageId: string, data: Readable, options?: { readonly maxBytes?: number; readonly signal?: AbortSignal }): Promise<{ size: number }>;
  read(imageId: string): Promise<Readable>;
  /** Bytes staged, or null when nothing is. */
  size(imageId: string): Promise<number | null>;
  remove(imageId: string): Promise<void>;
  /** Removes staged data and partial writes of the image. */
  discard(imageId: string): Promise<void>;
  /** Removes partial writes untouched since `olderThan`. */
  sweep(olderThan: Date): Promise<number>;
}

/** The task records an import keeps up to date (TaskManager fits). */
export interface ImportTaskRecords {
  start(taskId: string): Promise<unknown>;
  succeed(taskId: string, result: Readonly<Record<string, unknown>>): Promise<unknown>;
  fail(taskId: string, message: string): Promise<unknown>;
}

export interface ImageUploadsDeps {
  readonly images: ImageManager;
  readonly store: ImageStore;
  readonly staging: StagingStore;
  readonly logger: UploadLogger;
  /** `image_size_cap`: the largest image accepted, in bytes. */
  readonly imageSizeCap: number;
  /** This image host's name, stable across its restarts and unique among the hosts sharing the database. */
  readonly host: string;
  /** How long a lease holds without renewal; the heartbeat renews it three times as often. Default 60 s. */
  readonly leaseMs?: number;
  /** Partial files untouched for this long are swept by reconcile. Default 1 hour. */
  readonly staleWriteMs?: number;
  /** Import tasks to mark processing, success or failure. */
  readonly tasks?: ImportTaskRecords;
  readonly clock?: () => Date;
  readonly newToken?: () => string;
}

export interface UploadOptions {
  /** The body's Content-Length, when sent: refused at once when over the limit. */
  readonly declaredSize?: number;
  /** `x-openstack-image-size`: the upload fails unless exactly this many bytes arrive. */
  readonly expectedSize?: number;
  /** Aborting stops the write; the flow reverts. */
  readonly signal?: AbortSignal;
}

export interface StartImportOptions {
  /** The import method, for messages ("glance-direct"). */
  readonly method: string;
  /** Creates the import's task record once the import is known to be possible; returns its id. */
  readonly newTask?: () => Promise<string>;
}

/** A started import: the image is importing; `run` moves the staged data into the store. */
export interface StartedImport {
  readonly taskId: string | null;
  /** Resolves with the active image; on failure the image is queued again (os_glance_failed_import set) and it rejects. */
  run(): Promise<Image>;
}

/** The lease of an upload was taken over (reconcile judged it dead); the upload stops. */
export class UploadLeaseLost extends Conflict {
  constructor(imageId: string) {
    super(`The upload of image ${imageId} was interrupted: its lease was taken over.`);
  }
}

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_STALE_WRITE_MS = 3600_000;

function tooLarge(declared: number, maxBytes: number): ImageLimitExceeded {
  return new ImageLimitExceeded(`The incoming image is too large: ${declared} bytes exceed the limit of ${maxBytes} bytes.`);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class ImageUploads {
  private readonly leaseMs: number;
  private readonly clock: () => Date;
  private readonly newToken: () => string;

  constructor(private readonly deps: ImageUploadsDeps) {
    this.leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
    this.clock = deps.clock ?? (() => new Date());
    this.newToken = deps.newToken ?? randomUUID;
  }

  /**
   * Streams `data` into the store as the image's data: queued → saving → active with size,
   * checksum and hashes. Limited to the smaller of image_size_cap and the owner's remaining
   * image_size_total. On any failure the stored data is deleted and the image is queued again.
   * @throws ImageLimitExceeded / ImageSizeLimitExceeded (413), InvalidImageStatusTransition (409),
   * InvalidImageInput (400, formats unset), a 400 on a size mismatch, or the stream's error.
   */
  async upload(context: ImageContext, imageId: string, data: Readable, options: UploadOptions = {}): Promise<Image> {
    const { images, store } = this.deps;
    const flow = LinearFlow.start<{ imageId: string }>('image-upload')
      .then({
        name: 'limits',
        run: async () => {
          const image = await images.getImage(context, imageId);
          const maxBytes = Math.min(this.deps.imageSizeCap, await images.remainingStorage(image.owner));
          if (options.declaredSize !== undefined && options.declaredSize > maxBytes) throw tooLarge(options.declaredSize, maxBytes);
          return { maxBytes, diskFormat: image.diskFormat };
        },
      })
      .then({
        name: 'lease',
        run: async () => {
          const lease = this.newLease();
          await images.beginUpload(context, imageId, { lease });
          return lease;
        },
        revert: async (ctx) => {
          if (ctx.lease) await images.failUpload(imageId, { token: ctx.lease.token });
        },
      })
      .then({
        name: 'stored',
        run: (ctx, signal) => this.whileLeased(imageId, ctx.lease, signal,
          (leased) => store.add(imageId, data, { maxBytes: ctx.limits.maxBytes, diskFormat: ctx.limits.diskFormat, signal: leased })),
        // A failed add removes its own partial data; discard also takes an orphan an earlier crash left.
        revert: async (ctx) => (ctx.stored ? store.delete(ctx.stored.location) : store.discard(imageId)),
      })
      .then({
        name: 'size',
        run: (ctx) => {
          if (options.expectedSize !== undefined && options.expectedSize !== ctx.stored.size) {
            throw new InvalidImageInput(`Image size mismatch: x-openstack-image-size is ${options.expectedSize} but ${ctx.stored.size} bytes were received.`);
          }
          return ctx.stored.size;
        },
      })
      .then({ name: 'active', run: (ctx) => images.completeUpload(imageId, ctx.stored, { token: ctx.lease.token }) });
    return (await flow.run({ imageId }, this.runOptions(options.signal))).active;
  }

  /**
   * Streams `data` into the staging area (PUT /stage): queued → uploading, where the image
   * waits for an import. On failure nothing stays staged and the image is queued again.
   */
  async stage(context: ImageContext, imageId: string, data: Readable, options: Omit<UploadOptions, 'expectedSize'> = {}): Promise<void> {
    const { images, staging } = this.deps;
    const flow = LinearFlow.start<{ imageId: string }>('image-stage')
      .then({
        name: 'maxBytes',
        run: async () => {
          await images.getImage(context, imageId);
          // No image_stage_total quota yet: staging is bounded by image_size_cap only.
          const maxBytes = this.deps.imageSizeCap;
          if (options.declaredSize !== undefined && options.declaredSize > maxBytes) throw tooLarge(options.declaredSize, maxBytes);
          return maxBytes;
        },
      })
      .then({
        name: 'lease',
        run: async () => {
          const lease = this.newLease();
          await images.markUploading(context, imageId, { lease });
          return lease;
        },
        revert: async (ctx) => {
          if (ctx.lease) await images.failUpload(imageId, { token: ctx.lease.token });
        },
      })
      .then({
        name: 'staged',
        run: (ctx, signal) => this.whileLeased(imageId, ctx.lease, signal,
          (leased) => staging.write(imageId, data, { maxBytes: ctx.maxBytes, signal: leased })),
        revert: () => staging.discard(imageId),
      })
      .then({
        name: 'released',
        run: async (ctx) => {
          if (!(await images.finishStage(imageId, ctx.lease.token))) throw new UploadLeaseLost(imageId);
        },
      });
    await flow.run({ imageId }, this.runOptions(options.signal));
  }

  /**
   * Starts a glance-direct import of staged data: uploading → importing, recording the task
   * (os_glance_import_task). The caller runs the returned import, usually after answering 202.
   * @throws Conflict (409) when nothing is staged or the image is not uploading.
   */
  async startImport(context: ImageContext, imageId: string, options: StartImportOptions): Promise<StartedImport> {
    const { images, staging } = this.deps;
    const image = await images.getImage(context, imageId);
    if (image.status !== 'uploading' || (await staging.size(image.id)) === null) {
      throw new Conflict(`Image ${image.id} needs to be staged before the ${options.method} import can start.`);
    }
    const taskId = options.newTask ? await options.newTask() : null;
    const lease = this.newLease();
    try {
      await images.beginImport(context, imageId, { taskId, lease });
    } catch (error) {
      // Another request moved the image on meanwhile: the task never ran.
      if (taskId && this.deps.tasks) await this.deps.tasks.fail(taskId, messageOf(error));
      throw error;
    }
    return { taskId, run: () => this.importStaged(image, lease, taskId) };
  }

  /**
   * Puts interrupted uploads back to queued and removes their partial data: those whose lease
   * expired (their host stopped renewing it), and with `atStart` every upload this host held
   * before it restarted. Also sweeps partial files nobody wrote to for a long time. Never
   * throws for one image; returns the ids it restored.
   */
  async reconcile(options: { readonly atStart?: boolean } = {}): Promise<string[]> {
    const now = this.clock();
    const uploads = await this.deps.images.leasedUploads({ expiredBefore: now, ...(options.atStart ? { host: this.deps.host } : {}) });
    const restored: string[] = [];
    for (const upload of uploads) {
      try {
        if (await this.restore(upload)) restored.push(upload.id);
      } catch (error) {
        this.deps.logger.error({ err: error, imageId: upload.id, status: upload.status }, 'could not restore an interrupted upload');
      }
    }
    const staleBefore = new Date(now.getTime() - (this.deps.staleWriteMs ?? DEFAULT_STALE_WRITE_MS));
    for (const area of [this.deps.store, this.deps.staging]) {
      await area.sweep(staleBefore).catch((error: unknown) => this.deps.logger.error({ err: error }, 'could not sweep partial image data'));
    }
    if (restored.length) this.deps.logger.info({ imageIds: restored }, `restored ${restored.length} interrupted image upload(s) to queued`);
    return restored;
  }

  /** `reconcile` as a periodic task of the service, once per lease period: expired leases of any host. */
  reconcileTask(): PeriodicTask {
    return { name: 'reconcile-interrupted-uploads', intervalSeconds: Math.max(1, Math.round(this.leaseMs / 1000)), run: () => this.reconcile() };
  }

  /** Moves staged data into the store and activates the image, under the lease `startImport` took. */
  private async importStaged(image: Image, lease: UploadLease, taskId: string | null): Promise<Image> {
    const { images, store, staging, tasks } = this.deps;
    const imageId = image.id;
    const flow = LinearFlow.start<{ imageId: string }>('image-import')
      .then({ name: 'staged', run: () => true, revert: () => staging.discard(imageId) })
      .then({
        name: 'importing',
        run: () => true,
        // Glance's failed import: back to queued, naming the store in os_glance_failed_import.
        revert: async () => { await images.failImport(imageId, store.id, { token: lease.token }); },
      })
      .then({
        name: 'task',
        run: async () => { if (taskId && tasks) await tasks.start(taskId); },
        revert: async (_ctx, error) => { if (taskId && tasks) await tasks.fail(taskId, messageOf(error)); },
      })
      .then({
        name: 'limits',
        run: async () => ({
          maxBytes: Math.min(this.deps.imageSizeCap, await images.remainingStorage(image.owner)), diskFormat: image.diskFormat,
        }),
      })
      .then({
        name: 'stored',
        run: (ctx, signal) => this.whileLeased(imageId, lease, signal, async (leased): Promise<StoredImage> =>
          store.add(imageId, await staging.read(imageId), { maxBytes: ctx.limits.maxBytes, diskFormat: ctx.limits.diskFormat, signal: leased })),
        revert: async (ctx) => (ctx.stored ? store.delete(ctx.stored.location) : store.discard(imageId)),
      })
      .then({ name: 'active', run: (ctx) => images.completeUpload(imageId, ctx.stored, { token: lease.token }) });
    const { active } = await flow.run({ imageId }, { logger: this.deps.logger });
    // The import is done; leftovers here are only logged (reconcile sweeps stale files).
    await staging.remove(imageId).catch((error: unknown) => this.deps.logger.error({ err: error, imageId }, 'could not remove staged data'));
    if (taskId && tasks) await tasks.succeed(taskId, { image_id: imageId });
    return active;
  }

  /** Restores one interrupted upload; false when it finished or moved on meanwhile. */
  private async restore(upload: LeasedUpload): Promise<boolean> {
    const { images, store, staging, tasks } = this.deps;
    const token = upload.lease.token;
    // The token makes each restore apply only to the upload that was seen: a queued result
    // means it applied (or another host restored it first, and cleaning twice is harmless).
    const after = upload.status === 'importing'
      ? await images.failImport(upload.id, store.id, { token })
      : await images.failUpload(upload.id, { token });
    if (after?.status !== 'queued') return false;
    if (upload.status === 'saving' || upload.status === 'importing') await store.discard(upload.id);
    if (upload.status === 'uploading' || upload.status === 'importing') await staging.discard(upload.id);
    const taskId = upload.properties.os_glance_import_task;
    if (upload.status === 'importing' && taskId && tasks) {
      await tasks.fail(taskId, `The import was interrupted on host ${upload.lease.host}.`).catch((error: unknown) =>
        this.deps.logger.error({ err: error, taskId }, 'could not fail the task of an interrupted import'));
    }
    this.deps.logger.warn({ imageId: upload.id, status: upload.status, host: upload.lease.host }, 'interrupted upload put back to queued');
    return true;
  }

  private newLease(): UploadLease {
    return { host: this.deps.host, token: this.newToken(), expiresAt: new Date(this.clock().getTime() + this.leaseMs) };
  }

  /**
   * Runs `write` while a heartbeat renews the lease. The signal given to `write` aborts when
   * the flow's does, or when the lease was taken over (then the write fails with UploadLeaseLost).
   */
  private async whileLeased<T>(imageId: string, lease: UploadLease, signal: AbortSignal, write: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const lost = new AbortController();
    const beat = setInterval(() => {
      this.deps.images.renewUploadLease(imageId, lease.token, new Date(this.clock().getTime() + this.leaseMs)).then((held) => {
        if (!held) lost.abort(new UploadLeaseLost(imageId));
      }, (error: unknown) => {
        // A database hiccup: keep writing; the lease still holds until it expires.
        this.deps.logger.warn({ err: error, imageId }, 'could not renew an upload lease');
      });
    }, Math.max(1, Math.floor(this.leaseMs / 3)));
    beat.unref();
    try {
      return await write(AbortSignal.any([signal, lost.signal]));
    } catch (error) {
      if (lost.signal.aborted) throw lost.signal.reason;
      throw error;
    } finally {
      clearInterval(beat);
    }
  }

  private runOptions(signal: AbortSignal | undefined): { logger: UploadLogger; signal?: AbortSignal } {
    return { logger: this.deps.logger, ...(signal ? { signal } : {}) };
  }
}
