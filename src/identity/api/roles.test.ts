// /v3/roles, implied roles and /v3/role_inferences through the HTTP layer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { createAssignmentTestStack, testAuthorizer } from '../assignment/testing.js';
import type { AssignmentTestStack } from '../assignment/testing.js';
import { registerRoleRoutes } from './roles.js';
import { buildTestApp, TEST_TOKENS } from './testing.js';

const ADMIN = { 'x-auth-token': TEST_TOKENS.admin.token };
const MEMBER = { 'x-auth-token': TEST_TOKENS.member.token };
const SYSTEM = { 'x-auth-token': TEST_TOKENS.systemAdmin.token };

describe('role routes', () => {
  let stack: AssignmentTestStack;
  let app: FastifyInstance;

  before(async () => {
    stack = await createAssignmentTestStack();
    stack.resources.addDomain('default', 'Default').addDomain('d1');
    app = await buildTestApp((server) => registerRoleRoutes(server, { policy: testAuthorizer(), roles: stack.roles }));
  });

  after(async () => {
    await app.close();
    await stack.database.close();
  });

  const post = (payload: unknown, headers: Record<string, string> = ADMIN) =>
    app.inject({ method: 'POST', url: '/v3/roles', headers, payload: payload as object });

  describe('CRUD', () => {
    it('creates a role with its extra attributes and returns it with links', async () => {
      const response = await post({ role: { name: 'developer', description: 'writes code', 'x-team': 'core' } });
      assert.equal(response.statusCode, 201);
      const role = response.json().role;
      assert.match(role.id, /^[0-9a-f]{32}$/);
      assert.deepEqual(role, {
        id: role.id, name: 'developer', domain_id: null, description: 'writes code', options: {}, x_team: 'core',
        links: { self: `http://localhost:80/v3/roles/${role.id}` },
      });
      const shown = await app.inject({ method: 'GET', url: `/v3/roles/${role.id}`, headers: ADMIN });
      assert.equal(shown.statusCode, 200);
      assert.deepEqual(shown.json().role, role);
      assert.equal((await app.inject({ method: 'HEAD', url: `/v3/roles/${role.id}`, headers: ADMIN })).statusCode, 200);
    });

    it('answers 409 for a duplicate name among global roles or in one domain', async () => {
      await post({ role: { name: 'dup' } });
      const conflict = await post({ role: { name: 'dup' } });
      assert.equal(conflict.statusCode, 409);
      assert.deepEqual(conflict.json(), { error: { code: 409, title: 'Conflict', message: 'Conflict occurred attempting to store role - Duplicate entry found with name dup.' } });
      assert.equal((await post({ role: { name: 'dup', domain_id: 'd1' } })).statusCode, 201);
      assert.equal((await post({ role: { name: 'dup', domain_id: 'd1' } })).statusCode, 409);
    });

    it('answers 400 for bodies Keystone rejects', async () => {
      for (const payload of [{}, { role: {} }, { role: { name: '' } }, { role: { name: 5 } }, { role: { name: 'a' }, other: 1 },
        { role: { name: 'a', options: { immutable: 'yes' } } }, { role: { name: 'a', options: { other: true } } }, { role: { name: 'a', domain_id: 'bad id' } }]) {
        const response = await post(payload);
        assert.equal(response.statusCode, 400, JSON.stringify(payload));
        assert.equal(response.json().error.code, 400);
      }
      const malformed = await app.inject({ method: 'POST', url: '/v3/roles', headers: { ...ADMIN, 'content-type': 'application/json' }, payload: '{"role": ' });
      assert.equal(malformed.statusCode, 400);
    });

    it('answers 401 without a token and 403 to a project member', async () => {
      assert.equal((await app.inject({ method: 'POST', url: '/v3/roles', payload: { role: { name: 'x' } } })).statusCode, 401);
      const forbidden = await post({ role: { name: 'x' } }, MEMBER);
      assert.equal(forbidden.statusCode, 403);
      assert.equal(forbidden.json().error.title, 'Forbidden');
      assert.equal((await app.inject({ method: 'GET', url: '/v3/roles', headers: MEMBER })).statusCode, 403);
    });

    it('lists global roles unless a domain is named, and filters by name', async () => {
      await post({ role: { name: 'listed' } });
      await post({ role: { name: 'listed', domain_id: 'd1' } });
      const global = (await app.inject({ method: 'GET', url: '/v3/roles?name=listed', headers: ADMIN })).json();
      assert.deepEqual(global.roles.map((r: { domain_id: string | null }) => r.domain_id), [null]);
      assert.equal(global.links.self, 'http://localhost:80/v3/roles?name=listed');
      const inDomain = (await app.inject({ method: 'GET', url: '/v3/roles?domain_id=d1', headers: SYSTEM })).json();
      assert.deepEqual(inDomain.roles.map((r: { name: string }) => r.name).sort(), ['dup', 'listed']);
    });

    it('creates domain-specific roles only in domains that exist', async () => {
      const missing = await post({ role: { name: 'nowhere', domain_id: 'no-such-domain' } });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().error.message, 'Could not find domain: no-such-domain.');
    });

    it('updates, refusing id changes, empty updates and domain moves', async () => {
      const id = (await post({ role: { name: 'editable' } })).json().role.id;
      const patch = (role: unknown) => app.inject({ method: 'PATCH', url: `/v3/roles/${id}`, headers: ADMIN, payload: { role } as object });
      const updated = await patch({ name: 'edited', description: null });
      assert.equal(updated.statusCode, 200);
      assert.equal(updated.json().role.name, 'edited');
      assert.equal((await patch({ id: 'other' })).statusCode, 400);
      assert.equal((await patch({})).statusCode, 400);
      assert.equal((await patch({ domain_id: 'd1' })).statusCode, 400);
      assert.equal((await app.inject({ method: 'PATCH', url: '/v3/roles/missing', headers: ADMIN, payload: { role: { name: 'x' } } })).statusCode, 404);
    });

    it('protects immutable roles', async () => {
      const id = (await post({ role: { name: 'frozen', options: { immutable: true } } })).json().role.id;
      const rename = await app.inject({ method: 'PATCH', url: `/v3/roles/${id}`, headers: ADMIN, payload: { role: { name: 'thawed' } } });
      assert.equal(rename.statusCode, 403);
      assert.equal((await app.inject({ method: 'DELETE', url: `/v3/roles/${id}`, headers: ADMIN })).statusCode, 403);
      const unlock = await app.inject({ method: 'PATCH', url: `/v3/roles/${id}`, headers: ADMIN, payload: { role: { options: { immutable: false } } } });
      assert.deepEqual(unlock.json().role.options, { immutable: false });
    });

    it('deletes, then answers 404', async () => {
      const id = (await post({ role: { name: 'doomed' } })).json().role.id;
      assert.equal((await app.inject({ method: 'DELETE', url: `/v3/roles/${id}`, headers: MEMBER })).statusCode, 403);
      assert.equal((await app.inject({ method: 'DELETE', url: `/v3/roles/${id}`, headers: ADMIN })).statusCode, 204);
      const gone = await app.inject({ method: 'GET', url: `/v3/roles/${id}`, headers: ADMIN });
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().error.message, `Could not find role: ${id}.`);
      assert.equal((await app.inject({ method: 'DELETE', url: `/v3/roles/${id}`, headers: ADMIN })).statusCode, 404);
    });
  });

  describe('implied roles', () => {
    let prior: string;
    let implied: string;
    let admin: string;

    before(async () => {
      prior = (await post({ role: { name: 'manager' } })).json().role.id;
      implied = (await post({ role: { name: 'viewer' } })).json().role.id;
      admin = (await post({ role: { name: 'admin' } })).json().role.id;
    });

    it('creates a rule with 201 and answers 409 the second time', async () => {
      const created = await app.inject({ method: 'PUT', url: `/v3/roles/${prior}/implies/${implied}`, headers: ADMIN });
      assert.equal(created.statusCode, 201);
      assert.deepEqual(created.json(), {
        role_inference: {
          prior_role: { id: prior, links: { self: `http://localhost:80/v3/roles/${prior}` }, name: 'manager' },
          implies: { id: implied, links: { self: `http://localhost:80/v3/roles/${implied}` }, name: 'viewer' },
        },
        links: { self: `http://localhost:80/v3/roles/${prior}/implies/${implied}` },
      });
      assert.equal((await app.inject({ method: 'PUT', url: `/v3/roles/${prior}/implies/${implied}`, headers: ADMIN })).statusCode, 409);
    });

    it('shows, checks and lists rules', async () => {
      const shown = await app.inject({ method: 'GET', url: `/v3/roles/${prior}/implies/${implied}`, headers: ADMIN });
      assert.equal(shown.statusCode, 200);
      assert.equal(shown.json().role_inference.implies.name, 'viewer');
      assert.equal((await app.inject({ method: 'HEAD', url: `/v3/roles/${prior}/implies/${implied}`, headers: ADMIN })).statusCode, 204);
      assert.equal((await app.inject({ method: 'HEAD', url: `/v3/roles/${implied}/implies/${prior}`, headers: ADMIN })).statusCode, 404);
      const list = (await app.inject({ method: 'GET', url: `/v3/roles/${prior}/implies`, headers: ADMIN })).json();
      assert.deepEqual(list.role_inference.implies.map((r: { name: string }) => r.name), ['viewer']);
      assert.equal(list.links.self, `http://localhost:80/v3/roles/${prior}/implies`);
      const all = (await app.inject({ method: 'GET', url: '/v3/role_inferences', headers: SYSTEM })).json();
      assert.deepEqual(all.role_inferences.map((i: { prior_role: { name: string } }) => i.prior_role.name), ['manager']);
    });

    it('refuses prohibited implied roles (403), unknown roles (404) and members (403)', async () => {
      assert.equal((await app.inject({ method: 'PUT', url: `/v3/roles/${prior}/implies/${admin}`, headers: ADMIN })).statusCode, 403);
      const unknown = await app.inject({ method: 'PUT', url: `/v3/roles/${prior}/implies/nope`, headers: ADMIN });
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().error.message, 'Could not find role: nope.');
      assert.equal((await app.inject({ method: 'PUT', url: `/v3/roles/${implied}/implies/${prior}`, headers: MEMBER })).statusCode, 403);
      assert.equal((await app.inject({ method: 'GET', url: '/v3/role_inferences', headers: MEMBER })).statusCode, 403);
    });

    it('deletes a rule, then answers 404', async () => {
      assert.equal((await app.inject({ method: 'DELETE', url: `/v3/roles/${prior}/implies/${implied}`, headers: ADMIN })).statusCode, 204);
      const gone = await app.inject({ method: 'GET', url: `/v3/roles/${prior}/implies/${implied}`, headers: ADMIN });
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().error.message, `${prior} does not imply ${implied}.`);
    });
  });
});
