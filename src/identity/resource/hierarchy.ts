// Walking the project tree: parents up to the domain, the subtree below a project, and
// Keystone's nested-id renderings of both (`?parents_as_ids`, `?subtree_as_ids`).

import type { ResourceBackend } from './backend.js';
import type { IdTree, Project } from './model.js';

/** Ancestors of `project`, nearest first, ending with its domain. Stops at a loop or a missing parent. */
export async function listParents(backend: ResourceBackend, project: Project): Promise<Project[]> {
  const parents: Project[] = [];
  const seen = new Set([project.id]);
  let parentId = project.parentId;
  while (parentId !== null && !seen.has(parentId)) {
    const parent = await backend.getProject(parentId);
    if (!parent) break;
    parents.push(parent);
    seen.add(parent.id);
    parentId = parent.parentId;
  }
  return parents;
}

/** Every project below `projectId`, level by level (children first, then grandchildren...). */
export async function listSubtree(backend: ResourceBackend, projectId: string): Promise<Project[]> {
  const subtree: Project[] = [];
  const seen = new Set([projectId]);
  let level = await backend.listChildren([projectId]);
  while (level.length > 0) {
    const fresh = level.filter((p) => !seen.has(p.id));
    for (const p of fresh) seen.add(p.id);
    subtree.push(...fresh);
    level = await backend.listChildren(fresh.map((p) => p.id));
  }
  return subtree;
}

/** `{nearest: {next: {domain: null}}}`, or null for a project without parents. */
export function parentsAsIds(parents: readonly Project[]): IdTree | null {
  let tree: IdTree | null = null;
  for (const parent of [...parents].reverse()) tree = { [parent.id]: tree };
  return tree;
}

/** `{child: {grandchild: null}, other: null}`, or null for a leaf. */
export function subtreeAsIds(rootId: string, subtree: readonly Project[]): IdTree | null {
  const children = new Map<string, string[]>();
  for (const p of subtree) {
    if (p.parentId === null) continue;
    children.set(p.parentId, [...(children.get(p.parentId) ?? []), p.id]);
  }
  const build = (id: string, seen: ReadonlySet<string>): IdTree | null => {
    const ids = (children.get(id) ?? []).filter((child) => !seen.has(child));
    if (ids.length === 0) return null;
    return Object.fromEntries(ids.map((child) => [child, build(child, new Set([...seen, child]))]));
  };
  return build(rootId, new Set([rootId]));
}

/** Projects ordered so that every project comes after all of its descendants. */
export function leavesFirst(projects: readonly Project[]): Project[] {
  const byParent = new Map<string | null, Project[]>();
  for (const p of projects) byParent.set(p.parentId, [...(byParent.get(p.parentId) ?? []), p]);
  const ids = new Set(projects.map((p) => p.id));
  const ordered: Project[] = [];
  const placed = new Set<string>();
  const visit = (p: Project): void => {
    if (placed.has(p.id)) return;
    placed.add(p.id);
    for (const child of byParent.get(p.id) ?? []) visit(child);
    ordered.push(p);
  };
  for (const p of projects) if (p.parentId === null || !ids.has(p.parentId)) visit(p);
  for (const p of projects) visit(p);
  return ordered;
}
