// Errors of the Keystone client side (keystoneauth1/exceptions, keystonemiddleware's
// ServiceError): what a service answers when it cannot use Keystone on a caller's behalf.

import { ServiceUnavailable, TstackError } from '../../errors/index.js';
import type { TstackErrorOptions } from '../../errors/index.js';

/**
 * The service user could not get or use a token (wrong password, missing role, token refused
 * twice). A 503 like keystonemiddleware's: the caller is not at fault, the deployment is.
 */
export class ServiceAuthenticationFailed extends ServiceUnavailable {}

/** The catalog has no endpoint of that type, interface and region (keystoneauth EndpointNotFound). */
export class EndpointNotFound extends TstackError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
  constructor(fields: { readonly serviceType: string; readonly interface: string; readonly region?: string | undefined }, options?: TstackErrorOptions) {
    const where = fields.region === undefined ? '' : ` in region ${fields.region}`;
    super(`The service catalog has no ${fields.interface} endpoint for service type ${fields.serviceType}${where}.`, options);
  }
}
