// `tstack` command line: parse arguments, load configuration, start or manage services.

import { parseArgs } from 'node:util';
import { renderConfig, renderSample } from '../common/config/index.js';
import { BadRequest, isTstackError } from '../common/errors/index.js';
import { generateSamplePolicy } from '../common/policy/index.js';
import { identityPolicies } from '../identity/index.js';
import { ALL_GROUPS, loadCliConfig } from './load.js';
import type { CommonFlags } from './load.js';
import { runUp } from './up.js';
import { runServe } from './serve.js';
import { runManage } from './manage.js';

const USAGE = `usage:
  tstack up [--data-dir DIR] [--bind HOST] [--config FILE]
      start every implemented service in the foreground (SQLite, in-process bus)
  tstack serve <service> [--config FILE]
      run one service alone (multi-host: PostgreSQL/MariaDB + RabbitMQ from the config)
  tstack manage db-sync [service] | fernet-setup | fernet-rotate | bootstrap  [--config FILE] [--data-dir DIR]
  tstack config show [--show-secrets] [--config FILE] [--data-dir DIR]
  tstack config sample
  tstack policy sample <service>
      a commented policy.yaml with every default rule (like oslopolicy-sample-generator)
services: identity, image`;

const OPTIONS = {
  config: { type: 'string' },
  'data-dir': { type: 'string' },
  bind: { type: 'string' },
  'show-secrets': { type: 'boolean' },
  'bootstrap-password': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true });
  } catch (error) {
    console.error(`tstack: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  const flags: CommonFlags = values;
  try {
    switch (command) {
      case 'up':
        return await runUp(loadCliConfig(flags));
      case 'serve':
        return await runServe(loadCliConfig(flags), rest[0]);
      case 'manage':
        return await runManage(loadCliConfig(flags), rest, { bootstrapPassword: values['bootstrap-password'] });
      case 'policy':
        if (rest[0] === 'sample') {
          if (rest[1] !== 'identity') throw new BadRequest(`unknown service "${rest[1] ?? ''}" (implemented: identity)`);
          process.stdout.write(generateSamplePolicy(identityPolicies));
          return 0;
        }
        break;
      case 'config':
        if (rest[0] === 'sample') {
          process.stdout.write(renderSample(ALL_GROUPS));
          return 0;
        }
        if (rest[0] === 'show') {
          process.stdout.write(renderConfig(loadCliConfig(flags), { showSecrets: values['show-secrets'] ?? false }));
          return 0;
        }
        break;
    }
  } catch (error) {
    // Configuration and other expected errors: one clear line, no stack trace.
    if (isTstackError(error)) {
      console.error(`tstack: ${error.message}`);
      return 1;
    }
    throw error;
  }
  console.error(`tstack: unknown command "${[command, ...rest].join(' ')}"\n${USAGE}`);
  return 2;
}
