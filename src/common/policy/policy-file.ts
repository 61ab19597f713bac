// Reads an operator's policy.yaml (or policy.json) into overrides for an Enforcer.
// Mirrors oslo_policy.policy.parse_file_contents.

import { readFile } from 'node:fs/promises';
import { EVENT_ID, loadAll, parseEvents } from 'js-yaml';
import { PolicyFileError } from './errors.js';

/**
 * Reads a YAML or JSON policy file.
 * @returns check strings by rule name; `{}` for an empty file.
 * @throws PolicyFileError when the file cannot be read or is not a mapping of names to strings.
 */
export async function loadPolicyFile(path: string): Promise<Record<string, string>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : 'cannot be read';
    throw new PolicyFileError({ path, reason }, { cause: error });
  }
  return parsePolicyFile(text, path);
}

/**
 * Parses the text of a policy file (YAML, of which JSON is a subset).
 * @param source names the text in error messages.
 * @throws PolicyFileError when the text is not a mapping of rule names to check strings.
 */
export function parsePolicyFile(text: string, source = '<policy>'): Record<string, string> {
  const fail = (reason: string, cause?: unknown): PolicyFileError =>
    new PolicyFileError({ path: source, reason }, { cause });
  let documents: unknown[];
  try {
    rejectTags(text, fail);
    documents = loadAll(text);
  } catch (error) {
    if (error instanceof PolicyFileError) throw error;
    throw fail(`invalid YAML: ${(error as Error).message}`, error);
  }
  if (documents.length > 1) throw fail('holds several YAML documents; expected one mapping');
  const data = documents[0];
  if (data === undefined || data === null) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw fail('expected a mapping of rule names to check strings');
  }
  return checkStrings(data as Record<string, unknown>, fail);
}

function checkStrings(
  data: Record<string, unknown>,
  fail: (reason: string) => PolicyFileError,
): Record<string, string> {
  const rules: Record<string, string> = {};
  for (const [name, value] of Object.entries(data)) {
    if (typeof value !== 'string') {
      // oslo.policy reads an empty value as "always allow"; demand an explicit "" instead.
      const got = value === null ? 'nothing' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
      throw fail(`rule "${name}" must be a check string (quote it; "" allows everyone, "!" no one), got ${got}`);
    }
    Object.defineProperty(rules, name, { value, enumerable: true, writable: true, configurable: true });
  }
  return rules;
}

/**
 * Refuses YAML tags. An unquoted `!` (meant as "never") is a tag in YAML and would
 * load as an empty string, which means "always".
 */
function rejectTags(text: string, fail: (reason: string) => PolicyFileError): void {
  for (const event of parseEvents(text, {})) {
    if (event.type !== EVENT_ID.SCALAR && event.type !== EVENT_ID.MAPPING && event.type !== EVENT_ID.SEQUENCE) continue;
    if (event.tagStart === -1) continue;
    const line = text.slice(0, event.tagStart).split('\n').length;
    throw fail(`line ${line}: YAML tags are not allowed (write "!" in quotes for a rule that denies everyone)`);
  }
}
