// Version discovery (glance/api/versions.py): `GET /` and `GET /versions` list every v2 minor
// version with a link to /v2/; `/` answers 300 Multiple Choices as Glance does, `/versions` 200.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { requestBaseUrl } from '../../common/http/index.js';

/** The newest Image API minor version served (Glance 2023.2 and later). */
export const CURRENT_VERSION = 'v2.16';
const MINOR_VERSIONS = 16;

export function versionList(request: FastifyRequest): { id: string; status: string; links: { rel: string; href: string }[] }[] {
  const href = `${requestBaseUrl(request)}/v2/`;
  const versions = [];
  for (let minor = MINOR_VERSIONS; minor >= 0; minor -= 1) {
    const id = `v2.${minor}`;
    versions.push({ id, status: id === CURRENT_VERSION ? 'CURRENT' : 'SUPPORTED', links: [{ rel: 'self', href }] });
  }
  return versions;
}

/** Paths that need no token: the auth hook of the service lets these through. */
export function isPublicImagePath(request: FastifyRequest): boolean {
  const path = request.url.split('?')[0]!.replace(/\/+$/, '');
  return path === '' || path === '/versions' || path === '/v2';
}

export function registerVersionRoutes(app: FastifyInstance): void {
  app.get('/', async (request, reply) => reply.status(300).send({ versions: versionList(request) }));
  app.get('/versions', async (request) => ({ versions: versionList(request) }));
  // Glance's version negotiation answers a bare /v2 with the same list.
  for (const path of ['/v2', '/v2/']) {
    app.get(path, async (request, reply) => reply.status(300).send({ versions: versionList(request) }));
  }
}
