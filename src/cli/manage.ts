// `tstack manage ...`: the keystone-manage / nova-manage style maintenance commands.

import type { Config } from '../common/config/index.js';
import { BadRequest } from '../common/errors/index.js';
import { IdentityService, identityKeyRepository, rotateIdentityKeys, setupIdentityKeys, syncIdentityDatabase } from '../identity/index.js';
import { identityOptions } from '../identity/config.js';
import { imageOptions, syncImageDatabase } from '../image/index.js';
import { adminPasswordFor } from './secrets.js';
import { cloudContext, hostUrl } from './cloud-context.js';

export async function runManage(config: Config, args: readonly string[], flags: { bootstrapPassword: string | undefined }): Promise<number> {
  const ctx = cloudContext(config);
  const identityConfig = config.group(identityOptions);
  const [action, service] = args;
  switch (action) {
    case 'db-sync': {
      if (service !== undefined && service !== 'identity' && service !== 'image') throw new BadRequest(`unknown service "${service}" (implemented: identity, image)`);
      const syncs = { identity: () => syncIdentityDatabase(ctx.dataDir, identityConfig), image: () => syncImageDatabase(ctx.dataDir, config.group(imageOptions)) };
      for (const name of service ? [service as keyof typeof syncs] : (['identity', 'image'] as const)) {
        const applied = await syncs[name]();
        console.log(`${name}: ${applied.length ? `applied ${applied.join(', ')}` : 'database is up to date'}`);
      }
      return 0;
    }
    case 'fernet-setup':
      await setupIdentityKeys(ctx.dataDir, identityConfig);
      console.log(`fernet keys ready in ${identityKeyRepository(ctx.dataDir, identityConfig)}`);
      return 0;
    case 'fernet-rotate': {
      const result = await rotateIdentityKeys(ctx.dataDir, identityConfig);
      console.log(`fernet keys rotated in ${identityKeyRepository(ctx.dataDir, identityConfig)}: ${JSON.stringify(result)}`);
      return 0;
    }
    case 'bootstrap': {
      const adminPassword = flags.bootstrapPassword ?? await adminPasswordFor(ctx.dataDir, identityConfig.bootstrap_password);
      const identity = await IdentityService.create({ dataDir: ctx.dataDir, config: identityConfig, logger: ctx.logger });
      try {
        await identity.bootstrap({
          adminUsername: identityConfig.bootstrap_username, adminPassword,
          publicUrl: `${hostUrl(ctx.publicHost, identityConfig.port)}/v3`, regionId: ctx.cloud.region_name,
        });
      } finally {
        await identity.close();
      }
      console.log('identity: bootstrap done');
      return 0;
    }
  }
  throw new BadRequest(`unknown manage command "${args.join(' ')}" (db-sync, fernet-setup, fernet-rotate, bootstrap)`);
}
