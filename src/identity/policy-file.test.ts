// An operator's policy.yaml overrides Keystone's defaults in a running identity service.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../common/config/index.js';
import { createLogger } from '../common/log/index.js';
import { identityOptions } from './config.js';
import { IdentityService } from './service.js';

describe('identity policy_file', () => {
  let dataDir: string;
  let service: IdentityService;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tstack-policy-'));
    const policyFile = join(dataDir, 'policy.yaml');
    // By default any authenticated user may list regions; this cloud keeps them to admins.
    writeFileSync(policyFile, '"identity:list_regions": "rule:admin_required"\n');
    const config = loadConfig({ groups: [identityOptions], overrides: { identity: { connection: 'sqlite:///:memory:', policy_file: policyFile, password_hash_cost: 10 } } }).group(identityOptions);
    service = await IdentityService.create({ dataDir, config, logger: createLogger({ service: 'identity', level: 'silent' }) });
    await service.bootstrap({ adminUsername: 'admin', adminPassword: 'pw', publicUrl: 'http://127.0.0.1:5000/v3', regionId: 'RegionOne' });
  });
  after(async () => {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function tokenFor(user: string, password: string): Promise<string> {
    const response = await service.app.inject({ method: 'POST', url: '/v3/auth/tokens', payload: { auth: {
      identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } },
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    } } });
    assert.equal(response.statusCode, 201, response.body);
    return response.headers['x-subject-token'] as string;
  }

  it('applies the override and leaves other defaults alone', async () => {
    const admin = await tokenFor('admin', 'pw');
    const created = await service.app.inject({ method: 'POST', url: '/v3/users', headers: { 'x-auth-token': admin }, payload: { user: { name: 'erin', password: 'pw-erin' } } });
    const erin = created.json().user;
    const reader = (await service.app.inject({ method: 'GET', url: '/v3/roles?name=reader', headers: { 'x-auth-token': admin } })).json().roles[0];
    const adminProject = (await service.app.inject({ method: 'GET', url: '/v3/projects?name=admin', headers: { 'x-auth-token': admin } })).json().projects[0];
    await service.app.inject({ method: 'PUT', url: `/v3/projects/${adminProject.id}/users/${erin.id}/roles/${reader.id}`, headers: { 'x-auth-token': admin } });
    const readerToken = await tokenFor('erin', 'pw-erin');

    const denied = await service.app.inject({ method: 'GET', url: '/v3/regions', headers: { 'x-auth-token': readerToken } });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.json().error.message, 'You are not authorized to perform the requested action: identity:list_regions.');
    assert.equal((await service.app.inject({ method: 'GET', url: '/v3/regions', headers: { 'x-auth-token': admin } })).statusCode, 200);
    // Untouched default: anyone may see their own token's catalog.
    assert.equal((await service.app.inject({ method: 'GET', url: '/v3/auth/catalog', headers: { 'x-auth-token': readerToken } })).statusCode, 200);
  });
});
