// Typed access to the JSON the `openstack ... -f json` commands print: one object for
// `show`/`create` commands, an array of objects (keyed by column title) for `list` commands.

import assert from 'node:assert/strict';

export type Row = Readonly<Record<string, unknown>>;

function isRow(value: unknown): value is Row {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The output of a show/create command; fails the test when it is not one object. */
export function asRow(value: unknown): Row {
  assert.ok(isRow(value), `expected a JSON object, got ${JSON.stringify(value)}`);
  return value;
}

/** The output of a list command; fails the test when it is not an array of objects. */
export function asRows(value: unknown): Row[] {
  assert.ok(Array.isArray(value) && value.every(isRow), `expected a JSON array of objects, got ${JSON.stringify(value)}`);
  return value;
}

/** A string field of a row; fails the test when it is missing or not a string. */
export function text(row: Row, key: string): string {
  const value = row[key];
  assert.equal(typeof value, 'string', `field "${key}" is not a string in ${JSON.stringify(row)}`);
  return value as string;
}

/** The rows whose `column` equals `value`. */
export function rowsWhere(rows: readonly Row[], column: string, value: unknown): Row[] {
  return rows.filter((row) => row[column] === value);
}

/** The one row whose `column` equals `value`; fails the test when there is not exactly one. */
export function rowWhere(rows: readonly Row[], column: string, value: unknown): Row {
  const found = rowsWhere(rows, column, value);
  assert.equal(found.length, 1, `expected one row with ${column} = ${JSON.stringify(value)} in ${JSON.stringify(rows)}`);
  return found[0] as Row;
}
