// Version discovery: `GET /` (300 Multiple Choices listing v3) and `GET /v3`, as Keystone
// answers them; keystoneauth and Tempest read these before anything else.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestBaseUrl } from '../../common/http/index.js';
import type { ApiVersion } from '../../common/http/index.js';

/** Keystone Zed's v3 minor version and its release date. */
const V3_ID = 'v3.14';
const V3_UPDATED = '2020-04-07T00:00:00Z';

function v3Version(request: FastifyRequest): ApiVersion {
  return {
    id: V3_ID,
    status: 'stable',
    updated: V3_UPDATED,
    links: [{ rel: 'self', href: `${requestBaseUrl(request)}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

export function registerVersionRoutes(app: FastifyInstance): void {
  app.get('/', async (request, reply) => reply.status(300).send({ versions: { values: [v3Version(request)] } }));
  app.get('/v3', async (request) => ({ version: v3Version(request) }));
}
