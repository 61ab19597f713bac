// The image API (glance/api/v2): every route registration, the error renderer and the policy
// adapter that service.ts wires.

export { imageAuthorizer, renderImageError } from './common.js';
export { registerImageDataRoutes } from './image-data.js';
export { registerImageRoutes } from './images.js';
export { registerImportRoutes } from './import.js';
export { registerMemberRoutes } from './members.js';
export { registerSchemaRoutes } from './schemas.js';
export { registerTagRoutes } from './tags.js';
export { registerTaskRoutes } from './tasks.js';
export { isPublicImagePath, registerVersionRoutes } from './versions.js';
export { imageRecords } from './records-adapter.js';
