// Sorting and marker/limit pagination done in the database with keyset conditions
// (oslo_db/sqlalchemy/utils.py paginate_query), the same on SQLite, PostgreSQL and MariaDB.
// A page starts after the marker row's sort values, so the database seeks to it through an
// index instead of reading and discarding every earlier row as OFFSET (or paging in memory) does.

import { sql } from 'kysely';
import type { Kysely, RawBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import { dialectOf } from '../dialect-of.js';

export type SortDirection = 'asc' | 'desc';

/** One sort key of a list request, e.g. `{ key: 'name', dir: 'asc' }`. */
export interface SortKey<K extends string = string> {
  readonly key: K;
  readonly dir: SortDirection;
}

/** The column behind a sort key. */
export interface SortColumn {
  /** Column reference as written in SQL, qualified when the query joins (`image.created_at`). */
  readonly column: string;
  /**
   * Whether the column may hold NULL. NULL always sorts as the smallest value (first ascending,
   * last descending: SQLite's and MariaDB's order, asked of PostgreSQL explicitly). Leave it
   * false for NOT NULL columns: their conditions stay simple enough for an index range scan.
   */
  readonly nullable?: boolean;
}

/** The sortable keys of one resource list. */
export interface KeysetSpec<K extends string> {
  readonly columns: Readonly<Record<K, SortColumn>>;
  /**
   * Keys appended, in order and with the direction of the first requested key, when the
   * request does not name them. The last must be unique (the id), so the order is total and a
   * marker names exactly one position.
   */
  readonly tieBreakers: readonly K[];
}

/** A marker row's values of each sort key, by key. */
export type MarkerValues<K extends string> = Readonly<Record<K, unknown>>;

/** The request's sort keys followed by the spec's tie-breakers it did not name. */
export function completeSort<K extends string>(spec: KeysetSpec<K>, sort: readonly SortKey<K>[]): SortKey<K>[] {
  const full = [...sort];
  const dir = sort[0]?.dir ?? 'desc';
  for (const key of spec.tieBreakers) if (!full.some((s) => s.key === key)) full.push({ key, dir });
  return full;
}

function columnOf<K extends string>(spec: KeysetSpec<K>, key: K): SortColumn {
  const column = spec.columns[key];
  if (!column) throw new TypeError(`No column for sort key ${key}`);
  return column;
}

/** `value` is past the marker value `marker` in direction `dir`, NULL being the smallest value. */
function after(column: SortColumn, dir: SortDirection, marker: unknown): RawBuilder<SqlBool> | undefined {
  const ref = sql.ref(column.column);
  if (dir === 'asc') return marker === null ? sql<SqlBool>`${ref} is not null` : sql<SqlBool>`${ref} > ${marker}`;
  if (marker === null) return undefined;
  return column.nullable ? sql<SqlBool>`(${ref} < ${marker} or ${ref} is null)` : sql<SqlBool>`${ref} < ${marker}`;
}

function equal(column: SortColumn, marker: unknown): RawBuilder<SqlBool> {
  const ref = sql.ref(column.column);
  return marker === null ? sql<SqlBool>`${ref} is null` : sql<SqlBool>`${ref} = ${marker}`;
}

/**
 * The condition "comes after the marker" for a complete sort:
 * `(k1 > v1) OR (k1 = v1 AND k2 > v2) OR ...`, each comparison turned for its key's direction,
 * plus a redundant bound on the first key (`k1 >= v1`) that lets the database start an index
 * range scan at the marker instead of filtering from the first row.
 */
export function afterMarker<K extends string>(spec: KeysetSpec<K>, sort: readonly SortKey<K>[], marker: MarkerValues<K>): RawBuilder<SqlBool> {
  const branches: RawBuilder<SqlBool>[] = [];
  const equalities: RawBuilder<SqlBool>[] = [];
  for (const { key, dir } of sort) {
    const column = columnOf(spec, key);
    const value = marker[key] ?? null;
    const step = after(column, dir, value);
    if (step) branches.push(sql.join([...equalities, step], sql` and `) as RawBuilder<SqlBool>);
    equalities.push(equal(column, value));
  }
  if (branches.length === 0) return sql<SqlBool>`1 = 0`;
  const condition = sql<SqlBool>`(${sql.join(branches.map((b) => sql`(${b})`), sql` or `)})`;
  const first = sort[0];
  if (!first) return condition;
  const column = columnOf(spec, first.key);
  const value = marker[first.key] ?? null;
  const ref = sql.ref(column.column);
  if (value !== null && (first.dir === 'asc' || !column.nullable)) {
    const bound = first.dir === 'asc' ? sql<SqlBool>`${ref} >= ${value}` : sql<SqlBool>`${ref} <= ${value}`;
    return sql<SqlBool>`${bound} and ${condition}`;
  }
  return condition;
}

/** Adds ORDER BY for a complete sort, with NULL ordered as the smallest value on every dialect. */
export function orderBySort<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>, spec: KeysetSpec<string>, sort: readonly SortKey[], dialect: string,
): SelectQueryBuilder<DB, TB, O> {
  let ordered = query;
  for (const { key, dir } of sort) {
    const column = columnOf(spec, key);
    const ref = sql.ref(column.column);
    // PostgreSQL alone sorts NULL as the largest value; say what the other two do by default.
    // Only nullable columns get the clause, so NOT NULL ones still match a plain index.
    const nulls = dialect === 'postgresql' && column.nullable ? (dir === 'asc' ? sql` nulls first` : sql` nulls last`) : sql``;
    ordered = ordered.orderBy(sql`${ref} ${sql.raw(dir)}${nulls}`);
  }
  return ordered;
}

/**
 * The sort values of the row whose `idKey` is `marker`, read through `scope` (the rows the
 * caller may see, before the request's filters: a marker need not match them, but it must be
 * visible). Undefined when there is no such row; services answer that with a 400.
 */
export async function readMarker<DB, TB extends keyof DB, O, K extends string>(
  scope: SelectQueryBuilder<DB, TB, O>, spec: KeysetSpec<K>, sort: readonly SortKey<K>[], idKey: K, marker: string,
): Promise<MarkerValues<K> | undefined> {
  const selections = sort.map(({ key }, index) => sql.ref(columnOf(spec, key).column).as(`m${index}`));
  const row: Record<string, unknown> | undefined = await scope.clearSelect().select(selections)
    .where(sql<SqlBool>`${sql.ref(columnOf(spec, idKey).column)} = ${marker}`).limit(1).executeTakeFirst();
  if (!row) return undefined;
  return Object.fromEntries(sort.map(({ key }, index) => [key, row[`m${index}`] ?? null])) as Record<K, unknown>;
}

/** What one page needs: a complete sort (see completeSort), a limit and the marker's values. */
export interface PageRequest<K extends string> {
  readonly sort: readonly SortKey<K>[];
  readonly limit: number;
  readonly marker?: MarkerValues<K> | undefined;
}

/**
 * Orders `query` (already filtered), starts it after the marker and cuts it at `limit`.
 * The database reads only the rows of the page when an index covers the first sort keys.
 */
export function pageQuery<DB, TB extends keyof DB, O, K extends string>(
  db: Kysely<DB>, query: SelectQueryBuilder<DB, TB, O>, spec: KeysetSpec<K>, page: PageRequest<K>,
): SelectQueryBuilder<DB, TB, O> {
  let paged = query;
  if (page.marker) paged = paged.where(afterMarker(spec, page.sort, page.marker));
  return orderBySort(paged, spec, page.sort, dialectOf(db)).limit(page.limit);
}
