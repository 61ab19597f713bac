// Adapts the ImageManager to the narrow interfaces the data, import and task code declare,
// so the stores and those routes never depend on the registry's internals.

import type { RequestContext } from '../common/auth/index.js';
import type { ImageDataImage, ImageDataRecords, UploadResult } from './api/image-data.js';
import type { ImportRecords } from './api/import.js';
import type { ImageCreate, ImageManager } from './images/index.js';
import { InvalidImageInput } from './images/index.js';
import type { ContainerFormat, DiskFormat, Image } from './model.js';
import { CONTAINER_FORMATS, DISK_FORMATS } from './model.js';
import type { TaskImageRecords } from './tasks/index.js';

function dataView(image: Image): ImageDataImage {
  return {
    id: image.id, status: image.status, owner: image.owner, visibility: image.visibility, diskFormat: image.diskFormat,
    size: image.size, checksum: image.checksum, storeLocation: image.storeLocation,
  };
}

function uploadResult(result: UploadResult) {
  return {
    location: result.location, size: result.size, checksum: result.checksum,
    osHashAlgo: result.osHashAlgo, osHashValue: result.osHashValue, virtualSize: result.virtualSize,
  };
}

/** The image properties of an import task (`image_properties`), as a create request. */
function taskImageCreate(properties: Readonly<Record<string, unknown>>): ImageCreate {
  const { name, disk_format: diskFormat, container_format: containerFormat, visibility, tags, ...extra } = properties;
  if (diskFormat !== undefined && !(DISK_FORMATS as readonly unknown[]).includes(diskFormat)) throw new InvalidImageInput(`Invalid disk format '${String(diskFormat)}' for image.`);
  if (containerFormat !== undefined && !(CONTAINER_FORMATS as readonly unknown[]).includes(containerFormat)) throw new InvalidImageInput(`Invalid container format '${String(containerFormat)}' for image.`);
  return {
    ...(typeof name === 'string' ? { name } : {}),
    ...(diskFormat !== undefined ? { diskFormat: diskFormat as DiskFormat } : {}),
    ...(containerFormat !== undefined ? { containerFormat: containerFormat as ContainerFormat } : {}),
    ...(visibility === 'private' || visibility === 'shared' || visibility === 'public' || visibility === 'community' ? { visibility } : {}),
    ...(Array.isArray(tags) ? { tags: tags.map(String) } : {}),
    properties: Object.fromEntries(Object.entries(extra).map(([key, value]) => [key, String(value)])),
  };
}

export function imageRecords(images: ImageManager): ImageDataRecords & ImportRecords & TaskImageRecords {
  return {
    getImage: async (context: RequestContext, id: string) => dataView(await images.getImage(context, id)),
    beginUpload: async (context, id) => { await images.beginUpload(context, id); },
    completeUpload: async (id, result) => { await images.completeUpload(id, uploadResult(result)); },
    failUpload: async (id) => { await images.failUpload(id); },
    remainingStorage: async (context, owner) => images.remainingStorage(owner ?? context.projectId ?? ''),
    beginStage: async (context, id) => { await images.markUploading(context, id); },
    failStage: async (id) => { await images.failUpload(id); },
    beginImport: async (context, id, _method, taskId) => { await images.beginImport(context, id, { taskId }); },
    failImport: async (id, message) => { await images.failImport(id, message); },
    // No image_stage_total quota yet: staging is bounded by image_size_cap only.
    remainingStaging: async () => null,
    usage: async (context) => {
      const usage = await images.quotaUsage(context.projectId ?? '');
      return { ...usage, imageStageTotal: { limit: -1, usage: 0 } };
    },
    createImage: async (context, properties) => {
      const image = await images.createImage(context, taskImageCreate(properties));
      return { id: image.id, diskFormat: image.diskFormat };
    },
  };
}
