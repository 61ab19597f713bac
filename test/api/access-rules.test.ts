// Application-credential access rules are enforced by every service, as keystonemiddleware does:
// a credential restricted to `GET /v2/images` lists images and can do nothing else — not delete
// an image, not call the identity API.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startTwoServices } from './two-services.js';
import type { TwoServices } from './two-services.js';

describe('application credential access rules', () => {
  let services: TwoServices;
  let admin: string;
  let imageId: string;

  async function restrictedToken(name: string, rules: readonly Record<string, string>[]): Promise<string> {
    const me = await services.call(services.identity.app, 'GET', '/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': admin } });
    const userId = (me.json as { token: { user: { id: string } } }).token.user.id;
    const created = await services.call(services.identity.app, 'POST', `/v3/users/${userId}/application_credentials`, {
      token: admin, body: { application_credential: { name, access_rules: rules } },
    });
    assert.equal(created.status, 201, created.text);
    const { id, secret } = (created.json as { application_credential: { id: string; secret: string } }).application_credential;
    return services.issueToken({ identity: { methods: ['application_credential'], application_credential: { id, secret } } });
  }

  before(async () => {
    services = await startTwoServices();
    admin = await services.passwordToken('admin', ADMIN_PASSWORD, 'admin');
    const image = await services.call(services.image.app, 'POST', '/v2/images', { token: admin, body: { name: 'kept', disk_format: 'raw', container_format: 'bare' } });
    assert.equal(image.status, 201, image.text);
    imageId = (image.json as { id: string }).id;
  });
  after(async () => services?.close());

  it('lets a credential restricted to GET /v2/images list images and nothing else', async () => {
    const token = await restrictedToken('list-only', [{ service: 'image', method: 'GET', path: '/v2/images' }]);
    const list = await services.call(services.image.app, 'GET', '/v2/images', { token });
    assert.equal(list.status, 200, list.text);
    assert.ok((list.json as { images: { id: string }[] }).images.some((i) => i.id === imageId));

    const remove = await services.call(services.image.app, 'DELETE', `/v2/images/${imageId}`, { token });
    assert.equal(remove.status, 401, remove.text);
    assert.match(remove.text, /^401 Unauthorized\n\n.*necessary permission/s);
    const show = await services.call(services.image.app, 'GET', `/v2/images/${imageId}`, { token });
    assert.equal(show.status, 401);
    // The image is still there.
    assert.equal((await services.call(services.image.app, 'GET', `/v2/images/${imageId}`, { token: admin })).status, 200);

    const users = await services.call(services.identity.app, 'GET', '/v3/users', { token });
    assert.equal(users.status, 401, users.text);
    assert.equal((users.json as { error: { code: number } }).error.code, 401);
    // As with keystonemiddleware, the token may still validate itself at identity.
    const self = await services.call(services.identity.app, 'GET', '/v3/auth/tokens', { token, headers: { 'x-subject-token': token, 'openstack-identity-access-rules': '1.0' } });
    assert.equal(self.status, 200, self.text);
  });

  it('matches path patterns (* one segment, ** any) and the service type', async () => {
    const token = await restrictedToken('show-and-identity', [
      { service: 'image', method: 'GET', path: '/v2/images/*' },
      { service: 'identity', method: 'GET', path: '/v3/**' },
    ]);
    assert.equal((await services.call(services.image.app, 'GET', `/v2/images/${imageId}`, { token })).status, 200);
    assert.equal((await services.call(services.image.app, 'GET', '/v2/images', { token })).status, 401);
    assert.equal((await services.call(services.image.app, 'GET', `/v2/images/${imageId}/members`, { token })).status, 401);
    assert.equal((await services.call(services.identity.app, 'GET', '/v3/auth/catalog', { token })).status, 200);
    assert.equal((await services.call(services.identity.app, 'POST', '/v3/projects', { token, body: { project: { name: 'nope' } } })).status, 401);
  });

  it('does not restrict an unrestricted credential, and Keystone hides rules from validators that do not enforce them', async () => {
    const open = await restrictedToken('open', []);
    assert.equal((await services.call(services.image.app, 'GET', `/v2/images/${imageId}`, { token: open })).status, 200);
    const restricted = await restrictedToken('hidden', [{ service: 'image', method: 'GET', path: '/v2/images' }]);
    const blind = await services.call(services.identity.app, 'GET', '/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': restricted } });
    assert.equal(blind.status, 404, blind.text);
    const aware = await services.call(services.identity.app, 'GET', '/v3/auth/tokens', { token: admin, headers: { 'x-subject-token': restricted, 'openstack-identity-access-rules': '1.0' } });
    assert.equal(aware.status, 200, aware.text);
    const rules = (aware.json as { token: { application_credential: { access_rules: { service: string; method: string; path: string }[] } } }).token.application_credential.access_rules;
    assert.deepEqual(rules.map(({ service, method, path }) => ({ service, method, path })), [{ service: 'image', method: 'GET', path: '/v2/images' }]);
  });
});
