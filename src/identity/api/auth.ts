// /v3/auth/*: issue, validate, check and revoke tokens, and the token-scoped listings
// (catalog, projects, domains, system) — keystone/api/auth.py.

import type { FastifyRequest } from 'fastify';
import type { ApiServer } from '../../common/http/index.js';
import { ACCESS_RULES_HEADER, requireAuth } from '../../common/auth/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import type { AuthLookups, AuthManager } from '../auth/index.js';
import { authRequestSchema } from '../auth/index.js';
import { EntityNotFound, Unauthorized } from '../errors.js';
import type { TokenData, TokenProvider } from '../token/index.js';
import { renderToken } from '../token/index.js';
import { authorize, entityLinks, listBody, queryBoolean } from './common.js';
import type { Authorizer } from './common.js';

export interface AuthRouteDeps {
  readonly policy: Authorizer;
  readonly auth: AuthManager;
  readonly tokens: TokenProvider;
  readonly lookups: AuthLookups;
}

function subjectToken(request: FastifyRequest): string {
  const header = request.headers['x-subject-token'];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) throw new EntityNotFound('token', '');
  return value;
}

async function validateSubject(deps: AuthRouteDeps, request: FastifyRequest, allowExpired: boolean): Promise<TokenData> {
  const token = subjectToken(request);
  try {
    const data = await deps.tokens.validate(token, { allowExpired });
    // As Keystone: a token restricted by access rules is valid only to a validator that says it
    // enforces them; an older one would let the token do anything.
    if (data.applicationCredential?.accessRules && request.headers[ACCESS_RULES_HEADER] === undefined) throw new EntityNotFound('token', token);
    return data;
  } catch (error) {
    if (error instanceof Unauthorized) throw new EntityNotFound('token', token);
    throw error;
  }
}

async function catalogFor(deps: AuthRouteDeps, data: TokenData, request: FastifyRequest) {
  if (queryBoolean(request.query, 'nocatalog')) return undefined;
  return deps.lookups.catalog(data.user.id, data.scope.kind === 'project' ? data.scope.project.id : undefined);
}

/** Keystone's rules read the inspected token as `target.token.*` (rule token_subject). */
function tokenTarget(data: TokenData): Record<string, unknown> {
  return { target: { token: { user_id: data.user.id, user: { id: data.user.id, domain: { id: data.user.domainId } } } } };
}

export function registerAuthRoutes(app: ApiServer, deps: AuthRouteDeps): void {
  app.post('/v3/auth/tokens', { schema: { body: authRequestSchema } }, async (request, reply) => {
    const { auth } = request.body;
    const { token, data } = await deps.auth.authenticate(auth);
    reply.header('x-subject-token', token);
    return reply.status(201).send(renderToken(data, await catalogFor(deps, data, request)));
  });

  app.get('/v3/auth/tokens', async (request, reply) => {
    const allowExpired = queryBoolean(request.query, 'allow_expired') ?? false;
    const data = await validateSubject(deps, request, allowExpired);
    authorize(deps.policy, request, request.method === 'HEAD' ? 'identity:check_token' : 'identity:validate_token', tokenTarget(data));
    reply.header('x-subject-token', subjectToken(request));
    if (request.method === 'HEAD') return reply.status(200).send();
    return renderToken(data, await catalogFor(deps, data, request));
  });

  app.delete('/v3/auth/tokens', async (request, reply) => {
    const data = await validateSubject(deps, request, false);
    authorize(deps.policy, request, 'identity:revoke_token', tokenTarget(data));
    await deps.tokens.revoke(data);
    return reply.status(204).send();
  });

  app.get('/v3/auth/catalog', async (request) => {
    const context = requireAuth(request);
    const catalog = await deps.lookups.catalog(context.userId, context.projectId);
    return { catalog, links: { self: entityLinks(request, 'auth/catalog').self, previous: null, next: null } };
  });

  app.get('/v3/auth/projects', async (request) => {
    const context = requireAuth(request);
    const projects = await projectsOf(deps, context);
    return listBody(request, 'projects', projects.map((p) => ({
      id: p.id, name: p.name, domain_id: p.domainId, enabled: p.enabled, links: entityLinks(request, `projects/${p.id}`),
    })));
  });

  app.get('/v3/auth/domains', async (request) => {
    const context = requireAuth(request);
    const ids = await deps.lookups.domainIdsForUser(context.userId);
    const domains = (await Promise.all(ids.map((id) => deps.lookups.getDomain(id)))).filter((d) => d.enabled);
    return listBody(request, 'domains', domains.map((d) => ({ id: d.id, name: d.name, enabled: d.enabled, links: entityLinks(request, `domains/${d.id}`) })));
  });

  app.get('/v3/auth/system', async (request) => {
    const context = requireAuth(request);
    const roles = await deps.lookups.rolesOnSystem(context.userId);
    return { system: roles.length ? [{ all: true }] : [], links: { self: entityLinks(request, 'auth/system').self, previous: null, next: null } };
  });
}

async function projectsOf(deps: AuthRouteDeps, context: RequestContext) {
  const ids = await deps.lookups.projectIdsForUser(context.userId);
  const projects = await Promise.all(ids.map((id) => deps.lookups.getProject(id)));
  return projects.filter((p) => p.enabled);
}
