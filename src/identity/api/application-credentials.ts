// /v3/users/{user_id}/application_credentials: create (the secret is shown once), list, show,
// delete. Mirrors the application credential resources of keystone/api/users.py; bodies
// follow keystone/application_credential/schema.py.

import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { Enum, Nullable } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import type { RequestContext } from '../../common/auth/index.js';
import { ValidationTimeStampError } from '../application-credential/index.js';
import type { ApplicationCredential, ApplicationCredentialManager, RoleSelector } from '../application-credential/index.js';
import { ForbiddenAction, NotFound } from '../errors.js';
import { authorize, entityLinks, listBody, queryString } from './common.js';
import type { Authorizer } from './common.js';

export interface ApplicationCredentialRouteDeps {
  readonly policy: Authorizer;
  readonly applicationCredentials: ApplicationCredentialManager;
}

const idString = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' });
const name = Type.String({ minLength: 1, maxLength: 255, pattern: '[\\S]+' });
const accessRule = Type.Object({
  id: Type.Optional(idString),
  path: Type.Optional(Type.String({ minLength: 0, maxLength: 225, pattern: '^/' })),
  service: Type.Optional(idString),
  method: Type.Optional(Enum(['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'])),
});
/** A role by id or by name: exactly one of the two (keystone/application_credential/schema.py). */
const roleSelector = Type.Unsafe<RoleSelector>({
  type: 'object', properties: { id: idString, name }, minProperties: 1, maxProperties: 1, additionalProperties: false,
});
const createSchema = Type.Object({
  application_credential: Type.Object({
    id: Type.Optional(Type.String()),
    secret: Type.Optional(Nullable(Type.String())),
    name,
    description: Type.Optional(Nullable(Type.String())),
    expires_at: Type.Optional(Nullable(Type.String())),
    project_id: Type.Optional(Type.String()),
    access_rules: Type.Optional(Type.Array(accessRule)),
    unrestricted: Type.Optional(Nullable(Type.Boolean())),
    system: Type.Optional(Nullable(Type.String())),
    roles: Type.Optional(Type.Array(roleSelector)),
  }, { additionalProperties: false }),
}, { additionalProperties: false });

const userParams = Type.Object({ user_id: Type.String() });
const credentialParams = Type.Object({ user_id: Type.String(), application_credential_id: Type.String() });

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

/** Keystone reads a timestamp without a zone as UTC. */
function parseExpiresAt(value: string | null | undefined): Date | null {
  if (!value) return null;
  if (!ISO_8601.test(value)) throw new ValidationTimeStampError();
  const ms = Date.parse(/(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`);
  if (Number.isNaN(ms)) throw new ValidationTimeStampError();
  return new Date(ms);
}

/** Keystone's form: microseconds, no zone (`2018-02-27T18:30:59.000000`). */
function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000`;
}

function credentialView(request: FastifyRequest, credential: ApplicationCredential): Record<string, unknown> {
  return {
    id: credential.id,
    name: credential.name,
    description: credential.description,
    user_id: credential.userId,
    project_id: credential.projectId,
    system: null,
    expires_at: credential.expiresAt === null ? null : formatTime(credential.expiresAt),
    unrestricted: credential.unrestricted,
    roles: credential.roles.map((r) => ({ id: r.id, name: r.name, domain_id: r.domainId })),
    // Keystone leaves the key out rather than showing an empty list.
    ...(credential.accessRules.length ? { access_rules: credential.accessRules } : {}),
    links: entityLinks(request, `users/${credential.userId}/application_credentials/${credential.id}`),
  };
}

export function registerApplicationCredentialRoutes(app: ApiServer, deps: ApplicationCredentialRouteDeps): void {
  const manager = deps.applicationCredentials;

  /** A token obtained with a restricted application credential may not manage credentials. */
  async function refuseRestrictedToken(context: RequestContext): Promise<void> {
    if (!context.applicationCredentialId) return;
    const used = await manager.get(context.applicationCredentialId).catch((error: unknown) => {
      if (error instanceof NotFound) return undefined;
      throw error;
    });
    if (!used?.unrestricted) {
      throw new ForbiddenAction("You are not authorized to perform the requested action: Using method 'application_credential' is not allowed for managing additional application credentials.");
    }
  }

  /** The credential, if any: its owner, not the path, is what the policy checks. */
  async function findCredential(id: string): Promise<ApplicationCredential | undefined> {
    return manager.get(id).catch((error: unknown) => {
      if (error instanceof NotFound) return undefined;
      throw error;
    });
  }

  app.post(
    '/v3/users/:user_id/application_credentials', { schema: { params: userParams, body: createSchema } }, async (request, reply) => {
      const userId = request.params.user_id;
      const context = authorize(deps.policy, request, 'identity:create_application_credential', { user_id: userId });
      await refuseRestrictedToken(context);
      if (context.userId !== userId) {
        throw new ForbiddenAction('You are not authorized to perform the requested action: Cannot create an application credential for another user.');
      }
      if (!context.projectId) {
        throw new ForbiddenAction('You are not authorized to perform the requested action: Application credentials can only be created with a project-scoped token.');
      }
      const body = request.body.application_credential;
      const created = await manager.create({
        userId,
        projectId: context.projectId,
        name: body.name,
        description: body.description,
        secret: body.secret,
        expiresAt: parseExpiresAt(body.expires_at),
        roles: body.roles ?? [],
        tokenRoles: context.roles,
        unrestricted: body.unrestricted,
        accessRules: body.access_rules ?? [],
      });
      return reply.status(201).send({ application_credential: { ...credentialView(request, created), secret: created.secret } });
    });

  app.get('/v3/users/:user_id/application_credentials', { schema: { params: userParams } }, async (request) => {
    const userId = request.params.user_id;
    authorize(deps.policy, request, 'identity:list_application_credentials', { user_id: userId });
    const credentialName = queryString(request.query, 'name');
    const credentials = await manager.list(userId, credentialName === undefined ? {} : { name: credentialName });
    return listBody(request, 'application_credentials', credentials.map((c) => credentialView(request, c)));
  });

  app.get('/v3/users/:user_id/application_credentials/:application_credential_id', { schema: { params: credentialParams } }, async (request) => {
    const { user_id: userId, application_credential_id: id } = request.params;
    const found = await findCredential(id);
    authorize(deps.policy, request, 'identity:get_application_credential', { user_id: found?.userId ?? userId });
    return { application_credential: credentialView(request, found ?? await manager.get(id)) };
  });

  app.delete('/v3/users/:user_id/application_credentials/:application_credential_id', { schema: { params: credentialParams } }, async (request, reply) => {
    const { user_id: userId, application_credential_id: id } = request.params;
    const found = await findCredential(id);
    const context = authorize(deps.policy, request, 'identity:delete_application_credential', { user_id: found?.userId ?? userId });
    await refuseRestrictedToken(context);
    await manager.delete(id);
    return reply.status(204).send();
  });
}
