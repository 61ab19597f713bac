// The resource manager (keystone/resource/core.py): domains and the project hierarchy, with
// Keystone's rules for creating, moving, disabling and deleting them. Knows nothing of HTTP.

import { randomUUID } from 'node:crypto';
import type { IdentityEvents } from '../events.js';
import type { ProjectChanges, ResourceBackend } from './backend.js';
import { EntityNotFound, ForbiddenAction, ImmutableProjectTags, ImmutableResource, ProjectConflict, ValidationError } from './errors.js';
import { leavesFirst, listParents, listSubtree, parentsAsIds, subtreeAsIds } from './hierarchy.js';
import type {
  Domain, DomainCreate, DomainFilters, DomainUpdate, IdTree, Project, ProjectCreate, ProjectFilters,
  ProjectUpdate, ResourceOptions,
} from './model.js';
import { normalizeTags } from './tags.js';

export interface ResourceManagerDeps {
  readonly backend: ResourceBackend;
  readonly events: IdentityEvents;
  /** Keystone's [identity] default_domain_id: where projects go when no domain is given. Default 'default'. */
  readonly defaultDomainId?: string;
  /** Keystone's max_project_tree_depth: levels of projects below a domain. Default 5. */
  readonly maxProjectTreeDepth?: number;
  /** Id generator; Keystone's uuid4 hex by default. */
  readonly newId?: () => string;
}

function toDomain(project: Project): Domain {
  const { id, name, description, enabled, tags, options, extra } = project;
  return { id, name, description, enabled, tags, options, extra };
}

function mergeOptions(current: ResourceOptions, changes: ProjectUpdate['options']): ResourceOptions {
  if (changes?.immutable === undefined) return current;
  return changes.immutable === null ? {} : { ...current, immutable: changes.immutable };
}

/** Keystone allows one change to an immutable resource: the update that unsets `immutable`. */
function isUnsettingImmutable(changes: ProjectUpdate): boolean {
  const given = Object.entries(changes).filter(([, value]) => value !== undefined).map(([key]) => key);
  return given.length === 1 && given[0] === 'options' && (changes.options?.immutable === false || changes.options?.immutable === null);
}

export class ResourceManager {
  /** Where projects go when a caller names neither a domain nor a parent. */
  readonly defaultDomainId: string;
  private readonly backend: ResourceBackend;
  private readonly events: IdentityEvents;
  private readonly maxDepth: number;
  private readonly newId: () => string;

  constructor(deps: ResourceManagerDeps) {
    this.backend = deps.backend;
    this.events = deps.events;
    this.defaultDomainId = deps.defaultDomainId ?? 'default';
    this.maxDepth = deps.maxProjectTreeDepth ?? 5;
    this.newId = deps.newId ?? (() => randomUUID().replaceAll('-', ''));
  }

  // Domains

  /** @throws ProjectConflict when the name or id is taken by another domain. */
  async createDomain(input: DomainCreate): Promise<Domain> {
    const project = await this.backend.createProject({
      id: input.id ?? this.newId(), name: input.name.trim(), domainId: null, parentId: null,
      description: input.description ?? '', enabled: input.enabled ?? true, isDomain: true,
      tags: normalizeTags(input.tags ?? []), options: input.options ?? {}, extra: input.extra ?? {},
    });
    return toDomain(project);
  }

  /**
   * The domain with `id`, created when missing (bootstrap). An existing domain is returned as is.
   * @throws ProjectConflict when another domain already has `name`.
   */
  async ensureDomain(input: { readonly id: string; readonly name: string; readonly description?: string }): Promise<Domain> {
    const existing = await this.findDomain(input.id);
    if (existing) return existing;
    try {
      return await this.createDomain(input);
    } catch (error) {
      const raced = error instanceof ProjectConflict ? await this.findDomain(input.id) : undefined;
      if (raced) return raced;
      throw error;
    }
  }

  /** @throws EntityNotFound('domain') */
  async getDomain(id: string): Promise<Domain> {
    const domain = await this.findDomain(id);
    if (!domain) throw new EntityNotFound('domain', id);
    return domain;
  }

  /** @throws EntityNotFound('domain') naming `name`, as Keystone does. */
  async getDomainByName(name: string): Promise<Domain> {
    const project = await this.backend.getProjectByName(name, null);
    if (!project) throw new EntityNotFound('domain', name);
    return toDomain(project);
  }

  async listDomains(filters: DomainFilters = {}): Promise<Domain[]> {
    return (await this.backend.listProjects({ ...filters, isDomain: true })).map(toDomain);
  }

