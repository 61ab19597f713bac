// An in-memory AuthLookups for token and auth tests: users, projects, domains, role grants.

import { NotFound } from '../../common/errors/index.js';
import { AuthenticationFailed } from '../errors.js';
import type { ApplicationCredentialRecord, AuthLookups, CatalogService, DomainRecord, ProjectRecord, RoleRef, UserRecord } from './lookups.js';

export class FakeAuthLookups implements AuthLookups {
  readonly users = new Map<string, UserRecord & { password: string }>();
  readonly domains = new Map<string, DomainRecord>([['default', { id: 'default', name: 'Default', enabled: true }]]);
  readonly projects = new Map<string, ProjectRecord>();
  /** `${userId}|${scope}` → roles; scope is a project id, `domain:<id>` or `system`. */
  readonly grants = new Map<string, RoleRef[]>();
  readonly appCreds = new Map<string, ApplicationCredentialRecord & { secret: string }>();
  readonly services: CatalogService[] = [{ id: 's1', type: 'identity', name: 'keystone', endpoints: [{ id: 'e1', interface: 'public', region: 'RegionOne', region_id: 'RegionOne', url: 'http://127.0.0.1:5000/v3' }] }];

  private need<T>(value: T | undefined, kind: string, id: string): T {
    if (value === undefined) throw new NotFound(`Could not find ${kind}: ${id}.`);
    return value;
  }

  async getUser(id: string) { return this.need(this.users.get(id), 'user', id); }
  async getUserByName(name: string, domainId: string) {
    return this.need([...this.users.values()].find((u) => u.name === name && u.domainId === domainId), 'user', name);
  }
  async checkPassword(userId: string, password: string) {
    const user = this.users.get(userId);
    if (!user || !user.enabled || user.password !== password) throw new AuthenticationFailed();
    return user;
  }
  async getDomain(id: string) { return this.need(this.domains.get(id), 'domain', id); }
  async getDomainByName(name: string) { return this.need([...this.domains.values()].find((d) => d.name === name), 'domain', name); }
  async getProject(id: string) { return this.need(this.projects.get(id), 'project', id); }
  async getProjectByName(name: string, domainId: string) {
    return this.need([...this.projects.values()].find((p) => p.name === name && p.domainId === domainId), 'project', name);
  }
  async rolesOnProject(userId: string, projectId: string) { return this.grants.get(`${userId}|${projectId}`) ?? []; }
  async rolesOnDomain(userId: string, domainId: string) { return this.grants.get(`${userId}|domain:${domainId}`) ?? []; }
  async rolesOnSystem(userId: string) { return this.grants.get(`${userId}|system`) ?? []; }
  async projectIdsForUser(userId: string) {
    return [...this.grants.keys()].filter((k) => k.startsWith(`${userId}|`) && !k.includes(':') && !k.endsWith('|system')).map((k) => k.split('|')[1]!);
  }
  async domainIdsForUser(userId: string) {
    return [...this.grants.keys()].filter((k) => k.startsWith(`${userId}|domain:`)).map((k) => k.split('domain:')[1]!);
  }
  async catalog() { return this.services; }
  async checkApplicationCredential(ref: { id?: string; name?: string; userId?: string }, secret: string) {
    const found = [...this.appCreds.values()].find((a) => (ref.id ? a.id === ref.id : a.name === ref.name && a.userId === ref.userId));
    if (!found || found.secret !== secret || (found.expiresAt && found.expiresAt <= new Date())) throw new AuthenticationFailed();
    return found;
  }
  async getApplicationCredential(id: string) { return this.need(this.appCreds.get(id), 'application credential', id); }
}
