// Request ids in OpenStack's format (`req-<uuid4>`), returned on every response.
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_HEADER = 'x-openstack-request-id';

export function newRequestId(): string {
  return `req-${randomUUID()}`;
}
