// Option groups: one INI section's options, declared once in code; the loaded values' type
// is inferred from the declaration. Mirrors oslo_config.cfg.OptGroup plus register_opts.

import { ConfigError, InvalidValue } from './errors.js';
import type { AnyOption, OptionValue } from './options.js';

/** The options of one group, by name as written in `tstack.conf`. */
export type OptionMap = Readonly<Record<string, AnyOption>>;

/** A section of `tstack.conf` and the options a module reads from it. */
export interface GroupDefinition<O extends OptionMap = OptionMap> {
  /** Section name: `DEFAULT` or lower snake case such as `fernet_tokens`. */
  readonly name: string;
  /** Options in declaration order, which is also their order in printed files. */
  readonly options: O;
}

/** The frozen values `config.group(definition)` returns, typed from the declaration. */
export type ConfigValues<G extends GroupDefinition> = {
  readonly [K in keyof G['options']]: OptionValue<G['options'][K]>;
};

// Names are limited so that `TSTACK_<GROUP>__<OPTION>` maps back to exactly one option.
const GROUP_NAME = /^(DEFAULT|(?!default$)[a-z][a-z0-9]*(_[a-z0-9]+)*)$/;
const OPTION_NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

/**
 * Declares a group of options. Several modules may declare options in the same section
 * (for example `DEFAULT`) with separate groups, as long as option names do not clash.
 *
 * @throws ConfigError when a name is malformed or a default breaks its own option's rules.
 * @example
 * export const identityOptions = defineGroup('identity', {
 *   port: portOpt({ default: 5000, help: 'TCP port the identity API listens on.' }),
 * });
 */
export function defineGroup<O extends OptionMap>(name: string, options: O): GroupDefinition<O> {
  if (!GROUP_NAME.test(name)) {
    throw new ConfigError({ group: name, problem: 'group names are DEFAULT or lower snake case' });
  }
  for (const [optionName, option] of Object.entries(options)) {
    checkDeclaration(name, optionName, option);
  }
  return Object.freeze({ name, options: Object.freeze({ ...options }) });
}

function checkDeclaration(group: string, option: string, declaration: AnyOption): void {
  if (!OPTION_NAME.test(option)) {
    throw new ConfigError({ group, option, problem: 'option names are lower snake case' });
  }
  if (declaration.default === undefined) return;
  try {
    declaration.accept(declaration.default);
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    throw new ConfigError({ source: 'default', group, option, problem: error.problem }, { cause: error });
  }
}
