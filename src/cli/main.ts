// `tstack` command line (commander): one subcommand per job, each with its own --help listing
// its flags, their defaults and the environment variables that override them. Services come
// from the list in src/services.ts, so a new service shows up in every command.

import { Argument, Command, CommanderError } from 'commander';
import { cloudOptions } from '../common/cloud-options.js';
import { environmentVariableName, renderConfig, renderSample } from '../common/config/index.js';
import type { GroupDefinition } from '../common/config/index.js';
import { isTstackError } from '../common/errors/index.js';
import { generateSamplePolicy } from '../common/policy/index.js';
import { processIo } from './cli-io.js';
import type { CliIo } from './cli-io.js';
import { allGroups, loadCliConfig } from './load.js';
import type { CommonFlags } from './load.js';
import { runBootstrap, runDbSync, runFernetRotate, runFernetSetup } from './manage.js';
import { runServe } from './serve.js';
import { runUp } from './up.js';

function defaultOf(group: GroupDefinition, option: string): string {
  const value = group.options[option]?.default;
  return value === undefined ? '(unset)' : String(value);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) => `  ${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('   ')}`.trimEnd()).join('\n');
}

function setting(group: string, option: string): string {
  return `${environmentVariableName(group, option)}, [${group}] ${option}`;
}

const CONFIG_HELP = `tstack.conf to read (default: DATA_DIR/tstack.conf when it exists; env TSTACK_CONFIG)`;

function dataDirHelp(): string {
  return `data directory: SQLite databases, Fernet keys, credentials (default: ${defaultOf(cloudOptions, 'data_dir')}; env ${setting('DEFAULT', 'data_dir')})`;
}

function bindHelp(): string {
  return `address the APIs listen on (default: ${defaultOf(cloudOptions, 'bind_host')}; env ${setting('DEFAULT', 'bind_host')})`;
}

const DEBUG_HELP = `log at debug level, one line per API request included (same as [DEFAULT] log_level = debug, env TSTACK_DEFAULT__LOG_LEVEL=debug)`;

function portsHelp(io: CliIo, names?: readonly string[]): string {
  const rows = io.services.all
    .filter((service) => names === undefined || names.includes(service.name))
    .map((service) => [service.name, defaultOf(service.options, 'port'), environmentVariableName(service.options.name, 'port'), `[${service.options.name}] port`]);
  return `\nPorts (service, default, environment override, tstack.conf option):\n${table(rows)}\n`;
}

const PRECEDENCE_HELP = `
Flags beat TSTACK_<SECTION>__<OPTION> environment variables, which beat tstack.conf, which
beats the defaults; \`tstack config sample\` lists every option.
Logs go to standard error: readable text on a terminal, JSON lines otherwise
([DEFAULT] log_format = auto|text|json, env TSTACK_DEFAULT__LOG_FORMAT).`;

interface Outcome {
  code: number;
}

function flagsOf(options: { config?: string; dataDir?: string; bind?: string; debug?: boolean }): CommonFlags {
  return options;
}

