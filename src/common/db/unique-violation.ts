// Recognises a unique or primary-key violation from any of the three database drivers, so a
// backend can turn a duplicate into a 409 instead of a 500.

/** True when `error` is SQLite's, PostgreSQL's or MariaDB's duplicate-key error. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
    || code === '23505' || code === 'ER_DUP_ENTRY' || errno === 1062;
}
