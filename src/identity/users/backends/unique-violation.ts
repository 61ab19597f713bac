// Recognises a unique-constraint violation from any of the three database drivers, so a
// duplicate name becomes a 409 instead of a 500.

/** True when `error` is SQLite's, PostgreSQL's or MariaDB's duplicate-key error. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    || code === '23505' || code === 'ER_DUP_ENTRY';
}