function buildProgram(io: CliIo, outcome: Outcome): Command {
  const serviceNames = io.services.all.map((service) => service.name);
  const withPolicies = io.services.all.filter((service) => service.policies.length > 0).map((service) => service.name);
  const config = (flags: CommonFlags) => loadCliConfig(flags, io.services, io.env);
  const program = new Command('tstack')
    .description('OpenStack rebuilt in TypeScript: start a cloud, run one service, or manage one.')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showSuggestionAfterError(true);

  program.command('up')
    .description('start every service in the foreground (SQLite, in-process bus); a second start on the same data dir keeps all data')
    .option('--data-dir <dir>', dataDirHelp())
    .option('--bind <host>', bindHelp())
    .option('--config <file>', CONFIG_HELP)
    .option('--debug', DEBUG_HELP)
    .addHelpText('after', `${portsHelp(io)}${PRECEDENCE_HELP}`)
    .action(async (options: CommonFlags) => {
      outcome.code = await runUp(config(flagsOf(options)), io);
    });

  program.command('serve')
    .description('run one service alone (multi-host: PostgreSQL/MariaDB and RabbitMQ from the config)')
    .addArgument(new Argument('<service>', 'service to run').choices(serviceNames))
    .option('--config <file>', CONFIG_HELP)
    .option('--data-dir <dir>', dataDirHelp())
    .option('--bind <host>', bindHelp())
    .option('--debug', DEBUG_HELP)
    .addHelpText('after', `${portsHelp(io)}
A service other than identity validates tokens with the identity service: set its auth_url
and service_password (e.g. [image] auth_url = http://keystone:5000/v3).
Database: [<service>] connection = postgresql://... or mysql://...; bus: [DEFAULT] transport_url = rabbit://...
${PRECEDENCE_HELP}`)
    .action(async (service: string, options: CommonFlags) => {
      outcome.code = await runServe(config(flagsOf(options)), service, io);
    });

  const manage = program.command('manage').description('maintenance: database migrations, Fernet keys, bootstrap (keystone-manage, glance-manage)');
  manage.command('db-sync')
    .description('apply pending database migrations of every service, or of one')
    .addArgument(new Argument('[service]', 'only this service').choices(serviceNames))
    .option('--config <file>', CONFIG_HELP)
    .option('--data-dir <dir>', dataDirHelp())
    .addHelpText('after', `\nDatabases: [<service>] connection (env TSTACK_<SERVICE>__CONNECTION); default SQLite <service>.db in the data dir.`)
    .action(async (service: string | undefined, options: CommonFlags) => {
      outcome.code = await runDbSync(config(flagsOf(options)), service, io);
    });
  manage.command('fernet-setup')
    .description('create the Fernet key repository of the identity service')
    .option('--config <file>', CONFIG_HELP)
    .option('--data-dir <dir>', dataDirHelp())
    .addHelpText('after', `\nKeys: [identity] key_repository (env ${environmentVariableName('identity', 'key_repository')}); default DATA_DIR/fernet-keys.`)
    .action(async (options: CommonFlags) => {
      outcome.code = await runFernetSetup(config(flagsOf(options)), io);
    });
  manage.command('fernet-rotate')
    .description('rotate the Fernet keys: stage a new key, promote the staged one, drop the oldest')
    .option('--config <file>', CONFIG_HELP)
    .option('--data-dir <dir>', dataDirHelp())
    .addHelpText('after', `\nKeys: [identity] key_repository (env ${environmentVariableName('identity', 'key_repository')}), max_active_keys (default 3).`)
    .action(async (options: CommonFlags) => {
      outcome.code = await runFernetRotate(config(flagsOf(options)), io);
    });
  manage.command('bootstrap')
    .description('admin user, projects, roles and the identity endpoint, like keystone-manage bootstrap')
    .option('--bootstrap-password <password>', `admin password (default: [identity] bootstrap_password, env ${environmentVariableName('identity', 'bootstrap_password')}, else generated into DATA_DIR/admin-password)`)
    .option('--config <file>', CONFIG_HELP)
    .option('--data-dir <dir>', dataDirHelp())
    .action(async (options: CommonFlags & { bootstrapPassword?: string }) => {
      outcome.code = await runBootstrap(config(flagsOf(options)), options.bootstrapPassword, io);
    });

  const configCommand = program.command('config').description('print the effective configuration or a sample tstack.conf');
  configCommand.command('show')
    .description('the effective configuration (files, environment and flags applied); secrets masked')
    .option('--show-secrets', 'print passwords and connection URLs in clear')
    .option('--config <file>', CONFIG_HELP)
    .option('--data-dir <dir>', dataDirHelp())
    .action((options: CommonFlags & { showSecrets?: boolean }) => {
      io.stdout.write(renderConfig(config(flagsOf(options)), { showSecrets: options.showSecrets ?? false }));
    });
  configCommand.command('sample')
    .description('a commented tstack.conf with every option of every service, its default and help')
    .action(() => {
      io.stdout.write(renderSample(allGroups(io.services)));
    });

  program.command('policy').description('policy files')
    .command('sample')
    .description('a commented policy.yaml with every default rule of a service (like oslopolicy-sample-generator)')
    .addArgument(new Argument('<service>', 'service whose rules to print').choices(withPolicies))
    .addHelpText('after', `\nPoint [<service>] policy_file at a file of overrides.`)
    .action((name: string) => {
      const service = io.services.all.find((candidate) => candidate.name === name);
      io.stdout.write(generateSamplePolicy(service?.policies ?? []));
    });

  // One plain line per usage error, naming the help to read.
  const quiet = (command: Command): void => {
    command.configureOutput({ outputError: () => {} }).helpCommand(false);
    command.commands.forEach(quiet);
  };
  quiet(program);
  return program;
}

function commandPath(program: Command, argv: readonly string[]): string {
  const words: string[] = [program.name()];
  let command = program;
  for (const word of argv) {
    const next = command.commands.find((candidate) => candidate.name() === word);
    if (!next) break;
    words.push(word);
    command = next;
  }
  return words.join(' ');
}

/** Runs `tstack ARGV`; resolves with the exit code (0 done, 1 failed, 2 usage error). */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const outcome: Outcome = { code: 0 };
  const program = buildProgram(io, outcome);
  if (argv.length === 0) {
    io.stderr.write(program.helpInformation());
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return outcome.code;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.help' || error.code === 'commander.version') return error.exitCode === 0 ? 0 : 2;
      const message = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
      io.stderr.write(`tstack: ${message} (see ${commandPath(program, argv)} --help)\n`);
      return 2;
    }
    // Configuration and other expected errors: one clear line, no stack trace.
    if (isTstackError(error)) {
      io.stderr.write(`tstack: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
