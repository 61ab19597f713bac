// What every command that starts or manages services derives from the config: the absolute
// data dir (created), a logger, the public host for catalog URLs.

import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config, ConfigValues } from '../common/config/index.js';
import { cloudOptions } from '../common/cloud-options.js';
import { createLogger } from '../common/log/index.js';
import type { Logger } from '../common/log/index.js';

export interface CloudContext {
  readonly cloud: ConfigValues<typeof cloudOptions>;
  readonly dataDir: string;
  readonly publicHost: string;
  readonly logger: Logger;
}

export function cloudContext(config: Config): CloudContext {
  const cloud = config.group(cloudOptions);
  const dataDir = resolve(cloud.data_dir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logger = createLogger({ service: 'tstack', level: cloud.log_level });
  for (const warning of config.warnings) logger.warn(`${warning.source}: [${warning.group}] ${warning.option}: ${warning.message}`);
  const publicHost = cloud.public_host ?? (cloud.bind_host === '0.0.0.0' || cloud.bind_host === '::' ? '127.0.0.1' : cloud.bind_host);
  return { cloud, dataDir, publicHost, logger };
}

/** `http://host:port` with IPv6 literals bracketed. */
export function hostUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
