// The storage contract of the resource subsystem (keystone/resource/backends/base.py): projects,
// domains stored as projects acting as domains, and project tags. No rule of the hierarchy lives
// here; the manager enforces them.

import type { Project, ProjectFilters, ResourceOptions } from './model.js';

/** The stored fields of a project that an update may replace. */
export interface ProjectChanges {
  readonly name?: string;
  readonly description?: string;
  readonly enabled?: boolean;
  /** Replaces the whole tag list. */
  readonly tags?: readonly string[];
  /** Replaces the whole option set. */
  readonly options?: ResourceOptions;
  /** Replaces the whole extra record. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

export interface ResourceBackend {
  /** The project (or domain) with this id; undefined when there is none. Ids match exactly. */
  getProject(id: string): Promise<Project | undefined>;

  /**
   * The project named `name` in domain `domainId`, or the domain named `name` when `domainId`
   * is null; undefined when there is none. Names match exactly (case included).
   */
  getProjectByName(name: string, domainId: string | null): Promise<Project | undefined>;

  /** Projects (domains included unless `filters.isDomain` says otherwise) matching every filter, by id. */
  listProjects(filters: ProjectFilters): Promise<Project[]>;

  /** Projects whose parent is one of `parentIds`, by id. */
  listChildren(parentIds: readonly string[]): Promise<Project[]>;

  /**
   * Stores a new project with its tags, all or nothing.
   * @throws ProjectConflict when the id is taken, or the name is taken in the same domain
   * (among domains, for a project acting as a domain).
   */
  createProject(project: Project): Promise<Project>;

  /**
   * Applies `changes` and returns the result.
   * @throws EntityNotFound('project') when there is no such project.
   * @throws ProjectConflict when the new name is taken in the same domain.
   */
  updateProject(id: string, changes: ProjectChanges): Promise<Project>;

  /** Deletes these projects and their tags, all or nothing; unknown ids are ignored. */
  deleteProjects(ids: readonly string[]): Promise<void>;
}
