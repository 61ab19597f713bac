// Test helper: the real identity service on an ephemeral port with a `glance` service user, for
// the tests of common/auth's Keystone client (test/api/keystone-*.test.ts).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/common/config/index.js';
import { createLogger } from '../../src/common/log/index.js';
import { IdentityService, identityOptions } from '../../src/identity/index.js';

export const ADMIN_PASSWORD = 'bootstrap-secret';
export const GLANCE_PASSWORD = 'glance-secret';

export interface RealIdentity {
  readonly service: IdentityService;
  /** http://127.0.0.1:<port>/v3 */
  readonly authUrl: string;
  /** POST /v3/auth/tokens for a user of the default domain; resolves with the token. */
  issueToken(user: string, password: string, scope?: Record<string, unknown>): Promise<string>;
  /** DELETE /v3/auth/tokens of `victim`, as the admin. */
  revoke(victim: string): Promise<void>;
  close(): Promise<void>;
}

async function grantServiceRole(service: IdentityService): Promise<void> {
  const { resource, identity, roles, assignment } = service.managers;
  const project = await resource.ensureProject({ name: 'service', domainId: 'default' });
  const user = await identity.ensureUser({ name: 'glance', domainId: 'default', password: GLANCE_PASSWORD });
  const role = await roles.ensureRole('service');
  await assignment.ensureGrant({ roleId: role.id, actorType: 'user', actorId: user.id, inherited: false, targetType: 'project', targetId: project.id });
  // The admin also gets a domain role, so the tests can ask for a domain-scoped token.
  const admin = await identity.ensureUser({ name: 'admin', domainId: 'default', password: ADMIN_PASSWORD });
  const adminRole = await roles.ensureRole('admin');
  await assignment.ensureGrant({ roleId: adminRole.id, actorType: 'user', actorId: admin.id, inherited: false, targetType: 'domain', targetId: 'default' });
}

export async function startRealIdentity(): Promise<RealIdentity> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tstack-keystone-client-'));
  const config = loadConfig({ groups: [identityOptions], overrides: { identity: { connection: 'sqlite:///:memory:', password_hash_cost: 10, token_cache_seconds: 0 } } }).group(identityOptions);
  const service = await IdentityService.create({ dataDir, config, logger: createLogger({ service: 'identity', level: 'silent' }) });
  const address = await service.app.listen({ host: '127.0.0.1', port: 0 });
  const authUrl = `${address}/v3`;
  await service.bootstrap({ adminUsername: 'admin', adminPassword: ADMIN_PASSWORD, publicUrl: authUrl, regionId: 'RegionOne' });
  await grantServiceRole(service);

  async function issueToken(user: string, password: string, scope?: Record<string, unknown>): Promise<string> {
    const response = await fetch(`${authUrl}/auth/tokens`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } }, ...(scope ? { scope } : {}) } }),
    });
    if (response.status !== 201) throw new Error(`token for ${user}: ${response.status} ${await response.text()}`);
    return response.headers.get('x-subject-token') ?? '';
  }

  async function revoke(victim: string): Promise<void> {
    const admin = await issueToken('admin', ADMIN_PASSWORD, { project: { name: 'admin', domain: { id: 'default' } } });
    const response = await fetch(`${authUrl}/auth/tokens`, { method: 'DELETE', headers: { 'x-auth-token': admin, 'x-subject-token': victim } });
    if (response.status !== 204) throw new Error(`revoke: ${response.status} ${await response.text()}`);
  }

  let closed = false;
  return {
    service, authUrl, issueToken, revoke,
    close: async () => {
      if (closed) return;
      closed = true;
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