  /** The domains among `ids` that exist; unknown ids are skipped. */
  async listDomainsByIds(ids: readonly string[]): Promise<Domain[]> {
    return (await this.backend.listProjects({ ids, isDomain: true })).map(toDomain);
  }

  /**
   * @throws EntityNotFound('domain')
   * @throws ImmutableResource when the domain is immutable and the change is not unsetting that.
   * @throws ProjectConflict when the new name is taken.
   */
  async updateDomain(id: string, changes: DomainUpdate): Promise<Domain> {
    const current = await this.backend.getProject(id);
    if (!current?.isDomain) throw new EntityNotFound('domain', id);
    const updated = await this.applyUpdate(current, changes);
    if (current.enabled && !updated.enabled) await this.events.emit('domain.disabled', { domainId: id });
    return toDomain(updated);
  }

  /**
   * Deletes a disabled domain and every project in it, leaves first: emits `project.deleted`
   * for each project, then `domain.deleted` (for users, groups and assignments to follow).
   * @throws EntityNotFound('domain')
   * @throws ForbiddenAction when the domain is enabled.
   * @throws ImmutableResource when the domain or one of its projects is immutable (nothing is deleted).
   */
  async deleteDomain(id: string): Promise<void> {
    const domain = await this.backend.getProject(id);
    if (!domain?.isDomain) throw new EntityNotFound('domain', id);
    await this.deleteDomainProject(domain);
  }

  // Projects

  /**
   * Creates a project under its parent (the domain by default), or a domain when `isDomain`.
   * @throws EntityNotFound('project') for an unknown parent, EntityNotFound('domain') for an unknown domain.
   * @throws ValidationError when the parent is in another domain, a project of the branch is
   * disabled, or a domain is given a parent or domain.
   * @throws ForbiddenAction when the tree would grow deeper than `maxProjectTreeDepth`.
   * @throws ProjectConflict when the name is taken in the domain.
   */
  async createProject(input: ProjectCreate): Promise<Project> {
    if (input.isDomain) return this.createProjectActingAsDomain(input);
    const explicitParent = input.parentId === undefined ? undefined : await this.getProject(input.parentId);
    const domainId = input.domainId ?? (explicitParent ? explicitParent.domainId ?? explicitParent.id : this.defaultDomainId);
    const domain = await this.getDomain(domainId);
    const parent = explicitParent ?? (await this.getProject(domain.id));
    this.assertParentInDomain(parent, domain.id);
    await this.assertBranchAcceptsChild(parent);
    return this.backend.createProject({
      id: input.id ?? this.newId(), name: input.name.trim(), domainId: domain.id, parentId: parent.id,
      description: input.description ?? '', enabled: input.enabled ?? true, isDomain: false,
      tags: normalizeTags(input.tags ?? []), options: input.options ?? {}, extra: input.extra ?? {},
    });
  }

  /** The project `name` in `domainId`, created as a top-level project when missing (bootstrap). */
  async ensureProject(input: { readonly name: string; readonly domainId: string; readonly description?: string }): Promise<Project> {
    const existing = await this.backend.getProjectByName(input.name, input.domainId);
    if (existing) return existing;
    try {
      return await this.createProject(input);
    } catch (error) {
      const raced = error instanceof ProjectConflict ? await this.backend.getProjectByName(input.name, input.domainId) : undefined;
      if (raced) return raced;
      throw error;
    }
  }

  /** The project with `id`; projects acting as domains are found too (`isDomain`). @throws EntityNotFound('project') */
  async getProject(id: string): Promise<Project> {
    const project = await this.backend.getProject(id);
    if (!project) throw new EntityNotFound('project', id);
    return project;
  }

  /** @throws EntityNotFound('project') naming `name`, as Keystone does. */
  async getProjectByName(name: string, domainId: string): Promise<Project> {
    const project = await this.backend.getProjectByName(name, domainId);
    if (!project) throw new EntityNotFound('project', name);
    return project;
  }

  /** Projects matching every filter, by id; domains only when `isDomain` is true or absent. */
  async listProjects(filters: ProjectFilters = {}): Promise<Project[]> {
    return this.backend.listProjects(filters);
  }

  /** The projects among `ids` that exist; unknown ids are skipped. */
  async listProjectsByIds(ids: readonly string[]): Promise<Project[]> {
    return this.backend.listProjects({ ids });
  }

  /** Every project owned by the domain, at any depth. */
  async listProjectsInDomain(domainId: string): Promise<Project[]> {
    return this.backend.listProjects({ domainId, isDomain: false });
  }

