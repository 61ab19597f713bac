// Projects, domains and project tags in the identity database (keystone/resource/backends/sql.py).
// Booleans are stored as 0/1, options and extra attributes as JSON text.

import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { ProjectChanges, ResourceBackend } from '../backend.js';
import { EntityNotFound, ProjectConflict } from '../errors.js';
import type { Project, ProjectFilters, ResourceOptions, TagFilters } from '../model.js';
import { isUniqueViolation } from '../../../common/db/index.js';

export interface ResourceTables {
  project: {
    id: string;
    name: string;
    description: string | null;
    enabled: number;
    /** The owning domain, or NULL_DOMAIN_ID for a project acting as a domain. */
    domain_id: string;
    parent_id: string | null;
    is_domain: number;
    options: string | null;
    extra: string | null;
  };
  project_tag: {
    project_id: string;
    name: string;
  };
}

type ProjectRow = ResourceTables['project'];
type Db = Kysely<ResourceTables> | Transaction<ResourceTables>;

/** Keystone's marker for "no domain": the domain_id of every domain row. */
const NULL_DOMAIN_ID = '<<keystone.domain.root>>';


function parseJson<T>(text: string | null, fallback: T): T {
  return text ? (JSON.parse(text) as T) : fallback;
}

function toRow(project: Project): ProjectRow {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    enabled: project.enabled ? 1 : 0,
    domain_id: project.domainId ?? NULL_DOMAIN_ID,
    parent_id: project.parentId,
    is_domain: project.isDomain ? 1 : 0,
    options: JSON.stringify(project.options),
    extra: JSON.stringify(project.extra),
  };
}

