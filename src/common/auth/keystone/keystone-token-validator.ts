// Validates users' tokens by asking Keystone, as keystonemiddleware's auth_token does
// (keystonemiddleware/auth_token/_identity.py): GET /v3/auth/tokens with the service token.

import { ServiceUnavailable, Unauthorized } from '../../errors/index.js';
import type { TokenValidator } from '../auth-hook.js';
import type { ValidatedToken } from '../context.js';
import { ServiceAuthenticationFailed } from './errors.js';
import { parseJson } from './http.js';
import { readKeystoneToken } from './keystone-token.js';
import type { KeystoneSession } from './keystone-session.js';

export interface KeystoneTokenValidatorOptions {
  /** The service user's session; its token authorizes each validation. */
  readonly session: KeystoneSession;
}

/** keystonemiddleware's header announcing access-rule enforcement, and the version it sends. */
export const ACCESS_RULES_HEADER = 'openstack-identity-access-rules';
export const ACCESS_RULES_VERSION = '1.0';

/** Printable ASCII only: anything else cannot be a Fernet token nor travel in a header. */
const TOKEN_SHAPE = /^[\x21-\x7e]{1,8192}$/;

export class KeystoneTokenValidator implements TokenValidator {
  constructor(private readonly options: KeystoneTokenValidatorOptions) {}

  /**
   * The identity behind a user's token. Throws Unauthorized (401) when Keystone does not know
   * the token (invalid, expired, revoked); ServiceAuthenticationFailed (503) when Keystone keeps
   * refusing the service token or the service user may not validate; ServiceUnavailable (503)
   * when Keystone is unreachable, too slow or answers 5xx.
   */
  async validate(token: string, signal?: AbortSignal): Promise<ValidatedToken> {
    if (!TOKEN_SHAPE.test(token)) throw new Unauthorized('The token is malformed.');
    const { session } = this.options;
    const url = `${session.authUrl}/auth/tokens?nocatalog`;
    let reply;
    try {
      // The header says this validator enforces access rules; Keystone refuses to validate a
      // token restricted by access rules for a validator that does not say so.
      const headers = { 'x-subject-token': token, accept: 'application/json', [ACCESS_RULES_HEADER]: ACCESS_RULES_VERSION };
      reply = await session.request(url, { method: 'GET', headers, ...(signal ? { signal } : {}) });
    } catch (error) {
      if (error instanceof ServiceUnavailable && !(error instanceof ServiceAuthenticationFailed)) {
        throw new ServiceUnavailable(`The identity service could not be reached to validate the token: ${error.message}`, { cause: error });
      }
      throw error;
    }
    switch (reply.status) {
      case 200:
        return readKeystoneToken(parseJson(reply.text, `GET ${url}`)).context;
      case 404:
        throw new Unauthorized('The token is invalid, expired or revoked.');
      case 401:
        throw new ServiceAuthenticationFailed('The identity service refused the service token twice while validating a token.');
      case 403:
        throw new ServiceAuthenticationFailed('The service user may not validate tokens (it needs the service or admin role).');
      default:
        throw new ServiceUnavailable(`The identity service answered ${reply.status} while validating a token.`);
    }
  }
}
