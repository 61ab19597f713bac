// Adapts the ImageManager and its upload flows to the narrow interfaces the import routes and
// the tasks-API import declare, so that code never depends on the registry's internals.

import type { RequestContext } from '../../common/auth/index.js';
import type { ImportRecords } from './import.js';
import type { ImageCreate, ImageManager, ImageUploads } from '../images/index.js';
import { InvalidImageInput } from '../images/index.js';
import type { ContainerFormat, DiskFormat } from '../model.js';
import { CONTAINER_FORMATS, DISK_FORMATS } from '../model.js';
import type { TaskImageRecords } from '../tasks/index.js';

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

export function imageRecords(images: ImageManager, uploads: ImageUploads): ImportRecords & TaskImageRecords {
  return {
    usage: async (context: RequestContext) => {
      const usage = await images.quotaUsage(context.projectId ?? '');
      // No image_stage_total quota yet.
      return { ...usage, imageStageTotal: { limit: -1, usage: 0 } };
    },
    createImage: async (context, properties) => {
      const image = await images.createImage(context, taskImageCreate(properties));
      return { id: image.id, diskFormat: image.diskFormat };
    },
    upload: (context, imageId, data) => uploads.upload(context, imageId, data),
  };
}
