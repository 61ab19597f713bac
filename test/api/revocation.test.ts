// A token revoked at identity stops working at the image service within a second, though the
// image service caches validated tokens for 60 s: identity's revocation notifications on the bus
// drop the matching cached tokens. In-process (one bus, as `tstack up`) and over RabbitMQ (one
// connection per service, as on two hosts).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { RabbitTransport } from '../../src/common/messaging/index.js';
import { ADMIN_PASSWORD, startTwoServices } from './two-services.js';
import type { TwoServices, TwoServicesOptions } from './two-services.js';

const RABBIT_URL = process.env['TSTACK_TEST_RABBIT_URL'] ?? 'rabbit://guest:guest@127.0.0.1:5672/';

async function rabbitReachable(): Promise<string | undefined> {
  const { hostname, port } = new URL(RABBIT_URL.replace(/^rabbit:/, 'http:'));
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 5672) });
    socket.setTimeout(1000, () => { socket.destroy(); resolve(`RabbitMQ not reachable at ${hostname}:${port}`); });
    socket.on('connect', () => { socket.destroy(); resolve(undefined); });
    socket.on('error', (error) => resolve(`RabbitMQ not reachable at ${hostname}:${port}: ${error.message}`));
  });
}

/** Polls until `status` answers `expected`, for at most `withinMs`; resolves with the time it took. */
async function becomes(status: () => Promise<number>, expected: number, withinMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const got = await status();
    if (got === expected) return Date.now() - start;
    if (Date.now() - start > withinMs) assert.fail(`still ${got} after ${withinMs} ms, expected ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function suite(name: string, skip: string | undefined, transports: () => TwoServicesOptions['transports']): void {
  describe(`token revocation reaches the image service (${name})`, { skip }, () => {
    let services: TwoServices;
    let admin: string;

    async function newUser(userName: string, password: string): Promise<string> {
      const user = await services.call(services.identity.app, 'POST', '/v3/users', { token: admin, body: { user: { name: userName, password, domain_id: 'default' } } });
      assert.equal(user.status, 201, user.text);
      const userId = (user.json as { user: { id: string } }).user.id;
      const project = await services.call(services.identity.app, 'POST', '/v3/projects', { token: admin, body: { project: { name: `${userName}-project`, domain_id: 'default' } } });
      assert.equal(project.status, 201, project.text);
      const projectId = (project.json as { project: { id: string } }).project.id;
      const roles = await services.call(services.identity.app, 'GET', '/v3/roles?name=member', { token: admin });
      const roleId = (roles.json as { roles: { id: string }[] }).roles[0]!.id;
      const grant = await services.call(services.identity.app, 'PUT', `/v3/projects/${projectId}/users/${userId}/roles/${roleId}`, { token: admin });
      assert.equal(grant.status, 204, grant.text);
      return userId;
    }

    const listImages = (token: string) => async () => (await services.call(services.image.app, 'GET', '/v2/images', { token })).status;

    before(async () => {
      const chosen = transports();
      services = await startTwoServices(chosen ? { transports: chosen } : {});
      admin = await services.passwordToken('admin', ADMIN_PASSWORD, 'admin');
    });
    after(async () => {
      await services?.close();
      const chosen = transports();
      await chosen?.identity.close();
      await chosen?.image.close();
    });

    it('a password change ends the old token at the image service within a second', async () => {
      const userId = await newUser('alice', 'old-password');
      const token = await services.passwordToken('alice', 'old-password', 'alice-project');
      assert.equal(await listImages(token)(), 200); // now cached at image for 60 s
      const change = await services.call(services.identity.app, 'POST', `/v3/users/${userId}/password`, {
        body: { user: { original_password: 'old-password', password: 'new-password' } },
      });
      assert.equal(change.status, 204, change.text);
      await becomes(listImages(token), 401, 1000);
      // The user's new token works.
      assert.equal(await listImages(await services.passwordToken('alice', 'new-password', 'alice-project'))(), 200);
    });

    it('a revoked token, a removed grant and a deleted user end cached tokens too', async () => {
      const userId = await newUser('bob', 'bob-password');
      const first = await services.passwordToken('bob', 'bob-password', 'bob-project');
      const second = await services.passwordToken('bob', 'bob-password', 'bob-project');
      assert.equal(await listImages(first)(), 200);
      assert.equal(await listImages(second)(), 200);
      const revoke = await services.call(services.identity.app, 'DELETE', '/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': first } });
      assert.equal(revoke.status, 204);
      await becomes(listImages(first), 401, 1000);
      assert.equal(await listImages(second)(), 200, 'only the revoked token is dropped');

      const projects = await services.call(services.identity.app, 'GET', '/v3/projects?name=bob-project', { token: admin });
      const projectId = (projects.json as { projects: { id: string }[] }).projects[0]!.id;
      const roles = await services.call(services.identity.app, 'GET', '/v3/roles?name=member', { token: admin });
      const roleId = (roles.json as { roles: { id: string }[] }).roles[0]!.id;
      const ungrant = await services.call(services.identity.app, 'DELETE', `/v3/projects/${projectId}/users/${userId}/roles/${roleId}`, { token: admin });
      assert.equal(ungrant.status, 204, ungrant.text);
      await becomes(listImages(second), 401, 1000);

      const carolId = await newUser('carol', 'carol-password');
      const carol = await services.passwordToken('carol', 'carol-password', 'carol-project');
      assert.equal(await listImages(carol)(), 200);
      assert.equal((await services.call(services.identity.app, 'DELETE', `/v3/users/${carolId}`, { token: admin })).status, 204);
      await becomes(listImages(carol), 401, 1000);
      assert.equal(await listImages(admin)(), 200, "other users' tokens stay cached and valid");
    });

    it("disabling a project ends the cached tokens scoped to it, and a domain's every cached token", async () => {
      await newUser('dave', 'dave-password');
      const dave = await services.passwordToken('dave', 'dave-password', 'dave-project');
      assert.equal(await listImages(dave)(), 200);
      const projects = await services.call(services.identity.app, 'GET', '/v3/projects?name=dave-project', { token: admin });
      const projectId = (projects.json as { projects: { id: string }[] }).projects[0]!.id;
      const disable = await services.call(services.identity.app, 'PATCH', `/v3/projects/${projectId}`, { token: admin, body: { project: { enabled: false } } });
      assert.equal(disable.status, 200, disable.text);
      await becomes(listImages(dave), 401, 1000);
      assert.equal(await listImages(admin)(), 200, 'tokens of other projects stay valid');

      const domain = await services.call(services.identity.app, 'POST', '/v3/domains', { token: admin, body: { domain: { name: 'erin-domain' } } });
      assert.equal(domain.status, 201, domain.text);
      const domainId = (domain.json as { domain: { id: string } }).domain.id;
      const erin = await services.call(services.identity.app, 'POST', '/v3/users', { token: admin, body: { user: { name: 'erin', password: 'erin-password', domain_id: domainId } } });
      const erinId = (erin.json as { user: { id: string } }).user.id;
      const project = await services.call(services.identity.app, 'POST', '/v3/projects', { token: admin, body: { project: { name: 'erin-project', domain_id: domainId } } });
      const erinProjectId = (project.json as { project: { id: string } }).project.id;
      const roles = await services.call(services.identity.app, 'GET', '/v3/roles?name=member', { token: admin });
      const roleId = (roles.json as { roles: { id: string }[] }).roles[0]!.id;
      assert.equal((await services.call(services.identity.app, 'PUT', `/v3/projects/${erinProjectId}/users/${erinId}/roles/${roleId}`, { token: admin })).status, 204);
      const issued = await services.call(services.identity.app, 'POST', '/v3/auth/tokens', { body: { auth: {
        identity: { methods: ['password'], password: { user: { id: erinId, password: 'erin-password' } } },
        scope: { project: { id: erinProjectId } },
      } } });
      assert.equal(issued.status, 201, issued.text);
      const erinToken = issued.headers['x-subject-token'];
      assert.equal(typeof erinToken, 'string');
      assert.equal(await listImages(erinToken as string)(), 200);
      const disableDomain = await services.call(services.identity.app, 'PATCH', `/v3/domains/${domainId}`, { token: admin, body: { domain: { enabled: false } } });
      assert.equal(disableDomain.status, 200, disableDomain.text);
      await becomes(listImages(erinToken as string), 401, 1000);
    });
  });
}

suite('in-process bus', undefined, () => undefined);

const rabbitProblem = await rabbitReachable();
let rabbit: { identity: RabbitTransport; image: RabbitTransport } | undefined;
suite('RabbitMQ, one connection per service', rabbitProblem, () => {
  rabbit ??= {
    identity: new RabbitTransport({ url: RABBIT_URL, autoDelete: true, controlExchange: `tstack-test-${process.pid}` }),
    image: new RabbitTransport({ url: RABBIT_URL, autoDelete: true, controlExchange: `tstack-test-${process.pid}` }),
  };
  return rabbit;
});
