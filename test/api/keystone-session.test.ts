// KeystoneSession against the real identity service: token reuse, renewal before expiry and
// after a 401, the catalog, and what happens when Keystone refuses or is gone.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceUnavailable } from '../../src/common/errors/index.js';
import { EndpointNotFound, KeystoneSession, ServiceAuthenticationFailed } from '../../src/common/auth/index.js';
import { GLANCE_PASSWORD, startRealIdentity } from '../support/real-identity.js';
import type { RealIdentity } from '../support/real-identity.js';
import type { KeystoneSessionOptions } from '../../src/common/auth/index.js';

/** A fetch that counts the token requests it passes on. */
function countingFetch(): { fetch: typeof fetch; issued: () => number } {
  let issued = 0;
  return {
    fetch: async (input, init) => {
      if (init?.method === 'POST' && String(input).endsWith('/auth/tokens')) issued++;
      return fetch(input, init);
    },
    issued: () => issued,
  };
}

describe('KeystoneSession', () => {
  let keystone: RealIdentity;
  const glance = (extra: Partial<KeystoneSessionOptions> = {}): KeystoneSession => new KeystoneSession({
    authUrl: keystone.authUrl, username: 'glance', password: GLANCE_PASSWORD, projectName: 'service',
    userDomainName: 'Default', projectDomainId: 'default', timeoutMs: 5000, ...extra,
  });

  before(async () => { keystone = await startRealIdentity(); });
  after(async () => { await keystone?.close(); });

  it('gets a project-scoped token once and reuses it', async () => {
    const counter = countingFetch();
    const session = glance({ fetch: counter.fetch });
    const [a, b] = await Promise.all([session.getToken(), session.getToken()]);
    assert.ok(a);
    assert.equal(a, b);
    assert.equal(await session.getToken(), a);
    assert.equal(counter.issued(), 1);
  });

  it('renews the token shortly before it expires', async () => {
    const counter = countingFetch();
    let offset = 0;
    const session = glance({ fetch: counter.fetch, now: () => Date.now() + offset });
    const first = await session.getToken();
    offset = 3600_000 - 60_000;
    const second = await session.getToken();
    assert.notEqual(second, first);
    assert.equal(counter.issued(), 2);
    offset = 0;
    assert.equal(await session.getToken(), second);
  });

  it('renews a rejected token once and resends the request', async () => {
    const counter = countingFetch();
    const session = glance({ fetch: counter.fetch });
    const stale = await session.getToken();
    await keystone.revoke(stale);
    const reply = await session.request(`${keystone.authUrl}/auth/catalog`);
    assert.equal(reply.status, 200);
    assert.notEqual(await session.getToken(), stale);
    assert.equal(counter.issued(), 2);
  });

  it('finds endpoints in the catalog', async () => {
    const session = glance();
    assert.equal(await session.endpointFor('identity'), keystone.authUrl);
    assert.equal(await session.endpointFor('identity', 'internalURL', 'RegionOne'), keystone.authUrl);
    assert.ok((await session.catalog()).some((entry) => entry.type === 'identity' && entry.endpoints.length === 3));
    await assert.rejects(session.endpointFor('image'), EndpointNotFound);
    await assert.rejects(session.endpointFor('identity', 'public', 'RegionTwo'), (error: unknown) => error instanceof EndpointNotFound && error.status === 500);
  });

  it('appends /v3 to an auth URL without it', async () => {
    const session = glance({ authUrl: keystone.authUrl.replace(/\/v3$/, '/') });
    assert.equal(session.authUrl, keystone.authUrl);
    assert.ok(await session.getToken());
  });

  it('fails with 503 ServiceAuthenticationFailed when the password is wrong', async () => {
    await assert.rejects(glance({ password: 'wrong' }).getToken(), (error: unknown) => error instanceof ServiceAuthenticationFailed && error.status === 503);
  });

  it('stops waiting when the caller aborts', async () => {
    const session = glance({ fetch: async (input, init) => { await new Promise((r) => setTimeout(r, 200)); return fetch(input, init); } });
    const controller = new AbortController();
    const pending = session.getToken(controller.signal);
    controller.abort(new Error('caller left'));
    await assert.rejects(pending, /caller left/);
    assert.ok(await session.getToken());
  });

  it('times out a Keystone that does not answer', async () => {
    const session = glance({ timeoutMs: 50, fetch: (_input, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason))) });
    await assert.rejects(session.getToken(), (error: unknown) => error instanceof ServiceUnavailable && /no answer within 50 ms/.test(error.message));
  });

  it('fails with 503 when Keystone is unreachable', async () => {
    const session = glance({ authUrl: 'http://127.0.0.1:1/v3' });
    await assert.rejects(session.getToken(), (error: unknown) => error instanceof ServiceUnavailable && error.status === 503 && /127\.0\.0\.1:1/.test(error.message));
  });
});
