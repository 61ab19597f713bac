// `tstack manage ...`: the keystone-manage / nova-manage style maintenance commands.

import type { Config } from '../common/config/index.js';
import { BadRequest } from '../common/errors/index.js';
import { InProcessTransport } from '../common/messaging/index.js';
import { identityKeyRepository, identityOptions, rotateIdentityKeys, setupIdentityKeys } from '../identity/index.js';
import { say } from './cli-io.js';
import type { CliIo } from './cli-io.js';
import { adminPasswordFor } from './secrets.js';
import { cloudContext, hostUrl, publicHostOf } from './cloud-context.js';

/** `manage db-sync [service]`: every service's migrations, or one service's. */
export async function runDbSync(config: Config, name: string | undefined, io: CliIo): Promise<number> {
  const ctx = cloudContext(config, io);
  const chosen = io.services.all.filter((service) => name === undefined || service.name === name);
  if (chosen.length === 0) throw new BadRequest(`unknown service "${name}" (services: ${io.services.all.map((s) => s.name).join(', ')})`);
  for (const service of chosen) {
    const applied = await service.syncDatabase(config, ctx.dataDir);
    say(io, `${service.name}: ${applied.length ? `applied ${applied.join(', ')}` : 'database is up to date'}`);
  }
  return 0;
}

export async function runFernetSetup(config: Config, io: CliIo): Promise<number> {
  const ctx = cloudContext(config, io);
  const identityConfig = config.group(identityOptions);
  await setupIdentityKeys(ctx.dataDir, identityConfig);
  say(io, `fernet keys ready in ${identityKeyRepository(ctx.dataDir, identityConfig)}`);
  return 0;
}

export async function runFernetRotate(config: Config, io: CliIo): Promise<number> {
  const ctx = cloudContext(config, io);
  const identityConfig = config.group(identityOptions);
  const result = await rotateIdentityKeys(ctx.dataDir, identityConfig);
  say(io, `fernet keys rotated in ${identityKeyRepository(ctx.dataDir, identityConfig)}: ${JSON.stringify(result)}`);
  return 0;
}

/** `manage bootstrap`: keystone-manage bootstrap, on the configured identity database. */
export async function runBootstrap(config: Config, bootstrapPassword: string | undefined, io: CliIo): Promise<number> {
  const ctx = cloudContext(config, io);
  const identityConfig = config.group(identityOptions);
  const adminPassword = bootstrapPassword ?? await adminPasswordFor(ctx.dataDir, identityConfig.bootstrap_password);
  // A private bus: bootstrap is a maintenance step, its notifications have no listener.
  const transport = new InProcessTransport();
  const identity = await io.services.identity.start(config, { dataDir: ctx.dataDir, logger: ctx.logger, transport });
  try {
    await identity.api.bootstrap({
      adminUsername: identityConfig.bootstrap_username, adminPassword,
      publicUrl: `${hostUrl(publicHostOf(ctx.cloud), identityConfig.port)}${io.services.identity.catalog.pathSuffix}`, regionId: ctx.cloud.region_name,
    });
  } finally {
    await identity.close();
    await transport.close();
  }
  say(io, 'identity: bootstrap done');
  return 0;
}
