// What every command that starts or manages services derives from the config: the absolute
// data dir (created), a logger, the public host for catalog URLs.

import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Config, ConfigValues } from '../common/config/index.js';
import { cloudOptions } from '../common/cloud-options.js';
import { LOG_FORMATS, createLogger } from '../common/log/index.js';
import type { LogFormat, Logger } from '../common/log/index.js';
import type { CliIo } from './cli-io.js';

export interface CloudContext {
  readonly cloud: ConfigValues<typeof cloudOptions>;
  readonly dataDir: string;
  readonly publicHost: string;
  readonly logger: Logger;
}

function logFormat(value: string): LogFormat {
  return LOG_FORMATS.find((format) => format === value) ?? 'auto';
}

export function cloudContext(config: Config, io: Pick<CliIo, 'stderr'>): CloudContext {
  const cloud = config.group(cloudOptions);
  const dataDir = resolve(cloud.data_dir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const logger = createLogger({ service: 'tstack', level: cloud.log_level, format: logFormat(cloud.log_format), destination: io.stderr });
  for (const warning of config.warnings) logger.warn(`${warning.source}: [${warning.group}] ${warning.option}: ${warning.message}`);
  return { cloud, dataDir, publicHost: publicHostOf(cloud), logger };
}

/** The host put in catalog URLs: public_host, else bind_host (127.0.0.1 for a wildcard bind). */
export function publicHostOf(cloud: ConfigValues<typeof cloudOptions>): string {
  return cloud.public_host ?? (cloud.bind_host === '0.0.0.0' || cloud.bind_host === '::' ? '127.0.0.1' : cloud.bind_host);
}

/** `http://host:port` with IPv6 literals bracketed. */
export function hostUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
