// `tstack serve <service>`: one service alone, as on a multi-host deployment where each host
// runs its own services against a shared PostgreSQL/MariaDB and RabbitMQ.

import type { Config } from '../common/config/index.js';
import { BadRequest } from '../common/errors/index.js';
import { createTransport } from '../common/messaging/index.js';
import { say } from './cli-io.js';
import type { CliIo } from './cli-io.js';
import { cloudContext, hostUrl } from './cloud-context.js';
import { checkServicePorts } from './up.js';

export async function runServe(config: Config, name: string, io: CliIo): Promise<number> {
  const service = io.services.all.find((candidate) => candidate.name === name);
  if (!service) throw new BadRequest(`unknown service "${name}" (services: ${io.services.all.map((s) => s.name).join(', ')})`);
  await checkServicePorts(config, [service]);
  const ctx = cloudContext(config, io);
  const transport = createTransport(ctx.cloud.transport_url, { logger: ctx.logger });
  try {
    const running = await service.start(config, { dataDir: ctx.dataDir, logger: ctx.logger, transport, progress: (message) => say(io, `${name}: ${message}`) });
    try {
      await running.listen(ctx.cloud.bind_host);
      say(io, `tstack serving ${name} on ${hostUrl(ctx.cloud.bind_host, service.settings(config, ctx.dataDir).port)}${service.catalog.pathSuffix}`);
      await io.waitForStop();
    } finally {
      await running.close();
    }
  } finally {
    await transport.close();
  }
  return 0;
}
