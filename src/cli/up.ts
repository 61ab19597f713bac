// `tstack up`: the all-in-one cloud. Starts every implemented service in this process on
// SQLite and the in-process bus, bootstraps on first start, writes openrc and clouds.yaml,
// prints "tstack ready" once every service answers, and stops cleanly on Ctrl-C.

import { once } from 'node:events';
import type { Config } from '../common/config/index.js';
import { createTransport } from '../common/messaging/index.js';
import { IdentityService } from '../identity/index.js';
import { identityOptions } from '../identity/config.js';
import { adminPasswordFor } from './secrets.js';
import { writeClientFiles } from './client-files.js';
import { cloudContext, hostUrl } from './cloud-context.js';

async function waitUntilAnswering(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (response.status < 500) return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer: ${(error as Error).message}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function runUp(config: Config): Promise<number> {
  const ctx = cloudContext(config);
  const identityConfig = config.group(identityOptions);
  const adminPassword = await adminPasswordFor(ctx.dataDir, identityConfig.bootstrap_password);
  const identityUrl = `${hostUrl(ctx.publicHost, identityConfig.port)}/v3`;

  const transport = createTransport(ctx.cloud.transport_url, { logger: ctx.logger });
  const identity = await IdentityService.create({ dataDir: ctx.dataDir, config: identityConfig, logger: ctx.logger, transport });
  try {
    await identity.bootstrap({ adminUsername: identityConfig.bootstrap_username, adminPassword, publicUrl: identityUrl, regionId: ctx.cloud.region_name });
    await identity.listen(ctx.cloud.bind_host);
    await writeClientFiles(ctx.dataDir, {
      authUrl: identityUrl, username: identityConfig.bootstrap_username, password: adminPassword, projectName: 'admin', regionName: ctx.cloud.region_name,
    });
    await waitUntilAnswering(identityUrl, 30_000);
    console.log(`tstack ready: identity ${identityUrl} — credentials in ${ctx.dataDir}/openrc`);
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    console.log('tstack: stopping');
  } finally {
    await identity.close();
    await transport.close();
  }
  return 0;
}
