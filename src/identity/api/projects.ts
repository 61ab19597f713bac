// /v3/projects and /v3/projects/{id}/tags (keystone/api/projects.py): request schemas
// (keystone/resource/schema.py), the wire view of a project, and thin handlers.

import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Static } from 'typebox';
import type { RequestContext } from '../../common/auth/index.js';
import { NotFound } from '../../common/errors/index.js';
import { Enum, Nullable, requestBaseUrl } from '../../common/http/index.js';
import type { ApiServer } from '../../common/http/index.js';
import { ValidationError } from '../errors.js';
import type { Project, ProjectFilters, ProjectUpdate, ResourceManager, TagFilters } from '../resource/index.js';
import { MAX_PROJECT_TAGS, MAX_TAG_LENGTH } from '../resource/index.js';
import { authorize, entityLinks, listBody, queryBoolean, queryString, v3Url } from './common.js';
import type { Authorizer } from './common.js';

export interface ProjectRouteDeps {
  readonly policy: Authorizer;
  readonly resource: ResourceManager;
  /**
   * Ids of the projects the user has a role on. `?parents_as_list` and `?subtree_as_list`
   * show only those projects, as in Keystone; without this function they show none.
   */
  readonly listUserProjectIds?: (userId: string) => Promise<readonly string[]>;
}

// Schemas shared with the domain routes.

const BOOLEAN_STRINGS_TRUE = ['True', 'TRUE', 'true'] as const;
const BOOLEAN_STRINGS_FALSE = ['False', 'FALSE', 'false'] as const;
const BOOLEANS = [true, false, ...BOOLEAN_STRINGS_TRUE, ...BOOLEAN_STRINGS_FALSE] as const;

/** Keystone's parameter_types.boolean: JSON booleans and the spellings True/true/TRUE (False...). */
export const booleanSchema = Enum(BOOLEANS);
export const nameSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '[\\S]+' });
const idSchema = Nullable(Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-zA-Z0-9-]+$' }));
const tagSchema = Type.String({ minLength: 1, maxLength: MAX_TAG_LENGTH, pattern: '^[^,/]*$' });
export const tagListSchema = Type.Array(tagSchema, { maxItems: MAX_PROJECT_TAGS, uniqueItems: true });
// Resource options may be null, which unsets them.
export const optionsSchema = Type.Object({
  immutable: Type.Optional(Enum([...BOOLEANS, null])),
}, { additionalProperties: false });

const projectProperties = {
  name: Type.Optional(nameSchema),
  description: Type.Optional(Nullable(Type.String())),
  domain_id: Type.Optional(idSchema),
  parent_id: Type.Optional(idSchema),
  enabled: Type.Optional(booleanSchema),
  is_domain: Type.Optional(booleanSchema),
  tags: Type.Optional(tagListSchema),
  options: Type.Optional(optionsSchema),
};

// Projects keep any other attribute as an extra one; `id` only to refuse a change of it.
const projectBody = Type.Object({ ...projectProperties, id: Type.Optional(Type.Unknown()) }, { additionalProperties: true });
const createSchema = Type.Object({
  project: Type.Object({ ...projectProperties, name: nameSchema }, { additionalProperties: true }),
}, { additionalProperties: false });
const updateSchema = Type.Object({ project: projectBody }, { additionalProperties: false });
const tagsSchema = Type.Object({ tags: tagListSchema }, { additionalProperties: false });

type ProjectBody = Static<typeof projectBody>;

/** A body value validated by `booleanSchema`, as a boolean; undefined for null or absent. */
export function bodyBool(value: unknown): boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'boolean') return value;
  return (BOOLEAN_STRINGS_TRUE as readonly string[]).includes(String(value));
}

/** `options` from a body: immutable kept as true/false, or null to unset it. */
export function bodyOptions(value: unknown): { immutable?: boolean | null } | undefined {
  if (value === undefined || value === null) return undefined;
  const immutable = (value as Record<string, unknown>).immutable;
  if (immutable === undefined) return {};
  return { immutable: immutable === null ? null : bodyBool(immutable) ?? null };
}

/**
 * Attributes of a body beyond `known`, stored and returned as given. Keystone turns ':' and '-'
 * in their names into '_'; `id` and `links` are never stored.
 */
export function extraAttributes(body: Readonly<Record<string, unknown>>, known: readonly string[]): Record<string, unknown> {
  const ignored = new Set([...known, 'id', 'links']);
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!ignored.has(key)) extra[key.replace(/[:-]/g, '_')] = value;
  }
  return extra;
}

const KNOWN_PROJECT_ATTRIBUTES = Object.keys(projectProperties);


// Views.

/** The wire form of a project; extra attributes first so known ones win. */
export function projectView(request: FastifyRequest, project: Project): Record<string, unknown> {
  return {
    ...project.extra,
    id: project.id,
    name: project.name,
    domain_id: project.domainId,
    description: project.description,
    enabled: project.enabled,
    parent_id: project.parentId,
    is_domain: project.isDomain,
    tags: [...project.tags],
    options: { ...project.options },
    links: entityLinks(request, `projects/${project.id}`),
  };
}

