// Builds the frozen configuration a process runs with: defaults < files < environment < overrides.
// Mirrors oslo_config.cfg.ConfigOpts, without its global CONF object.

import { ConfigError } from './errors.js';
import type { ConfigValues, GroupDefinition } from './group.js';
import { collectSections } from './sections.js';
import { readEnvironmentSource, readFileSource, readOverrideSource } from './sources.js';
import type { ConfigOverrides, ConfigWarning, SourceResult } from './sources.js';
import type { OptionValueType } from './value-types.js';

/** What `loadConfig` reads. */
export interface LoadConfigOptions {
  /** Every group the process reads; sections of other groups in the files are skipped. */
  readonly groups: readonly GroupDefinition[];
  /** INI files read in order, a later file winning; each must exist. */
  readonly files?: readonly string[];
  /** Usually `process.env`; `TSTACK_<GROUP>__<OPTION>` variables beat files. Omitted: none are read. */
  readonly env?: NodeJS.ProcessEnv;
  /** Values from CLI flags or tests, beating everything; unknown groups or options are errors. */
  readonly overrides?: ConfigOverrides;
}

/** The loaded configuration: frozen, and handed down as the groups each module needs. */
export interface Config {
  /**
   * The frozen values of one group, typed from its declaration.
   * @throws ConfigError when the definition was not among `groups` given to `loadConfig`.
   */
  group<G extends GroupDefinition>(definition: G): ConfigValues<G>;
  /** The groups loaded, in the order given. */
  readonly groups: readonly GroupDefinition[];
  /** The files read, in order. */
  readonly files: readonly string[];
  /** Settings in files or the environment that no loaded option of their section declares. */
  readonly warnings: readonly ConfigWarning[];
}

type GroupValues = Readonly<Record<string, OptionValueType | undefined>>;

/**
 * Reads and checks every source once, synchronously, as a process starts.
 * @throws ConfigError naming the file (and line), variable or override, the section and the
 *   option, for a missing file, bad syntax, a value of the wrong type, out of range or not
 *   among the choices; also for groups that declare the same option twice.
 * @example
 * const config = loadConfig({ files: ['/etc/tstack/tstack.conf'], env: process.env, groups: [identityOptions] });
 * const { port } = config.group(identityOptions);
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const sections = collectSections(options.groups);
  const files = Object.freeze([...(options.files ?? [])]);
  const sources: SourceResult[] = files.map((path) => readFileSource(path, sections));
  if (options.env !== undefined) sources.push(readEnvironmentSource(options.env, sections));
  if (options.overrides !== undefined) sources.push(readOverrideSource(options.overrides, sections));

  const groups = Object.freeze([...new Set(options.groups)]);
  const values = resolveValues(groups, sources);
  return Object.freeze({
    group<G extends GroupDefinition>(definition: G): ConfigValues<G> {
      const found = values.get(definition);
      if (found === undefined) {
        throw new ConfigError({ group: definition.name, problem: 'group was not passed to loadConfig' });
      }
      return found as ConfigValues<G>;
    },
    groups,
    files,
    warnings: Object.freeze(sources.flatMap((source) => source.warnings)),
  });
}

function resolveValues(
  groups: readonly GroupDefinition[],
  sources: readonly SourceResult[],
): Map<GroupDefinition, GroupValues> {
  const chosen = new Map<string, OptionValueType>();
  for (const { declared, value } of sources.flatMap((source) => source.settings)) {
    chosen.set(`${declared.definition.name}.${declared.name}`, value);
  }
  const values = new Map<GroupDefinition, GroupValues>();
  for (const definition of groups) {
    const group: Record<string, OptionValueType | undefined> = {};
    for (const [name, option] of Object.entries(definition.options)) {
      const key = `${definition.name}.${name}`;
      group[name] = chosen.has(key) ? chosen.get(key) : option.default;
    }
    values.set(definition, Object.freeze(group));
  }
  return values;
}
