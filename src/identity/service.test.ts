// The whole identity service, wired as `tstack up` wires it, on every database this machine
// has: bootstrap, tokens, CRUD, policy, validation errors, revocation and notifications.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../common/config/index.js';
import { testDatabaseTargets } from '../common/db/testing.js';
import { createLogger } from '../common/log/index.js';
import { InProcessTransport, NotificationListener } from '../common/messaging/index.js';
import { identityOptions } from './config.js';
import { IdentityService } from './service.js';

const PASSWORD = 'bootstrap-secret';

interface Reply { status: number; body: Record<string, any>; headers: Record<string, unknown> }

for (const target of await testDatabaseTargets()) {
  describe(`identity service on ${target.dialect}`, { skip: target.skipReason }, () => {
    let service: IdentityService;
    let dataDir: string;
    let drop: () => Promise<void>;
    let transport: InProcessTransport;
    const notifications: { eventType: string; payload: unknown }[] = [];

    async function call(method: string, url: string, options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
      const response = await service.app.inject({
        method: method as 'GET', url,
        headers: { ...(options.token ? { 'x-auth-token': options.token } : {}), ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
        ...(options.raw !== undefined ? { payload: options.raw } : options.body !== undefined ? { payload: JSON.stringify(options.body) } : {}),
      });
      return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : {}, headers: response.headers };
    }

    async function token(user: string, password: string, project?: string): Promise<string> {
      const reply = await call('POST', '/v3/auth/tokens', { body: { auth: {
        identity: { methods: ['password'], password: { user: { name: user, domain: { id: 'default' }, password } } },
        ...(project ? { scope: { project: { name: project, domain: { id: 'default' } } } } : {}),
      } } });
      assert.equal(reply.status, 201, JSON.stringify(reply.body));
      return reply.headers['x-subject-token'] as string;
    }

    before(async () => {
      const database = await target.create();
      drop = database.drop;
      dataDir = mkdtempSync(join(tmpdir(), 'tstack-identity-'));
      const config = loadConfig({ groups: [identityOptions], overrides: { identity: { connection: database.url, password_hash_cost: 10, token_cache_seconds: 0 } } }).group(identityOptions);
      transport = new InProcessTransport();
      const listener = new NotificationListener({ transport, handler: async (n) => { notifications.push({ eventType: n.eventType, payload: n.payload }); } });
      await listener.start();
      service = await IdentityService.create({ dataDir, config, logger: createLogger({ service: 'identity', level: 'silent' }), transport });
      await service.bootstrap({ adminUsername: 'admin', adminPassword: PASSWORD, publicUrl: 'http://127.0.0.1:5000/v3', regionId: 'RegionOne' });
      // A second bootstrap, as on every `tstack up`, changes nothing.
      await service.bootstrap({ adminUsername: 'admin', adminPassword: PASSWORD, publicUrl: 'http://127.0.0.1:5000/v3', regionId: 'RegionOne' });
    });

    after(async () => {
      await service?.close();
      await transport?.close();
      rmSync(dataDir, { recursive: true, force: true });
      await drop?.();
    });

    it('answers version discovery without a token', async () => {
      const root = await call('GET', '/');
      assert.equal(root.status, 300);
      assert.equal(root.body.versions.values[0].id, 'v3.14');
      assert.equal((await call('GET', '/v3')).body.version.status, 'stable');
    });

    it('issues a project token with roles and catalog, and validates it', async () => {
      const admin = await token('admin', PASSWORD, 'admin');
      const validated = await call('GET', '/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': admin } });
      assert.equal(validated.status, 200);
      assert.deepEqual(validated.body.token.roles.map((r: { name: string }) => r.name).sort(), ['admin', 'member', 'reader']);
      assert.equal(validated.body.token.catalog[0].type, 'identity');
      assert.equal(validated.body.token.project.name, 'admin');
    });

    it('refuses a wrong password with 401 and Keystone\'s body', async () => {
      const reply = await call('POST', '/v3/auth/tokens', { body: { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'wrong' } } } } } });
      assert.equal(reply.status, 401);
      assert.equal(reply.body.error.code, 401);
      assert.match(String(reply.headers['www-authenticate']), /^Keystone uri=/);
    });

    it('refuses a password over 4,096 characters with 400 before checking it', async () => {
      const reply = await call('POST', '/v3/auth/tokens', { body: { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'x'.repeat(1000 * 1000) } } } } } });
      assert.equal(reply.status, 400);
      assert.equal(reply.body.error.message, 'The password length must be less than or equal to 4096. The server could not comply with the request because the password is invalid.');
    });

    it('answers malformed JSON, wrong types and missing fields with 400', async () => {
      const admin = await token('admin', PASSWORD, 'admin');
      for (const request of [{ raw: '{"project": ' }, { body: { project: { name: 42 } } }, { body: { project: {} } }, { body: {} }]) {
        const reply = await call('POST', '/v3/projects', { token: admin, ...request });
        assert.equal(reply.status, 400, JSON.stringify(request));
        assert.equal(reply.body.error.title, 'Bad Request');
      }
      const badAuth = await call('POST', '/v3/auth/tokens', { body: { auth: { identity: { methods: 'password' } } } });
      assert.equal(badAuth.status, 400);
    });

    it('keeps a member of project A out of project B and the user list (403)', async () => {
      const admin = await token('admin', PASSWORD, 'admin');
      const projectA = (await call('POST', '/v3/projects', { token: admin, body: { project: { name: `a-${target.dialect}` } } })).body.project;
      const projectB = (await call('POST', '/v3/projects', { token: admin, body: { project: { name: `b-${target.dialect}` } } })).body.project;
      const user = (await call('POST', '/v3/users', { token: admin, body: { user: { name: `carol-${target.dialect}`, password: 'pw-carol' } } })).body.user;
      const roles = (await call('GET', '/v3/roles?name=member', { token: admin })).body.roles;
      assert.equal((await call('PUT', `/v3/projects/${projectA.id}/users/${user.id}/roles/${roles[0].id}`, { token: admin })).status, 204);
      const member = await token(user.name, 'pw-carol', projectA.name);
      assert.equal((await call('GET', `/v3/projects/${projectA.id}`, { token: member })).status, 200);
      const forbidden = await call('GET', `/v3/projects/${projectB.id}`, { token: member });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.body.error.code, 403);
      assert.equal((await call('GET', '/v3/users', { token: member })).status, 403);
      // Anyone may validate, check and revoke their own token (rule token_subject).
      const own = await token(user.name, 'pw-carol', projectA.name);
      assert.equal((await call('GET', '/v3/auth/tokens', { token: member, headers: { 'x-subject-token': own } })).status, 200);
      assert.equal((await call('HEAD', '/v3/auth/tokens', { token: member, headers: { 'x-subject-token': own } })).status, 200);
      assert.equal((await call('GET', '/v3/auth/tokens', { token: member, headers: { 'x-subject-token': await token('admin', PASSWORD, 'admin') } })).status, 403);
    });

    it('stops a revoked token and the tokens of a user whose password changed', async () => {
      const admin = await token('admin', PASSWORD, 'admin');
      const victim = await token('admin', PASSWORD, 'admin');
      assert.equal((await call('DELETE', '/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': victim } })).status, 204);
      assert.equal((await call('GET', '/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': victim } })).status, 404);
      assert.equal((await call('GET', '/v3/projects', { token: victim })).status, 401);

      const user = (await call('POST', '/v3/users', { token: admin, body: { user: { name: `dave-${target.dialect}`, password: 'old-pw' } } })).body.user;
      const before = await token(user.name, 'old-pw');
      const change = await call('POST', `/v3/users/${user.id}/password`, { body: { user: { password: 'new-pw', original_password: 'old-pw' } } });
      assert.equal(change.status, 204);
      assert.equal((await call('GET', '/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': before } })).status, 404);
      await token(user.name, 'new-pw');
    });

    it('publishes identity.project.deleted on the bus', async () => {
      const admin = await token('admin', PASSWORD, 'admin');
      const project = (await call('POST', '/v3/projects', { token: admin, body: { project: { name: `gone-${target.dialect}` } } })).body.project;
      assert.equal((await call('DELETE', `/v3/projects/${project.id}`, { token: admin })).status, 204);
      for (let i = 0; i < 50 && !notifications.some((n) => n.eventType === 'identity.project.deleted'); i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(notifications.find((n) => n.eventType === 'identity.project.deleted')?.payload, { resource_info: project.id });
    });
  });
}