  /**
   * @throws EntityNotFound('project')
   * @throws ValidationError when changing the domain or `is_domain`.
   * @throws ForbiddenAction when changing the parent, disabling a project with enabled
   * descendants, enabling one below a disabled parent, or changing an immutable project.
   * @throws ProjectConflict when the new name is taken in the domain.
   */
  async updateProject(id: string, changes: ProjectUpdate): Promise<Project> {
    const current = await this.getProject(id);
    const updated = await this.applyUpdate(current, changes);
    if (current.enabled && !updated.enabled) await this.events.emit('project.disabled', { projectId: id });
    return updated;
  }

  /**
   * Deletes a leaf project and emits `project.deleted`; a project acting as a domain is deleted
   * as a domain (see deleteDomain).
   * @throws EntityNotFound('project')
   * @throws ForbiddenAction when the project has children.
   * @throws ImmutableResource when the project is immutable.
   */
  async deleteProject(id: string): Promise<void> {
    const project = await this.getProject(id);
    if (project.isDomain) return this.deleteDomainProject(project);
    if (project.options.immutable) throw new ImmutableResource('delete', 'project', id);
    if ((await this.backend.listChildren([id])).length > 0) {
      throw new ForbiddenAction(`Cannot delete the project ${id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.`);
    }
    await this.backend.deleteProjects([id]);
    await this.events.emit('project.deleted', { projectId: id });
  }

  /** False when the project or its domain is disabled. @throws EntityNotFound('project') */
  async isProjectEnabled(id: string): Promise<boolean> {
    const project = await this.getProject(id);
    if (!project.enabled || project.domainId === null) return project.enabled;
    return (await this.findDomain(project.domainId))?.enabled ?? false;
  }

  // Hierarchy

  /** Ancestors, nearest first, ending with the project acting as its domain. @throws EntityNotFound('project') */
  async listProjectParents(id: string): Promise<Project[]> {
    return listParents(this.backend, await this.getProject(id));
  }

  /** Ids of the ancestor projects, nearest first, the domain left out. @throws EntityNotFound('project') */
  async getProjectParentIds(id: string): Promise<string[]> {
    return (await this.listProjectParents(id)).filter((p) => !p.isDomain).map((p) => p.id);
  }

  /** Every project below this one, children first. @throws EntityNotFound('project') */
  async listProjectsInSubtree(id: string): Promise<Project[]> {
    await this.getProject(id);
    return listSubtree(this.backend, id);
  }

  /** Ids of every project below this one, children first. @throws EntityNotFound('project') */
  async getProjectSubtreeIds(id: string): Promise<string[]> {
    return (await this.listProjectsInSubtree(id)).map((p) => p.id);
  }

  /** Keystone's `parents` for `?parents_as_ids`: `{parent: {grandparent: {domain: null}}}`. */
  async getProjectParentsAsIds(id: string): Promise<IdTree | null> {
    return parentsAsIds(await this.listProjectParents(id));
  }

  /** Keystone's `subtree` for `?subtree_as_ids`: `{child: {grandchild: null}}`. */
  async getProjectSubtreeAsIds(id: string): Promise<IdTree | null> {
    return subtreeAsIds(id, await this.listProjectsInSubtree(id));
  }

  // Tags

  /** @throws EntityNotFound('project') */
  async listProjectTags(id: string): Promise<readonly string[]> {
    return (await this.getProject(id)).tags;
  }

  /** @throws EntityNotFound('project'), or EntityNotFound('project tag') when the project lacks the tag. */
  async getProjectTag(id: string, tag: string): Promise<string> {
    if (!(await this.getProject(id)).tags.includes(tag)) throw new EntityNotFound('project tag', tag);
    return tag;
  }

  /**
   * Adds one tag (a no-op when present) and returns it trimmed.
   * @throws EntityNotFound('project'); ValidationError for a bad tag or an 81st; ImmutableProjectTags.
   */
  async addProjectTag(id: string, tag: string): Promise<string> {
    const project = await this.getProject(id);
    if (project.options.immutable) throw new ImmutableProjectTags('create', id);
    const [added] = normalizeTags([tag]);
    await this.backend.updateProject(id, { tags: normalizeTags([...project.tags, tag]) });
    return added ?? tag;
  }

  /** Replaces every tag. @throws EntityNotFound('project'); ValidationError; ImmutableProjectTags. */
  async replaceProjectTags(id: string, tags: readonly string[]): Promise<readonly string[]> {
    const project = await this.getProject(id);
    if (project.options.immutable) throw new ImmutableProjectTags('update', id);
    return (await this.backend.updateProject(id, { tags: normalizeTags(tags) })).tags;
  }

  /** @throws EntityNotFound('project'), EntityNotFound('project tag'); ImmutableProjectTags. */
  async deleteProjectTag(id: string, tag: string): Promise<void> {
    const project = await this.getProject(id);
    if (project.options.immutable) throw new ImmutableProjectTags('delete', id);
    if (!project.tags.includes(tag)) throw new EntityNotFound('project tag', tag);
    await this.backend.updateProject(id, { tags: project.tags.filter((t) => t !== tag) });
  }

