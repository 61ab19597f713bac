// An auth request scoped to a trust is refused (trusts are not implemented), never answered with
// a token of another scope.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_PASSWORD, startTwoServices } from './two-services.js';
import type { TwoServices } from './two-services.js';

describe('trust-scoped authentication', () => {
  let services: TwoServices;
  before(async () => { services = await startTwoServices(); });
  after(async () => services?.close());

  it('answers 403 "Trusts are disabled" in Keystone\'s error body and issues no token', async () => {
    const password = { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: ADMIN_PASSWORD } } };
    const reply = await services.call(services.identity.app, 'POST', '/v3/auth/tokens', { body: { auth: { identity: password, scope: { 'OS-TRUST:trust': { id: 'x' } } } } });
    assert.equal(reply.status, 403, reply.text);
    assert.equal(reply.headers['x-subject-token'], undefined);
    const error = (reply.json as { error: { code: number; title: string; message: string } }).error;
    assert.deepEqual({ code: error.code, title: error.title }, { code: 403, title: 'Forbidden' });
    assert.match(error.message, /^Trusts are disabled.*OS-TRUST/);
  });
});
