// Tokens (keystone/token): the provider that issues and validates them, their data, and how
// they are rendered for clients and for the auth hook. Fernet formatting lives in fernet/.

export { TokenInvalid, TokenProvider } from './provider.js';
export type { TokenCodec, TokenProviderDeps, TokenRequest } from './provider.js';
export type { TokenData, TokenScope } from './token-data.js';
export { keystoneTime, renderToken } from './token-view.js';
export { toValidatedToken } from './token-context.js';
