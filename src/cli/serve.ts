// `tstack serve <service>`: one service alone, as on a multi-host deployment where each host
// runs its own services against a shared PostgreSQL/MariaDB and RabbitMQ.

import { once } from 'node:events';
import type { Config } from '../common/config/index.js';
import { createTransport } from '../common/messaging/index.js';
import { BadRequest } from '../common/errors/index.js';
import { IdentityService } from '../identity/index.js';
import { identityOptions } from '../identity/config.js';
import { cloudContext, hostUrl } from './cloud-context.js';

export async function runServe(config: Config, service: string | undefined): Promise<number> {
  if (service !== 'identity') throw new BadRequest(`unknown service "${service ?? ''}" (implemented: identity)`);
  const ctx = cloudContext(config);
  const identityConfig = config.group(identityOptions);
  const transport = createTransport(ctx.cloud.transport_url, { logger: ctx.logger });
  const identity = await IdentityService.create({ dataDir: ctx.dataDir, config: identityConfig, logger: ctx.logger, transport });
  try {
    await identity.listen(ctx.cloud.bind_host);
    console.log(`tstack serving identity on ${hostUrl(ctx.cloud.bind_host, identityConfig.port)}/v3`);
    await Promise.race([once(process, 'SIGINT'), once(process, 'SIGTERM')]);
  } finally {
    await identity.close();
    await transport.close();
  }
  return 0;
}
