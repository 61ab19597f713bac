// `tstack up`: the all-in-one cloud. Starts every implemented service in this process on
// SQLite and the in-process bus, bootstraps on first start (admin, service users, catalog,
// a default image), writes openrc and clouds.yaml, prints "tstack ready" once every service
// answers, and stops cleanly on Ctrl-C.

import { once } from 'node:events';
import type { Config } from '../common/config/index.js';
import { createTransport } from '../common/messaging/index.js';
import { IdentityService } from '../identity/index.js';
import { identityOptions } from '../identity/config.js';
import { ImageService, imageOptions } from '../image/index.js';
import { adminPasswordFor, secretFor } from './secrets.js';
import { writeClientFiles } from './client-files.js';
import { cloudContext, hostUrl } from './cloud-context.js';
import { ensureDefaultImage } from './default-image.js';

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
  const imageConfig = config.group(imageOptions);
  const imageUrl = hostUrl(ctx.publicHost, imageConfig.port);
  const imagePassword = await secretFor(ctx.dataDir, 'glance-password', imageConfig.service_password);

  const transport = createTransport(ctx.cloud.transport_url, { logger: ctx.logger });
  const running: { close(): Promise<void> }[] = [];
  try {
    const identity = await IdentityService.create({ dataDir: ctx.dataDir, config: identityConfig, logger: ctx.logger, transport });
    running.push(identity);
    await identity.bootstrap({ adminUsername: identityConfig.bootstrap_username, adminPassword, publicUrl: identityUrl, regionId: ctx.cloud.region_name });
    await identity.ensureServiceUser(imageConfig.service_username, imagePassword);
    await identity.registerEndpoints({ type: 'image', name: 'glance', url: imageUrl, regionId: ctx.cloud.region_name });
    await identity.listen(ctx.cloud.bind_host);
    await waitUntilAnswering(identityUrl, 30_000);

    const image = await ImageService.create({
      dataDir: ctx.dataDir, logger: ctx.logger, transport,
      config: { ...imageConfig, auth_url: imageConfig.auth_url ?? identityUrl, service_password: imagePassword },
    });
    running.push(image);
    await image.listen(ctx.cloud.bind_host);
    await waitUntilAnswering(imageUrl, 30_000);

    const projectName = identityConfig.admin_project_name;
    await writeClientFiles(ctx.dataDir, { authUrl: identityUrl, username: identityConfig.bootstrap_username, password: adminPassword, projectName, regionName: ctx.cloud.region_name });
    await ensureDefaultImage({ identityUrl, imageUrl, username: identityConfig.bootstrap_username, password: adminPassword, projectName });
    console.log(`tstack ready: identity ${identityUrl}, image ${imageUrl} — credentials in ${ctx.dataDir}/openrc`);
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
    console.log('tstack: stopping');
  } finally {
    for (const service of running.reverse()) await service.close();
    await transport.close();
  }
  return 0;
}