/** What policy rules read as `target.project`. */
function projectTarget(project: Project): Record<string, unknown> {
  return { id: project.id, name: project.name, domain_id: project.domainId, parent_id: project.parentId, is_domain: project.isDomain, enabled: project.enabled };
}

/** `{target: {project}}`, or no target when the project does not exist (the 404 comes after the policy check). */
async function targetOf(resource: ResourceManager, projectId: string): Promise<Record<string, unknown>> {
  try {
    return { target: { project: projectTarget(await resource.getProject(projectId)) } };
  } catch (error) {
    if (error instanceof NotFound) return {};
    throw error;
  }
}

// Handlers.

function tagList(query: unknown, name: string): string[] | undefined {
  const value = queryString(query, name);
  return value === undefined ? undefined : value.split(',').filter((tag) => tag !== '');
}

function listFilters(query: unknown): ProjectFilters {
  const tags: TagFilters = {
    ...optional('all', tagList(query, 'tags')), ...optional('any', tagList(query, 'tags-any')),
    ...optional('notAll', tagList(query, 'not-tags')), ...optional('notAny', tagList(query, 'not-tags-any')),
  };
  return {
    ...optional('name', queryString(query, 'name')),
    ...optional('domainId', queryString(query, 'domain_id')),
    ...optional('parentId', queryString(query, 'parent_id')),
    ...optional('enabled', queryBoolean(query, 'enabled')),
    // Keystone lists regular projects unless is_domain is asked for.
    isDomain: queryBoolean(query, 'is_domain') ?? false,
    ...(Object.keys(tags).length ? { tags } : {}),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

async function createProject(deps: ProjectRouteDeps, context: RequestContext, body: ProjectBody): Promise<Project> {
  const parentId = body.parent_id ?? undefined;
  // Keystone's _normalize_domain_id: a domain-scoped token's domain, else the default domain.
  // tstack also lets a child default to its parent's domain.
  const domainId = body.domain_id ?? (parentId === undefined ? context.domainId : undefined);
  const isDomain = bodyBool(body.is_domain) ?? false;
  const options = bodyOptions(body.options);
  try {
    return await deps.resource.createProject({
      name: body.name ?? '',
      ...optional('domainId', isDomain ? body.domain_id ?? undefined : domainId),
      ...optional('parentId', parentId),
      ...optional('description', body.description ?? undefined),
      ...optional('enabled', bodyBool(body.enabled)),
      isDomain,
      ...optional('tags', body.tags),
      ...(options?.immutable ? { options: { immutable: true } } : {}),
      extra: extraAttributes(body, KNOWN_PROJECT_ATTRIBUTES),
    });
  } catch (error) {
    // As Keystone: naming a parent or domain that does not exist is a bad request.
    if (error instanceof NotFound) throw new ValidationError(error.message, { cause: error });
    throw error;
  }
}

function updateOf(body: ProjectBody): ProjectUpdate {
  const options = bodyOptions(body.options);
  const extra = extraAttributes(body, KNOWN_PROJECT_ATTRIBUTES);
  return {
    ...optional('name', body.name),
    ...optional('description', body.description === null ? '' : body.description),
    ...optional('enabled', bodyBool(body.enabled)),
    ...optional('tags', body.tags),
    ...optional('options', options),
    ...optional('domainId', body.domain_id),
    ...optional('parentId', body.parent_id),
    ...optional('isDomain', bodyBool(body.is_domain)),
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

async function expandHierarchy(deps: ProjectRouteDeps, request: FastifyRequest, context: RequestContext, project: Project): Promise<Record<string, unknown>> {
  const [parentsAsList, parentsAsIds] = [queryBoolean(request.query, 'parents_as_list') ?? false, queryBoolean(request.query, 'parents_as_ids') ?? false];
  const [subtreeAsList, subtreeAsIds] = [queryBoolean(request.query, 'subtree_as_list') ?? false, queryBoolean(request.query, 'subtree_as_ids') ?? false];
  if (parentsAsList && parentsAsIds) throw new ValidationError('Cannot use parents_as_list and parents_as_ids query params at the same time.');
  if (subtreeAsList && subtreeAsIds) throw new ValidationError('Cannot use subtree_as_list and subtree_as_ids query params at the same time.');
  const visible = parentsAsList || subtreeAsList ? new Set(await deps.listUserProjectIds?.(context.userId) ?? []) : new Set<string>();
  const asList = (projects: readonly Project[]) => projects.filter((p) => visible.has(p.id)).map((p) => ({ project: projectView(request, p) }));
  return {
    ...(parentsAsList ? { parents: asList(await deps.resource.listProjectParents(project.id)) } : {}),
    ...(parentsAsIds ? { parents: await deps.resource.getProjectParentsAsIds(project.id) } : {}),
    ...(subtreeAsList ? { subtree: asList(await deps.resource.listProjectsInSubtree(project.id)) } : {}),
    ...(subtreeAsIds ? { subtree: await deps.resource.getProjectSubtreeAsIds(project.id) } : {}),
  };
}

const idParams = Type.Object({ project_id: Type.String() });
const tagParams = Type.Object({ project_id: Type.String(), value: Type.String() });

function registerProjectCrud(app: ApiServer, deps: ProjectRouteDeps): void {
  app.get('/v3/projects', async (request) => {
    const context = authorize(deps.policy, request, 'identity:list_projects', listTarget(request));
    const projects = await deps.resource.listProjects(listFilters(request.query));
    const visible = context.domainId ? projects.filter((p) => p.domainId === context.domainId) : projects;
    return listBody(request, 'projects', visible.map((p) => projectView(request, p)));
  });

  app.post('/v3/projects', { schema: { body: createSchema } }, async (request, reply) => {
    const body = request.body.project;
    const context = authorize(deps.policy, request, 'identity:create_project', { target: { project: body } });
    const project = await createProject(deps, context, body);
    return reply.status(201).send({ project: projectView(request, project) });
  });

  app.get('/v3/projects/:project_id', { schema: { params: idParams } }, async (request) => {
    const id = request.params.project_id;
    const context = authorize(deps.policy, request, 'identity:get_project', await targetOf(deps.resource, id));
    const project = await deps.resource.getProject(id);
    return { project: { ...projectView(request, project), ...(await expandHierarchy(deps, request, context, project)) } };
  });

  app.patch('/v3/projects/:project_id', { schema: { params: idParams, body: updateSchema } }, async (request) => {
    const id = request.params.project_id;
    authorize(deps.policy, request, 'identity:update_project', await targetOf(deps.resource, id));
    const body = request.body.project;
    if (body.id !== undefined && body.id !== id) throw new ValidationError('Cannot change ID');
    return { project: projectView(request, await deps.resource.updateProject(id, updateOf(body))) };
  });

  app.delete('/v3/projects/:project_id', { schema: { params: idParams } }, async (request, reply) => {
    const id = request.params.project_id;
    authorize(deps.policy, request, 'identity:delete_project', await targetOf(deps.resource, id));
    await deps.resource.deleteProject(id);
    return reply.status(204).send();
  });
}

/** The list_projects target: the token's domain for domain-scoped tokens (Keystone's target_attr). */
function listTarget(request: FastifyRequest): Record<string, unknown> {
  const domainId = request.auth?.domainId;
  return domainId ? { target: { domain_id: domainId } } : {};
}

function registerProjectTags(app: ApiServer, deps: ProjectRouteDeps): void {
  const tagsBody = (request: FastifyRequest, tags: readonly string[]) => ({ tags: [...tags], links: { self: `${requestBaseUrl(request)}${request.url}` } });

  app.get('/v3/projects/:project_id/tags', { schema: { params: idParams } }, async (request) => {
    const id = request.params.project_id;
    authorize(deps.policy, request, 'identity:list_project_tags', await targetOf(deps.resource, id));
    return tagsBody(request, await deps.resource.listProjectTags(id));
  });

  app.put('/v3/projects/:project_id/tags', { schema: { params: idParams, body: tagsSchema } }, async (request) => {
    const id = request.params.project_id;
    authorize(deps.policy, request, 'identity:update_project_tags', await targetOf(deps.resource, id));
    const { tags } = request.body;
    return tagsBody(request, await deps.resource.replaceProjectTags(id, tags));
  });

  app.delete('/v3/projects/:project_id/tags', { schema: { params: idParams } }, async (request, reply) => {
    const id = request.params.project_id;
    authorize(deps.policy, request, 'identity:delete_project_tags', await targetOf(deps.resource, id));
    await deps.resource.replaceProjectTags(id, []);
    return reply.status(204).send();
  });

  app.get('/v3/projects/:project_id/tags/:value', { schema: { params: tagParams } }, async (request, reply) => {
    const { project_id: id, value } = request.params;
    authorize(deps.policy, request, 'identity:get_project_tag', await targetOf(deps.resource, id));
    await deps.resource.getProjectTag(id, value);
    return reply.status(204).send();
  });

  app.put('/v3/projects/:project_id/tags/:value', { schema: { params: tagParams } }, async (request, reply) => {
    const { project_id: id, value } = request.params;
    authorize(deps.policy, request, 'identity:create_project_tag', await targetOf(deps.resource, id));
    const tag = await deps.resource.addProjectTag(id, value);
    reply.header('location', v3Url(request, `projects/${id}/tags/${encodeURIComponent(tag)}`));
    return reply.status(201).send();
  });

  app.delete('/v3/projects/:project_id/tags/:value', { schema: { params: tagParams } }, async (request, reply) => {
    const { project_id: id, value } = request.params;
    authorize(deps.policy, request, 'identity:delete_project_tag', await targetOf(deps.resource, id));
    await deps.resource.deleteProjectTag(id, value);
    return reply.status(204).send();
  });
}

/** Registers /v3/projects, /v3/projects/{id} and the project tag routes. */
export function registerProjectRoutes(app: ApiServer, deps: ProjectRouteDeps): void {
  registerProjectCrud(app, deps);
  registerProjectTags(app, deps);
}
