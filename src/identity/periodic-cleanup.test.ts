// The identity service schedules the pruning of revocation events: once the service listens,
// events no token can match any more are removed at the interval [identity] sets.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../common/config/index.js';
import { openDatabase } from '../common/db/index.js';
import { createLogger } from '../common/log/index.js';
import { InProcessTransport } from '../common/messaging/index.js';
import { startService } from '../common/service/index.js';
import { identityOptions } from './config.js';
import type { RevokeTables } from './revoke/index.js';
import { identityService } from './service.js';

describe('identity periodic tasks', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tstack-prune-'));
  const transport = new InProcessTransport();
  after(async () => { await transport.close(); rmSync(dataDir, { recursive: true, force: true }); });

  it('prunes expired revocation events once listening', async () => {
    let now = new Date('2026-12-01T00:00:00Z');
    const config = loadConfig({ groups: [identityOptions], overrides: { identity: { port: 0, password_hash_cost: 10, revocation_prune_interval: 3600 } } }).group(identityOptions);
    const running = await startService(identityService, {
      config, dataDir, transport, logger: createLogger({ service: 'identity', level: 'silent' }), clock: () => now, periodic: { random: () => 0 },
    });
    const reader = openDatabase<RevokeTables>(`sqlite:///${join(dataDir, 'identity.db')}`);
    const count = async (): Promise<number> => (await reader.db.selectFrom('revocation_event').select('id').execute()).length;
    try {
      assert.deepEqual(running.periodic.tasks.map((t) => [t.name, t.intervalSeconds]), [['prune-revocation-events', 3600]]);
      await running.api.bootstrap({ adminUsername: 'admin', adminPassword: 'pw', publicUrl: 'http://127.0.0.1:5000/v3', regionId: 'RegionOne' });
      const { identity } = running.api.managers;
      const user = await identity.ensureUser({ name: 'leaver', domainId: 'default', password: 'pw' });
      await identity.deleteUser(user.id);
      assert.equal(await count(), 1, 'deleting a user records a revocation event');

      // Past twice (token_expiration + allow_expired_window) no token can match the event.
      now = new Date(now.getTime() + 10 * 24 * 3600 * 1000);
      await running.listen('127.0.0.1');
      const deadline = Date.now() + 5000;
      while ((await count()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(await count(), 0, 'the periodic task pruned it');
    } finally {
      await reader.close();
      await running.close();
    }
  });
});
