// Generates a commented sample tstack.conf from option declarations: help, type, limits and
// default of every option. Mirrors oslo_config/generator.py (oslo-config-generator).

import type { GroupDefinition } from './group.js';
import type { AnyOption, OptionKind } from './options.js';
import { collectSections } from './sections.js';
import { environmentVariableName } from './sources.js';

const WIDTH = 70;

const TYPE_NAMES: Readonly<Record<OptionKind, string>> = {
  string: 'string value',
  int: 'integer value',
  float: 'floating point value',
  bool: 'boolean value',
  list: 'list value',
  port: 'port value',
};

const HEADER = [
  '# Sample tstack.conf: each option with its help, type and default.',
  '# Remove the leading "#" of an option line to set it. Environment',
  '# variables (named under each option) override this file.',
];

/** The sample text; every option line is commented out, so the file changes nothing as it is. */
export function renderSample(groups: readonly GroupDefinition[]): string {
  const blocks = [...collectSections(groups).values()].map((section) => {
    const options = [...section.options.values()].map(({ name, option }) => renderOption(section.name, name, option));
    return [`[${section.name}]`, ...options].join('\n\n');
  });
  return `${[HEADER.join('\n'), ...blocks].join('\n\n')}\n`;
}

function renderOption(group: string, name: string, option: AnyOption): string {
  const lines = wrap(`${option.help} (${TYPE_NAMES[option.kind]})`);
  if (option.min !== undefined) lines.push(`# Minimum value: ${option.min}`);
  if (option.max !== undefined) lines.push(`# Maximum value: ${option.max}`);
  if (option.choices !== undefined) {
    lines.push(`# ${option.kind === 'list' ? 'Allowed items' : 'Possible values'}: ${option.choices.join(', ')}`);
  }
  if (option.secret) lines.push('# Secret: masked when the configuration is printed.');
  lines.push(`# Environment variable: ${environmentVariableName(group, name)}`);
  const value = option.default === undefined ? '<None>' : option.format(option.default);
  lines.push(`#${name} = ${value}`.trimEnd());
  return lines.join('\n');
}

/** Help text as `# ` lines no wider than WIDTH; blank lines in the help separate paragraphs. */
function wrap(text: string): string[] {
  const paragraphs = text.trim().split(/\n\s*\n/);
  return paragraphs.flatMap((paragraph, index) => {
    const lines = index === 0 ? [] : ['#'];
    let line = '#';
    for (const word of paragraph.split(/\s+/)) {
      if (line.length + 1 + word.length > WIDTH && line !== '#') {
        lines.push(line);
        line = '#';
      }
      line += ` ${word}`;
    }
    lines.push(line);
    return lines;
  });
}
