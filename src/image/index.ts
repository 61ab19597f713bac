// Public surface of the image service (Glance): what the CLI and other services may use.
export { ImageService, allImageMigrations, allImagePolicies, imageConnection, imageService } from './service.js';
export type { ImageApi, ImageConfig, ImageDbTables, ImageServiceOptions } from './service.js';
export { imageOptions } from './config.js';
