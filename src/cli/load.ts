// Loads tstack.conf for a CLI command: --config FILE (or TSTACK_CONFIG), else
// <data-dir>/tstack.conf when it exists; TSTACK_* variables and flags override it.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadConfig } from '../common/config/index.js';
import type { Config, ConfigOverrides, GroupDefinition } from '../common/config/index.js';
import { cloudOptions } from '../common/cloud-options.js';
import { identityOptions } from '../identity/config.js';
import { imageOptions } from '../image/config.js';

/** Every option group a tstack process knows. */
export const ALL_GROUPS: readonly GroupDefinition[] = [cloudOptions, identityOptions, imageOptions];

export interface CommonFlags {
  readonly config?: string;
  readonly 'data-dir'?: string;
  readonly bind?: string;
}

export function loadCliConfig(flags: CommonFlags): Config {
  const overrides: Record<string, Record<string, string>> = {};
  const defaults: Record<string, string> = {};
  if (flags['data-dir']) defaults.data_dir = resolve(flags['data-dir']);
  if (flags.bind) defaults.bind_host = flags.bind;
  if (Object.keys(defaults).length) overrides.DEFAULT = defaults;
  const explicit = flags.config ?? process.env.TSTACK_CONFIG;
  const files: string[] = [];
  if (explicit) files.push(explicit);
  else {
    const dataDir = flags['data-dir'] ?? process.env.TSTACK_DEFAULT__DATA_DIR ?? '.tstack';
    const candidate = join(dataDir, 'tstack.conf');
    if (existsSync(candidate)) files.push(candidate);
  }
  return loadConfig({ groups: ALL_GROUPS, files, env: process.env, overrides: overrides as ConfigOverrides });
}
