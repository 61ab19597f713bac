// In-memory stand-ins for the resource and identity subsystems, and a ready-made assignment
// stack on a migrated database, for tests of this subsystem and of what builds on it.

import { migrateDatabase, openDatabase } from '../../common/db/index.js';
import type { Database } from '../../common/db/index.js';
import { EntityNotFound } from '../errors.js';
import { IdentityEvents } from '../events.js';
import { SqlAssignmentBackend } from './backends/sql.js';
import type { AssignmentTables } from './backends/sql.js';
import { SqlRoleBackend } from './backends/sql-roles.js';
import type { ActorRef, DomainRef, IdentityLookup, ProjectRef, ResourceLookup } from './lookups.js';
import { AssignmentManager } from './manager.js';
import { assignmentMigrations } from './migrations.js';
import { assignmentPolicies } from './policies.js';
import { RoleManager } from './role-manager.js';
import { testAuthorizer as testApiAuthorizer } from '../api/testing.js';
import type { Authorizer } from '../api/common.js';

function found<T>(map: ReadonlyMap<string, T>, kind: string, id: string): T {
  const value = map.get(id);
  if (value === undefined) throw new EntityNotFound(kind, id);
  return value;
}

/** Domains and a project tree held in maps. */
export class FakeResourceLookup implements ResourceLookup {
  readonly domains = new Map<string, DomainRef>();
  readonly projects = new Map<string, ProjectRef>();

  addDomain(id: string, name = id): this {
    this.domains.set(id, { id, name });
    return this;
  }

  /** Adds a project; `parentId` defaults to the domain (a top-level project). */
  addProject(id: string, domainId: string, parentId: string | null = domainId, name = id): this {
    this.projects.set(id, { id, name, domainId, parentId });
    return this;
  }

  removeProject(id: string): void {
    this.projects.delete(id);
  }

  async getProject(projectId: string): Promise<ProjectRef> {
    return found(this.projects, 'project', projectId);
  }

  async getDomain(domainId: string): Promise<DomainRef> {
    return found(this.domains, 'domain', domainId);
  }

  async getProjectParentIds(projectId: string): Promise<readonly string[]> {
    const parents: string[] = [];
    for (let parent = found(this.projects, 'project', projectId).parentId; parent !== null && this.projects.has(parent);) {
      parents.push(parent);
      parent = found(this.projects, 'project', parent).parentId;
    }
    return parents;
  }

  async getProjectSubtreeIds(projectId: string): Promise<readonly string[]> {
    const below: string[] = [];
    for (let level = [projectId]; level.length > 0;) {
      level = [...this.projects.values()].filter((p) => p.parentId !== null && level.includes(p.parentId)).map((p) => p.id);
      below.push(...level);
    }
    return below;
  }

  async listProjectIdsInDomain(domainId: string): Promise<readonly string[]> {
    return [...this.projects.values()].filter((p) => p.domainId === domainId).map((p) => p.id);
  }
}

/** Users, groups and memberships held in maps. */
export class FakeIdentityLookup implements IdentityLookup {
  readonly users = new Map<string, ActorRef>();
  readonly groups = new Map<string, ActorRef>();
  readonly members = new Map<string, Set<string>>();

  addUser(id: string, domainId = 'default', name = id): this {
    this.users.set(id, { id, name, domainId });
    return this;
  }

  addGroup(id: string, domainId = 'default', name = id): this {
    this.groups.set(id, { id, name, domainId });
    this.members.set(id, new Set());
    return this;
  }

  addMember(groupId: string, userId: string): this {
    this.members.get(groupId)?.add(userId);
    return this;
  }

  async getUser(userId: string): Promise<ActorRef> {
    return found(this.users, 'user', userId);
  }

  async getGroup(groupId: string): Promise<ActorRef> {
    return found(this.groups, 'group', groupId);
  }

  async listGroupsForUser(userId: string): Promise<readonly { readonly id: string }[]> {
    found(this.users, 'user', userId);
    return [...this.members].filter(([, users]) => users.has(userId)).map(([id]) => ({ id }));
  }

  async listUsersInGroup(groupId: string): Promise<readonly { readonly id: string }[]> {
    found(this.groups, 'group', groupId);
    return [...found(this.members, 'group', groupId)].map((id) => ({ id }));
  }
}

/** Everything a test of the assignment subsystem needs, wired together. */
export interface AssignmentTestStack {
  readonly database: Database<AssignmentTables>;
  readonly events: IdentityEvents;
  readonly resources: FakeResourceLookup;
  readonly identity: FakeIdentityLookup;
  readonly roles: RoleManager;
  readonly assignment: AssignmentManager;
}

/** Opens and migrates `url` (SQLite in memory by default) and builds both managers over fakes. */
export async function createAssignmentTestStack(url = 'sqlite:///:memory:'): Promise<AssignmentTestStack> {
  const database = openDatabase<AssignmentTables>(url);
  await migrateDatabase(database, 'identity', assignmentMigrations);
  const events = new IdentityEvents();
  const resources = new FakeResourceLookup();
  const identity = new FakeIdentityLookup();
  const roles = new RoleManager({ backend: new SqlRoleBackend(database.db), resources, events });
  const assignment = new AssignmentManager({ backend: new SqlAssignmentBackend(database.db), roles, resources, identity, events });
  return { database, events, resources, identity, roles, assignment };
}

/** The assignment policy defaults behind the Authorizer interface the routes take. */
export function testAuthorizer(): Authorizer {
  return testApiAuthorizer(assignmentPolicies);
}
