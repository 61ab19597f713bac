// `tstack up` a second time on the same data dir keeps everything: projects, the admin
// password, and tokens issued before the restart (the Fernet keys are kept too).

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openstackJson, skipReason, startCloud } from '../support/cloud.js';
import type { Cloud } from '../support/cloud.js';
import { issueToken, request } from '../support/identity-http.js';

describe('tstack up on an existing data dir', { skip: skipReason() }, () => {
  let dataDir: string | undefined;
  let cloud: Cloud | undefined;
  after(async () => {
    await cloud?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps projects, credentials and tokens across a restart', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tstack-restart-'));
    cloud = await startCloud({ dataDir });
    const created = await openstackJson(cloud.env, ['project', 'create', 'survivor']) as { id: string };
    const admin = { username: cloud.env.OS_USERNAME!, password: cloud.env.OS_PASSWORD!, domainName: 'Default', projectName: 'admin' };
    const token = await issueToken(cloud.authUrl, admin);
    await cloud.stop();

    cloud = await startCloud({ dataDir });
    assert.equal(cloud.env.OS_PASSWORD, admin.password, 'the admin password is kept');
    const shown = await openstackJson(cloud.env, ['project', 'show', 'survivor']) as { id: string };
    assert.equal(shown.id, created.id);
    const projects = await request(`${cloud.authUrl}/projects`, { token });
    assert.equal(projects.status, 200, 'a token issued before the restart still works');
    const catalog = await openstackJson(cloud.env, ['catalog', 'list']) as { Type: string; Endpoints: { url: string }[] }[];
    const identity = catalog.find((entry) => entry.Type === 'identity');
    assert.deepEqual(identity?.Endpoints.map((e) => e.url), Array(3).fill(`http://127.0.0.1:${cloud.port}/v3`), 'the catalog follows the new port');
  });
});
