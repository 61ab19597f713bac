// Keystone's error body, plus the WWW-Authenticate header keystone sends with every 401 so
// clients know where to authenticate.

import type { TstackError } from '../../common/errors/index.js';
import { keystoneErrorBody, requestBaseUrl } from '../../common/http/index.js';
import type { ErrorRequest, RenderedError } from '../../common/http/index.js';

export function renderIdentityError(error: TstackError, request: ErrorRequest): RenderedError {
  const rendered = keystoneErrorBody(error);
  if (error.status !== 401) return rendered;
  return { ...rendered, headers: { 'www-authenticate': `Keystone uri="${requestBaseUrl(request)}/v3"` } };
}
