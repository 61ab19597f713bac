// Public surface of the image service (Glance): what the CLI and other services may use.
export { ImageService, allImageMigrations, allImagePolicies, imageConnection, syncImageDatabase } from './service.js';
export type { ImageConfig, ImageServiceOptions } from './service.js';
export { imageOptions } from './config.js';
