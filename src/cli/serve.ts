// `tstack serve <service>`: one service alone, as on a multi-host deployment where each host
// runs its own services against a shared PostgreSQL/MariaDB and RabbitMQ.

import { once } from 'node:events';
import type { Config } from '../common/config/index.js';
import { BadRequest } from '../common/errors/index.js';
import { createTransport } from '../common/messaging/index.js';
import { IdentityService } from '../identity/index.js';
import { identityOptions } from '../identity/config.js';
import { ImageService, imageOptions } from '../image/index.js';
import { cloudContext, hostUrl } from './cloud-context.js';
import type { CloudContext } from './cloud-context.js';

interface Served {
  readonly url: string;
  close(): Promise<void>;
}

async function start(config: Config, ctx: CloudContext, service: string | undefined): Promise<Served> {
  switch (service) {
    case 'identity': {
      const identityConfig = config.group(identityOptions);
      const transport = createTransport(ctx.cloud.transport_url, { logger: ctx.logger });
      const identity = await IdentityService.create({ dataDir: ctx.dataDir, config: identityConfig, logger: ctx.logger, transport });
      await identity.listen(ctx.cloud.bind_host);
      return { url: `${hostUrl(ctx.cloud.bind_host, identityConfig.port)}/v3`, close: async () => { await identity.close(); await transport.close(); } };
    }
    case 'image': {
      const imageConfig = config.group(imageOptions);
      const transport = createTransport(ctx.cloud.transport_url, { logger: ctx.logger });
      const image = await ImageService.create({ dataDir: ctx.dataDir, config: imageConfig, logger: ctx.logger, transport });
      await image.listen(ctx.cloud.bind_host);
      return { url: hostUrl(ctx.cloud.bind_host, imageConfig.port), close: async () => { await image.close(); await transport.close(); } };
    }
  }
  throw new BadRequest(`unknown service "${service ?? ''}" (implemented: identity, image)`);
}

export async function runServe(config: Config, service: string | undefined): Promise<number> {
  const ctx = cloudContext(config);
  const served = await start(config, ctx, service);
  try {
    console.log(`tstack serving ${service} on ${served.url}`);
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  } finally {
    await served.close();
  }
  return 0;
}
