// Writes a sample policy.yaml documenting every default, like oslopolicy-sample-generator.
// Mirrors _format_rule_default_yaml in oslo_policy/generator.py.

import type { RuleDefault } from './rule-default.js';

export interface SamplePolicyOptions {
  /** Comment out the rules themselves, so the file changes nothing until edited. Default true. */
  readonly commented?: boolean;
}

/** A policy.yaml listing each default with its description, operations and scopes as comments. */
export function generateSamplePolicy(defaults: readonly RuleDefault[], options: SamplePolicyOptions = {}): string {
  const commented = options.commented ?? true;
  return defaults.map((rule) => formatRule(rule, commented)).join('');
}

function formatRule(rule: RuleDefault, commented: boolean): string {
  const lines = [formatHelpText(rule.description)];
  for (const operation of rule.operations ?? []) lines.push(`# ${operation.method}  ${operation.path}`);
  if (rule.scopeTypes !== undefined) lines.push(`# Intended scope(s): ${rule.scopeTypes.join(', ')}`);
  lines.push(`${commented ? '#' : ''}${yamlEntry(rule.name, rule.checkStr)}`, '');
  const old = rule.deprecatedRule;
  if (old !== undefined) {
    lines.push(
      '# DEPRECATED',
      formatHelpText(
        `"${old.name}":"${old.checkStr}" has been deprecated since ${old.deprecatedSince} ` +
          `in favor of "${rule.name}":"${rule.checkStr}".`,
      ),
      formatHelpText(old.deprecatedReason),
    );
    if (old.name !== rule.name) {
      lines.push(
        '# WARNING: the rule was renamed. An override under the old name still applies',
        '# until it is moved; to keep the old name as an alias of the new rule, write:',
        `# ${yamlEntry(old.name, `rule:${rule.name}`)}`,
      );
    }
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}

function yamlEntry(name: string, checkStr: string): string {
  return `${JSON.stringify(name)}: ${JSON.stringify(checkStr)}`;
}

/**
 * Turns a description into comment lines: paragraphs wrapped at 70 columns, indented
 * lines kept verbatim (literal blocks), blank lines kept as `#`.
 */
function formatHelpText(description: string): string {
  const out: string[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    out.push(...wrap(paragraph.join(' '), 70));
    paragraph = [];
  };
  for (const line of description.trim().split('\n')) {
    if (line.trim() === '') {
      flush();
      out.push('#');
    } else if (/^\s/.test(line)) {
      flush();
      out.push(`# ${line.trimEnd()}`);
    } else {
      paragraph.push(line.trimEnd());
    }
  }
  flush();
  return out.length === 0 ? '#' : out.join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && 2 + line.length + 1 + word.length > width) {
      lines.push(`# ${line}`);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(`# ${line}`);
  return lines;
}
