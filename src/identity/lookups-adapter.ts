// Adapts the real managers to the small lookup interfaces the auth, assignment and
// application-credential code declare, so none of those folders imports another's manager.

import type { ApplicationCredential, ApplicationCredentialManager, RoleLookup } from './application-credential/index.js';
import type { AssignmentManager, IdentityLookup, ResourceLookup, RoleManager } from './assignment/index.js';
import type { ApplicationCredentialRecord, AuthLookups, DomainRecord, ProjectRecord, UserRecord } from './auth/lookups.js';
import type { CatalogManager } from './catalog/index.js';
import { EntityNotFound, NotFound } from './errors.js';
import type { Project, ResourceManager } from './resource/index.js';
import type { User, IdentityManager } from './users/index.js';

function userRecord(user: User): UserRecord {
  return { id: user.id, name: user.name, domainId: user.domainId, enabled: user.enabled, defaultProjectId: user.defaultProjectId };
}

/** A project proper; the domains Keystone stores as projects are not projects to their callers. */
function projectRecord(project: Project): ProjectRecord {
  if (project.isDomain || project.domainId === null) throw new EntityNotFound('project', project.id);
  return { id: project.id, name: project.name, domainId: project.domainId, enabled: project.enabled };
}

function appCredRecord(credential: ApplicationCredential): ApplicationCredentialRecord {
  return {
    id: credential.id, name: credential.name, userId: credential.userId, projectId: credential.projectId,
    roles: credential.roles.map((r) => ({ id: r.id, name: r.name })), unrestricted: credential.unrestricted, expiresAt: credential.expiresAt,
    accessRules: credential.accessRules,
  };
}

export function resourceLookup(resource: ResourceManager): ResourceLookup {
  return {
    getProject: async (id) => {
      const project = projectRecord(await resource.getProject(id));
      const stored = await resource.getProject(id);
      return { ...project, parentId: stored.parentId };
    },
    getDomain: async (id) => {
      const domain = await resource.getDomain(id);
      return { id: domain.id, name: domain.name };
    },
    getProjectParentIds: (id) => resource.getProjectParentIds(id),
    getProjectSubtreeIds: (id) => resource.getProjectSubtreeIds(id),
    listProjectIdsInDomain: async (domainId) => (await resource.listProjectsInDomain(domainId)).map((p) => p.id),
  };
}

export function identityLookup(identity: IdentityManager): IdentityLookup {
  return {
    getUser: async (id) => {
      const user = await identity.getUser(id);
      return { id: user.id, name: user.name, domainId: user.domainId };
    },
    getGroup: async (id) => {
      const group = await identity.getGroup(id);
      return { id: group.id, name: group.name, domainId: group.domainId };
    },
    listGroupsForUser: (userId) => identity.listGroupsForUser(userId),
    listUsersInGroup: (groupId) => identity.listUsersInGroup(groupId),
  };
}

export function roleLookup(roles: RoleManager): RoleLookup {
  return {
    getRoleByName: async (name) => {
      const role = (await roles.listRoles({ name })).find((r) => r.domainId === null);
      if (!role) throw new EntityNotFound('role', name);
      return role;
    },
    listImpliedRoles: async (roleId) => roles.listImpliedRoles(roleId).catch((error: unknown) => {
      // A role deleted since it was chosen implies nothing; any other failure is not "no roles".
      if (error instanceof NotFound) return [];
      throw error;
    }),
  };
}

export interface LookupSources {
  readonly resource: ResourceManager;
  readonly identity: IdentityManager;
  readonly assignment: AssignmentManager;
  readonly catalog: CatalogManager;
  readonly applicationCredentials: ApplicationCredentialManager;
}

export function buildAuthLookups(sources: LookupSources): AuthLookups {
  const { resource, identity, assignment, catalog, applicationCredentials } = sources;
  const domainRecord = (d: { id: string; name: string; enabled: boolean }): DomainRecord => ({ id: d.id, name: d.name, enabled: d.enabled });
  const roleRefs = (roles: readonly { id: string; name: string }[]) => roles.map((r) => ({ id: r.id, name: r.name }));
  return {
    getUser: async (id) => userRecord(await identity.getUser(id)),
    getUserByName: async (name, domainId) => userRecord(await identity.getUserByName(name, domainId)),
    checkPassword: async (userId, password) => userRecord(await identity.authenticatePassword(userId, password)),
    getDomain: async (id) => domainRecord(await resource.getDomain(id)),
    getDomainByName: async (name) => domainRecord(await resource.getDomainByName(name)),
    getProject: async (id) => projectRecord(await resource.getProject(id)),
    getProjectByName: async (name, domainId) => projectRecord(await resource.getProjectByName(name, domainId)),
    rolesOnProject: async (userId, projectId) => roleRefs(await assignment.getRoleNamesAndIdsForUserOnProject(userId, projectId)),
    rolesOnDomain: async (userId, domainId) => roleRefs(await assignment.getRoleNamesAndIdsForUserOnDomain(userId, domainId)),
    rolesOnSystem: async (userId) => roleRefs(await assignment.getRoleNamesAndIdsForUserOnSystem(userId)),
    projectIdsForUser: (userId) => assignment.listProjectIdsForUser(userId),
    domainIdsForUser: (userId) => assignment.listDomainIdsForUser(userId),
    catalog: (userId, projectId) => catalog.getV3Catalog(userId, projectId),
    checkApplicationCredential: async (ref, secret) => {
      const credentialRef = ref.id ? { id: ref.id } : { name: ref.name ?? '', userId: ref.userId ?? '' };
      return appCredRecord(await applicationCredentials.authenticate(credentialRef, secret));
    },
    getApplicationCredential: async (id) => appCredRecord(await applicationCredentials.get(id)),
  };
}
