// Prints the effective configuration as INI text, for `tstack config show`; secrets are masked
// unless asked for. Plays the part of oslo_config's log_opt_values.

import type { Config } from './load-config.js';
import { collectSections } from './sections.js';
import type { DeclaredOption } from './sections.js';

/** How `renderConfig` prints. */
export interface RenderConfigOptions {
  /** Print secret values instead of `****`. Default false. */
  readonly showSecrets?: boolean;
}

/** What a secret option shows instead of its value, as oslo's log_opt_values prints it. */
export const SECRET_MASK = '****';

/**
 * Every loaded option, one section per group name, in declaration order. Options without a value
 * print commented out as `#name = <None>`, so parsing the text (with secrets shown) gives back
 * the same values.
 */
export function renderConfig(config: Config, options: RenderConfigOptions = {}): string {
  const showSecrets = options.showSecrets ?? false;
  const blocks = [...collectSections(config.groups).values()].map((section) => {
    const lines = [...section.options.values()].map((declared) => renderLine(config, declared, showSecrets));
    return [`[${section.name}]`, ...lines].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

function renderLine(config: Config, { definition, name, option }: DeclaredOption, showSecrets: boolean): string {
  const value = config.group(definition)[name];
  if (value === undefined) return `#${name} = <None>`;
  const text = option.secret && !showSecrets ? SECRET_MASK : option.format(value);
  return `${name} = ${text}`.trimEnd();
}
