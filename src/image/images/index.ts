// Public surface of the image registry: ImageManager, its backend and SQL tables, migrations,
// policy defaults and errors.
export { ImageManager } from './manager.js';
export type { ImageContext, ImageCreate, ImageManagerDeps, ImageQuotas, ImageUpdate, UploadResult } from './manager.js';
export type { ImageBackend, ImageChanges, ImageQuotaCheck } from './backend.js';
export type { LeasedUpload, UploadLease } from './backend.js';
export { ImageUploads, UploadLeaseLost } from './upload.js';
export type { ImageUploadsDeps, ImportTaskRecords, StagingStore, StartImportOptions, StartedImport, UploadLogger, UploadOptions } from './upload.js';
export { SqlImageBackend } from './backends/sql.js';
export type { ImageTables } from './backends/sql.js';
export { imageMigrations } from './migrations.js';
export { imagePolicies } from './policies.js';
export { SORT_KEYS } from './list-images.js';
export type { ImageFilters, ImageListCaller, ImageListQuery, ImagePage, SortDir, SortKey, TimeFilter, TimeOperator } from './list-images.js';
export {
  ImageConflict, ImageForbidden, ImageLimitExceeded, ImageNotFound, InvalidImageInput, InvalidImageStatusTransition,
  MemberNotFound, ReadOnlyAttribute, ReservedAttribute, TagNotFound,
} from './errors.js';
