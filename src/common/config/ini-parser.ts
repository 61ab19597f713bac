// Reads tstack.conf text the way oslo_config/iniparser.py reads OpenStack's: `[section]`,
// `key = value` or `key: value`, whole-line `#`/`;` comments, indented continuation lines.

import { ConfigError } from './errors.js';

/** One `key = value` line (with any continuation lines folded in). */
export interface IniEntry {
  /** Section name; `DEFAULT` is kept, every other name is lowercased as oslo does. */
  readonly section: string;
  readonly key: string;
  /** Trimmed, with one pair of surrounding matching quotes removed; continuation lines joined by `\n`. */
  readonly value: string;
  /** 1-based line of the key. */
  readonly line: number;
}

interface Cursor {
  section: string | undefined;
  entry: { section: string; key: string; lines: string[]; line: number } | undefined;
  readonly entries: IniEntry[];
}

/**
 * Splits INI text into entries, in file order; a key set twice appears twice.
 * Inline comments are not recognised: `a = b # c` sets `a` to `b # c`, as in OpenStack.
 * @param source Named in errors, usually the file path.
 * @throws ConfigError naming the line for a malformed section header, a line that is neither
 *   comment, section nor assignment, a key before any section, or a stray indented line.
 */
export function parseIni(text: string, source: string): IniEntry[] {
  const cursor: Cursor = { section: undefined, entry: undefined, entries: [] };
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => readLine(cursor, raw.trimEnd(), index + 1, source));
  flush(cursor);
  return cursor.entries;
}

function readLine(cursor: Cursor, line: string, lineNumber: number, source: string): void {
  const trimmed = line.trimStart();
  const isComment = trimmed.startsWith('#') || trimmed.startsWith(';');
  if (line === '' || isComment) {
    flush(cursor);
    return;
  }
  if (trimmed !== line) {
    if (cursor.entry === undefined) fail(source, lineNumber, 'indented line does not continue an option');
    cursor.entry.lines.push(trimmed);
    return;
  }
  flush(cursor);
  if (line.startsWith('[')) {
    cursor.section = readSectionName(line, lineNumber, source);
    return;
  }
  readAssignment(cursor, line, lineNumber, source);
}

function readSectionName(line: string, lineNumber: number, source: string): string {
  if (!line.endsWith(']')) fail(source, lineNumber, `section header ${JSON.stringify(line)} has no closing ]`);
  const name = line.slice(1, -1).trim();
  if (name === '') fail(source, lineNumber, 'section header has no name');
  return name === 'DEFAULT' ? name : name.toLowerCase();
}

function readAssignment(cursor: Cursor, line: string, lineNumber: number, source: string): void {
  const equals = line.indexOf('=');
  const colon = line.indexOf(':');
  const split = equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
  if (split < 0) {
    fail(source, lineNumber, `expected "key = value", [section] or a comment, got ${JSON.stringify(line)}`);
  }
  const key = line.slice(0, split).trim();
  if (key === '') fail(source, lineNumber, 'assignment has no key');
  if (cursor.section === undefined) {
    fail(source, lineNumber, `option ${JSON.stringify(key)} comes before any [section]`);
  }
  cursor.entry = { section: cursor.section, key, lines: [line.slice(split + 1).trim()], line: lineNumber };
}

function unquote(value: string): string {
  const first = value[0];
  const isQuoted = value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first);
  return isQuoted ? value.slice(1, -1) : value;
}

function flush(cursor: Cursor): void {
  const entry = cursor.entry;
  if (entry === undefined) return;
  const value = unquote(entry.lines.join('\n'));
  cursor.entries.push({ section: entry.section, key: entry.key, value, line: entry.line });
  cursor.entry = undefined;
}

function fail(source: string, line: number, problem: string): never {
  throw new ConfigError({ source, line, problem });
}