  // Internals

  private async findDomain(id: string): Promise<Domain | undefined> {
    const project = await this.backend.getProject(id);
    return project?.isDomain ? toDomain(project) : undefined;
  }

  private async createProjectActingAsDomain(input: ProjectCreate): Promise<Project> {
    if (input.domainId || input.parentId) throw new ValidationError('only root projects are allowed to act as domains.');
    const domain = await this.createDomain(input);
    return this.getProject(domain.id);
  }

  private assertParentInDomain(parent: Project, domainId: string): void {
    if (parent.isDomain && parent.id !== domainId) {
      throw new ValidationError(`Cannot create project, the parent (${parent.id}) is acting as a domain, but this project's domain id (${domainId}) does not match the parent's id.`);
    }
    if (!parent.isDomain && parent.domainId !== domainId) {
      throw new ValidationError(`Cannot create project, since it specifies its domain_id ${domainId}, but specifies a parent in a different domain (${parent.domainId ?? ''}).`);
    }
  }

  /** The whole branch above a new project must be enabled, and not already at the maximum depth. */
  private async assertBranchAcceptsChild(parent: Project): Promise<void> {
    const branch = [...(await listParents(this.backend, parent)), parent];
    const disabled = branch.find((p) => !p.enabled);
    if (disabled) throw new ValidationError(`cannot create a project in a branch containing a disabled project: ${disabled.id}`);
    // The branch counts the domain, hence the +1 Keystone adds to max_project_tree_depth.
    if (branch.length + 1 > this.maxDepth + 1) throw new ForbiddenAction(`Max hierarchy depth reached for ${parent.id} branch.`);
  }

  private async applyUpdate(current: Project, changes: ProjectUpdate): Promise<Project> {
    const kind = current.isDomain ? 'domain' : 'project';
    if (changes.domainId !== undefined && changes.domainId !== current.domainId) throw new ValidationError('Cannot change Domain ID');
    if (current.options.immutable && !isUnsettingImmutable(changes)) throw new ImmutableResource('update', kind, current.id);
    if (changes.parentId !== undefined && changes.parentId !== current.parentId) throw new ForbiddenAction('Update of `parent_id` is not allowed.');
    if (changes.isDomain !== undefined && changes.isDomain !== current.isDomain) throw new ValidationError('Update of `is_domain` is not allowed.');
    await this.assertEnabledChangeAllowed(current, changes.enabled);
    const update: ProjectChanges = {
      ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.enabled !== undefined ? { enabled: changes.enabled } : {}),
      ...(changes.tags !== undefined ? { tags: normalizeTags(changes.tags) } : {}),
      ...(changes.options !== undefined ? { options: mergeOptions(current.options, changes.options) } : {}),
      ...(changes.extra !== undefined ? { extra: { ...current.extra, ...changes.extra } } : {}),
    };
    return this.backend.updateProject(current.id, update);
  }

  private async assertEnabledChangeAllowed(current: Project, enabled: boolean | undefined): Promise<void> {
    if (enabled === true && !current.enabled) {
      const parents = await listParents(this.backend, current);
      if (parents.some((p) => !p.enabled)) throw new ForbiddenAction(`Cannot enable project ${current.id} since it has disabled parents`);
    }
    // A domain may be disabled whatever its projects' state: that disables them in effect.
    if (enabled === false && current.enabled && !current.isDomain) {
      const subtree = await listSubtree(this.backend, current.id);
      if (subtree.some((p) => p.enabled)) {
        throw new ForbiddenAction(`Cannot disable project ${current.id} since its subtree contains enabled projects.`);
      }
    }
  }

  private async deleteDomainProject(domain: Project): Promise<void> {
    if (domain.options.immutable) throw new ImmutableResource('delete', 'domain', domain.id);
    if (domain.enabled) throw new ForbiddenAction('Cannot delete a domain that is enabled, please disable it first.');
    const projects = leavesFirst(await this.listProjectsInDomain(domain.id));
    const immutable = projects.find((p) => p.options.immutable);
    if (immutable) throw new ImmutableResource('delete', 'project', immutable.id);
    for (const project of projects) {
      await this.backend.deleteProjects([project.id]);
      await this.events.emit('project.deleted', { projectId: project.id });
    }
    // Users and groups of the domain go before the domain itself, as in Keystone.
    await this.events.emit('domain.deleted', { domainId: domain.id });
    await this.backend.deleteProjects([domain.id]);
  }
}
