// Loads tstack.conf for a CLI command: --config FILE (or TSTACK_CONFIG), else
// <data-dir>/tstack.conf when it exists; TSTACK_* variables and flags override it.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../common/config/index.js';
import type { Config, ConfigOverrides, GroupDefinition } from '../common/config/index.js';
import { cloudOptions } from '../common/cloud-options.js';
import type { ServiceList } from '../services.js';

/** Every option group a tstack process knows: [DEFAULT], then each service's. */
export function allGroups(services: ServiceList): readonly GroupDefinition[] {
  return [cloudOptions, ...services.all.map((service) => service.options)];
}

/** The flags the commands share; each command declares the ones it takes. */
export interface CommonFlags {
  readonly config?: string;
  readonly dataDir?: string;
  readonly bind?: string;
  readonly debug?: boolean;
}

export function loadCliConfig(flags: CommonFlags, services: ServiceList, env: NodeJS.ProcessEnv): Config {
  const defaults: Record<string, string> = {};
  if (flags.dataDir) defaults.data_dir = resolve(flags.dataDir);
  if (flags.bind) defaults.bind_host = flags.bind;
  if (flags.debug) defaults.log_level = 'debug';
  const overrides: ConfigOverrides = Object.keys(defaults).length ? { DEFAULT: defaults } : {};
  const explicit = flags.config ?? env.TSTACK_CONFIG;
  const files: string[] = [];
  if (explicit) files.push(explicit);
  else {
    const dataDir = flags.dataDir ?? env.TSTACK_DEFAULT__DATA_DIR ?? '.tstack';
    const candidate = join(dataDir, 'tstack.conf');
    if (existsSync(candidate)) files.push(candidate);
  }
  return loadConfig({ groups: allGroups(services), files, env, overrides });
}
