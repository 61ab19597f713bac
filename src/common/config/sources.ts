// Reads settings from the three places that can set an option: INI files, TSTACK_* environment
// variables and explicit overrides. Each value is parsed and checked as soon as it is read.

import { readFileSync } from 'node:fs';
import { ConfigError, InvalidValue, formatLocation } from './errors.js';
import type { ConfigLocation } from './errors.js';
import { parseIni } from './ini-parser.js';
import type { DeclaredOption, Section } from './sections.js';
import type { OptionValueType } from './value-types.js';

/** Values set in code, by section then option; strings are parsed as if read from a file. */
export type ConfigOverrides = Readonly<Record<string, Readonly<Record<string, OverrideValue | undefined>>>>;

/** A value in `ConfigOverrides`; `undefined` entries are skipped, which suits optional CLI flags. */
export type OverrideValue = OptionValueType;

/** A setting that no loaded group declares; OpenStack ignores these, so tstack only reports them. */
export interface ConfigWarning extends ConfigLocation {
  readonly source: string;
  readonly group: string;
  readonly option: string;
  /** The whole warning, e.g. `tstack.conf:4 [identity] prot: unknown option, ignored`. */
  readonly message: string;
}

/** One checked value for one declared option. */
export interface Setting {
  readonly declared: DeclaredOption;
  readonly value: OptionValueType;
}

/** What a source yields: settings in precedence order (later wins) and warnings. */
export interface SourceResult {
  readonly settings: readonly Setting[];
  readonly warnings: readonly ConfigWarning[];
}

type Sections = ReadonlyMap<string, Section>;

const ENV_PREFIX = 'TSTACK_';
const ENV_NAME = /^TSTACK_([A-Z0-9_]+?)__([A-Z0-9_]+)$/;

/** Name of the environment variable that sets an option: `TSTACK_FERNET_TOKENS__KEY_REPOSITORY`. */
export function environmentVariableName(group: string, option: string): string {
  return `${ENV_PREFIX}${group.toUpperCase()}__${option.toUpperCase()}`;
}

/** @throws ConfigError when the file cannot be read, has bad syntax or holds a bad value. */
export function readFileSource(path: string, sections: Sections): SourceResult {
  const settings: Setting[] = [];
  const warnings: ConfigWarning[] = [];
  for (const entry of parseIni(readText(path), path)) {
    const location = { source: path, line: entry.line, group: entry.section, option: entry.key };
    const section = sections.get(entry.section);
    const declared = section?.options.get(entry.key);
    if (declared !== undefined) settings.push(check(declared, location, () => declared.option.parse(entry.value)));
    else if (section !== undefined) warnings.push(unknownOption(location));
  }
  return { settings, warnings };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const isMissing = error instanceof Error && 'code' in error && error.code === 'ENOENT';
    const problem = isMissing ? 'config file not found' : `cannot read config file (${String(error)})`;
    throw new ConfigError({ source: path, problem }, { cause: error });
  }
}

/** Upper-case variables named `TSTACK_<GROUP>__<OPTION>`; others, and those of sections not loaded, are ignored. */
export function readEnvironmentSource(env: NodeJS.ProcessEnv, sections: Sections): SourceResult {
  const settings: Setting[] = [];
  const warnings: ConfigWarning[] = [];
  for (const [name, text] of Object.entries(env)) {
    const match = ENV_NAME.exec(name);
    if (match === null || text === undefined) continue;
    const group = match[1] === 'DEFAULT' ? 'DEFAULT' : (match[1] ?? '').toLowerCase();
    const option = (match[2] ?? '').toLowerCase();
    const section = sections.get(group);
    const declared = section?.options.get(option);
    const location = { source: `environment variable ${name}`, group, option };
    if (declared !== undefined) {
      settings.push(check(declared, location, () => declared.option.parse(text)));
    } else if (section !== undefined) {
      warnings.push(unknownOption(location));
    }
  }
  return { settings, warnings };
}

/** @throws ConfigError for an unknown group or option, since overrides come from flags or code. */
export function readOverrideSource(overrides: ConfigOverrides, sections: Sections): SourceResult {
  const settings: Setting[] = [];
  for (const [group, values] of Object.entries(overrides)) {
    const section = sections.get(group);
    if (section === undefined) throw new ConfigError({ source: 'override', group, problem: 'unknown group' });
    for (const [option, value] of Object.entries(values)) {
      const declared = section.options.get(option);
      const location = { source: 'override', group, option };
      if (declared === undefined) throw new ConfigError({ ...location, problem: 'unknown option' });
      if (value === undefined) continue;
      const read = typeof value === 'string' ? () => declared.option.parse(value) : () => declared.option.accept(value);
      settings.push(check(declared, location, read));
    }
  }
  return { settings, warnings: [] };
}

function check(declared: DeclaredOption, location: ConfigLocation, read: () => OptionValueType): Setting {
  try {
    return { declared, value: read() };
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    throw new ConfigError({ ...location, problem: error.problem }, { cause: error });
  }
}

function unknownOption(location: ConfigLocation & { source: string; group: string; option: string }): ConfigWarning {
  const message = `${formatLocation(location)}unknown option, ignored`;
  return Object.freeze({ ...location, message });
}
