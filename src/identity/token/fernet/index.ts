// Public surface of the Fernet token provider core: key repository, rotation, token formatter.
export { TokenFormatter, MAX_TOKEN_SIZE } from './token-formatter.js';
export type { TokenFormatterDeps } from './token-formatter.js';
export { isExpired } from './token-payload.js';
export type { TokenPayload, NewTokenPayload } from './token-payload.js';
export { FernetKeyRepository } from './key-repository.js';
export type { FernetKeySource, FernetKeyRepositoryOptions } from './key-repository.js';
export { fernetSetup, fernetRotate } from './key-rotation.js';
export type { KeyRotationOptions, RotationResult } from './key-rotation.js';
export { generateFernetKey, isFernetKey } from './fernet.js';
export type { RandomBytes } from './fernet.js';
export { MultiFernet } from './multi-fernet.js';
export type { MultiFernetDeps, FernetMessage } from './multi-fernet.js';
export { DEFAULT_AUTH_METHODS } from './auth-methods.js';
export { PayloadVersion } from './payloads.js';
export { randomAuditId } from './payload-fields.js';
export { InvalidToken, KeysNotFound } from './errors.js';
export type { InvalidTokenReason } from './errors.js';
