// The image service schedules the removal of expired tasks: once the service listens, finished
// tasks past their time to live are deleted at the interval [image] sets.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RequestContext } from '../common/auth/index.js';
import { loadConfig } from '../common/config/index.js';
import { Unauthorized } from '../common/errors/index.js';
import { createLogger } from '../common/log/index.js';
import { InProcessTransport } from '../common/messaging/index.js';
import { startService } from '../common/service/index.js';
import { imageOptions } from './config.js';
import { imageService } from './service.js';

const owner: RequestContext = {
  requestId: 'req-1', authToken: 't', userId: 'u1', userName: 'u', userDomainId: 'default', userDomainName: 'Default',
  projectId: 'p1', roles: ['member'], isAdminProject: false, auditIds: [], expiresAt: new Date(Date.now() + 3600_000),
};

describe('image periodic tasks', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tstack-taskclean-'));
  const transport = new InProcessTransport();
  after(async () => { await transport.close(); rmSync(dataDir, { recursive: true, force: true }); });

  it('deletes tasks past their time to live once listening', async () => {
    let now = new Date('2026-12-01T00:00:00Z');
    const config = loadConfig({ groups: [imageOptions], overrides: { image: { port: 0, task_cleanup_interval: 600 } } }).group(imageOptions);
    const running = await startService(imageService, {
      config, dataDir, transport, logger: createLogger({ service: 'image', level: 'silent' }), clock: () => now,
      validator: { validate: async () => { throw new Unauthorized(); } }, periodic: { random: () => 0 },
    });
    try {
      assert.deepEqual(running.periodic.tasks.map((t) => [t.name, t.intervalSeconds]), [['delete-expired-tasks', 600], ['reconcile-interrupted-uploads', 60]]);
      const { tasks } = running.api;
      const finished = await tasks.create(owner, { type: 'import', input: {} });
      await tasks.start(finished.id);
      await tasks.succeed(finished.id, {});
      const pending = await tasks.create(owner, { type: 'import', input: {} });

      now = new Date(now.getTime() + 49 * 3600 * 1000);
      await running.listen('127.0.0.1');
      const deadline = Date.now() + 5000;
      while ((await tasks.list(owner, {})).length > 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.deepEqual((await tasks.list(owner, {})).map((t) => t.id), [pending.id], 'the finished task is gone, the pending one kept');
    } finally {
      await running.close();
    }
  });
});
