// Merges group definitions into INI sections, since several groups may share one section.

import { ConfigError } from './errors.js';
import type { GroupDefinition } from './group.js';
import type { AnyOption } from './options.js';

/** One declared option and the group that declared it. */
export interface DeclaredOption {
  readonly definition: GroupDefinition;
  readonly name: string;
  readonly option: AnyOption;
}

/** One INI section: its options in declaration order, keyed by option name. */
export interface Section {
  readonly name: string;
  readonly options: ReadonlyMap<string, DeclaredOption>;
}

/**
 * `DEFAULT` first, as OpenStack files have it, then sections in order of first appearance;
 * a definition listed twice counts once.
 * @throws ConfigError when two definitions declare the same option in the same section.
 */
export function collectSections(groups: readonly GroupDefinition[]): ReadonlyMap<string, Section> {
  const sections = new Map<string, Map<string, DeclaredOption>>();
  const defaultFirst = [...new Set(groups)].sort((a, b) => Number(b.name === 'DEFAULT') - Number(a.name === 'DEFAULT'));
  for (const definition of defaultFirst) {
    const options = sections.get(definition.name) ?? new Map<string, DeclaredOption>();
    sections.set(definition.name, options);
    for (const [name, option] of Object.entries(definition.options)) {
      if (options.has(name)) {
        throw new ConfigError({ group: definition.name, option: name, problem: 'declared by two groups' });
      }
      options.set(name, { definition, name, option });
    }
  }
  return new Map([...sections].map(([name, options]) => [name, { name, options }]));
}
