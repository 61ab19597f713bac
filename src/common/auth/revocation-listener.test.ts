// Revocation notifications drop exactly the cached tokens they cover; without a bus the cache
// keeps working on its TTL.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InProcessTransport, Notifier, RabbitTransport } from '../messaging/index.js';
import { TokenCache } from './auth-hook.js';
import type { ValidatedToken } from './context.js';
import { REVOCATION_EVENT_TYPES, RevocationListener, revokedBy } from './revocation-listener.js';

function validated(userId: string, projectId: string, auditIds: string[]): ValidatedToken {
  return { userId, userName: userId, userDomainId: 'default', userDomainName: 'Default', projectId, roles: ['member'], isAdminProject: false, auditIds, expiresAt: new Date(Date.now() + 3_600_000) };
}

function filled(): TokenCache {
  const cache = new TokenCache(60_000);
  cache.set('a1', validated('alice', 'p1', ['audit-a1']));
  cache.set('a2', validated('alice', 'p2', ['audit-a2', 'audit-a1']));
  cache.set('b1', validated('bob', 'p1', ['audit-b1']));
  return cache;
}

const present = (cache: TokenCache) => ['a1', 'a2', 'b1'].filter((t) => cache.get(t) !== undefined);

describe('revocation of cached tokens', () => {
  it('drops by user, project, audit chain, and all on events that name too little', () => {
    const types = REVOCATION_EVENT_TYPES;
    const cases: [string, unknown, string[]][] = [
      [types.revokeEvent, { user_id: 'alice' }, ['b1']],
      [types.revokeEvent, { project_id: 'p1' }, ['a2']],
      [types.revokeEvent, { user_id: 'alice', project_id: 'p1' }, ['a2', 'b1']],
      [types.revokeEvent, { audit_id: 'audit-a1' }, ['b1']],
      [types.revokeEvent, {}, []],
      [types.userDeleted, { resource_info: 'bob' }, ['a1', 'a2']],
      [types.projectDeleted, { resource_info: 'p2' }, ['a1', 'b1']],
      [types.roleAssignmentDeleted, { role: 'r', user: 'bob', project: 'p1' }, ['a1', 'a2']],
      [types.roleAssignmentDeleted, { role: 'r', group: 'g', project: 'p1' }, []],
      [types.roleDeleted, { resource_info: 'r' }, []],
      [types.userDeleted, 'garbage', []],
    ];
    for (const [eventType, payload, left] of cases) {
      const cache = filled();
      const revoked = revokedBy({ eventType, payload });
      assert.ok(revoked, eventType);
      cache.drop(revoked);
      assert.deepEqual(present(cache), left, `${eventType} ${JSON.stringify(payload)}`);
    }
    assert.equal(revokedBy({ eventType: 'identity.user.created', payload: { resource_info: 'x' } }), undefined);
  });

  it('hears identity on the bus', async () => {
    const transport = new InProcessTransport();
    const cache = filled();
    const listener = new RevocationListener({ transport, cache });
    await listener.start();
    try {
      await new Notifier({ transport, publisherId: 'identity' }).info(REVOCATION_EVENT_TYPES.revokeEvent, { audit_id: 'audit-b1' });
      for (let i = 0; i < 50 && present(cache).includes('b1'); i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(present(cache), ['a1', 'a2']);
    } finally {
      await listener.stop();
      await transport.close();
    }
  });

  it('starts without a bus, leaving the cache to its TTL', async () => {
    const transport = new RabbitTransport({ url: 'rabbit://guest:guest@127.0.0.1:1/', connectTimeoutMs: 500, ioTimeoutMs: 500 });
    const warnings: string[] = [];
    const logger = { debug: () => {}, info: () => {}, error: () => {}, warn: (_fields: object, message: string) => { warnings.push(message); } };
    const cache = filled();
    const listener = new RevocationListener({ transport, cache, logger });
    try {
      await listener.start();
      assert.match(warnings.join('\n'), /revoked tokens stay cached until their TTL ends/);
      assert.deepEqual(present(cache), ['a1', 'a2', 'b1']);
    } finally {
      await listener.stop();
      await transport.close();
    }
  });
});