function toProject(row: ProjectRow, tags: readonly string[]): Project {
  return {
    id: row.id,
    name: row.name,
    domainId: row.domain_id === NULL_DOMAIN_ID ? null : row.domain_id,
    parentId: row.parent_id,
    description: row.description ?? '',
    enabled: Number(row.enabled) === 1,
    isDomain: Number(row.is_domain) === 1,
    tags,
    options: parseJson<ResourceOptions>(row.options, {}),
    extra: parseJson<Record<string, unknown>>(row.extra, {}),
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Ids of projects carrying every tag in `tags`. */
function withAllTags(eb: ExpressionBuilder<ResourceTables, 'project'>, tags: readonly string[]) {
  const wanted = unique(tags);
  return eb.selectFrom('project_tag').select('project_tag.project_id')
    .where('project_tag.name', 'in', wanted)
    .groupBy('project_tag.project_id')
    .having((h) => h(h.fn.count('project_tag.name').distinct(), '=', wanted.length));
}

/** Ids of projects carrying at least one tag in `tags`. */
function withAnyTag(eb: ExpressionBuilder<ResourceTables, 'project'>, tags: readonly string[]) {
  return eb.selectFrom('project_tag').select('project_tag.project_id').where('project_tag.name', 'in', unique(tags));
}

function tagConditions(eb: ExpressionBuilder<ResourceTables, 'project'>, tags: TagFilters) {
  return eb.and([
    ...(tags.all?.length ? [eb('project.id', 'in', withAllTags(eb, tags.all))] : []),
    ...(tags.any?.length ? [eb('project.id', 'in', withAnyTag(eb, tags.any))] : []),
    ...(tags.notAll?.length ? [eb('project.id', 'not in', withAllTags(eb, tags.notAll))] : []),
    ...(tags.notAny?.length ? [eb('project.id', 'not in', withAnyTag(eb, tags.notAny))] : []),
  ]);
}

export class SqlResourceBackend implements ResourceBackend {
  constructor(private readonly db: Kysely<ResourceTables>) {}

  async getProject(id: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('project').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? (await this.withTags(this.db, [row]))[0] : undefined;
  }

  async getProjectByName(name: string, domainId: string | null): Promise<Project | undefined> {
    const row = await this.db.selectFrom('project').selectAll()
      .where('name', '=', name).where('domain_id', '=', domainId ?? NULL_DOMAIN_ID).executeTakeFirst();
    return row ? (await this.withTags(this.db, [row]))[0] : undefined;
  }

  async listProjects(filters: ProjectFilters): Promise<Project[]> {
    if (filters.ids && filters.ids.length === 0) return [];
    let query = this.db.selectFrom('project').selectAll('project').orderBy('project.id');
    if (filters.ids) query = query.where('project.id', 'in', unique(filters.ids));
    if (filters.name !== undefined) query = query.where('project.name', '=', filters.name);
    if (filters.domainId !== undefined) query = query.where('project.domain_id', '=', filters.domainId);
    if (filters.parentId !== undefined) query = query.where('project.parent_id', '=', filters.parentId);
    if (filters.enabled !== undefined) query = query.where('project.enabled', '=', filters.enabled ? 1 : 0);
    if (filters.isDomain !== undefined) query = query.where('project.is_domain', '=', filters.isDomain ? 1 : 0);
    const tags = filters.tags;
    if (tags) query = query.where((eb) => tagConditions(eb, tags));
    return this.withTags(this.db, await query.execute());
  }

  async listChildren(parentIds: readonly string[]): Promise<Project[]> {
    if (parentIds.length === 0) return [];
    const rows = await this.db.selectFrom('project').selectAll()
      .where('parent_id', 'in', unique(parentIds)).orderBy('id').execute();
    return this.withTags(this.db, rows);
  }

  async createProject(project: Project): Promise<Project> {
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx.insertInto('project').values(toRow(project)).execute();
        await this.insertTags(trx, project.id, project.tags);
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw new ProjectConflict(project);
      throw error;
    }
    return (await this.getProject(project.id)) ?? project;
  }

  async updateProject(id: string, changes: ProjectChanges): Promise<Project> {
    try {
      await this.db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('project').selectAll().where('id', '=', id).executeTakeFirst();
        if (!row) throw new EntityNotFound('project', id);
        const values: Partial<ProjectRow> = {
          ...(changes.name !== undefined ? { name: changes.name } : {}),
          ...(changes.description !== undefined ? { description: changes.description } : {}),
          ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
          ...(changes.options !== undefined ? { options: JSON.stringify(changes.options) } : {}),
          ...(changes.extra !== undefined ? { extra: JSON.stringify(changes.extra) } : {}),
        };
        if (Object.keys(values).length > 0) await trx.updateTable('project').set(values).where('id', '=', id).execute();
        if (changes.tags !== undefined) {
          await trx.deleteFrom('project_tag').where('project_id', '=', id).execute();
          await this.insertTags(trx, id, changes.tags);
        }
      });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const current = await this.getProject(id);
      throw new ProjectConflict({ id, name: changes.name ?? current?.name ?? '', isDomain: current?.isDomain ?? false });
    }
    const updated = await this.getProject(id);
    if (!updated) throw new EntityNotFound('project', id);
    return updated;
  }

  async deleteProjects(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const wanted = unique(ids);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('project_tag').where('project_id', 'in', wanted).execute();
      await trx.deleteFrom('project').where('id', 'in', wanted).execute();
    });
  }

  private async insertTags(db: Db, projectId: string, tags: readonly string[]): Promise<void> {
    const names = unique(tags);
    if (names.length === 0) return;
    await db.insertInto('project_tag').values(names.map((name) => ({ project_id: projectId, name }))).execute();
  }

  /** Turns rows into projects, reading all their tags in one query. */
  private async withTags(db: Db, rows: readonly ProjectRow[]): Promise<Project[]> {
    if (rows.length === 0) return [];
    const tagRows = await db.selectFrom('project_tag').selectAll()
      .where('project_id', 'in', rows.map((r) => r.id)).orderBy('name').execute();
    const byProject = new Map<string, string[]>();
    for (const tag of tagRows) {
      const list = byProject.get(tag.project_id) ?? [];
      list.push(tag.name);
      byProject.set(tag.project_id, list);
    }
    return rows.map((row) => toProject(row, byProject.get(row.id) ?? []));
  }
}
