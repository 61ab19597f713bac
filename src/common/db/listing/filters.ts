// SQL conditions for the list filters OpenStack services share: tag filters as EXISTS
// sub-queries on a resource's tag table (neutron/db/standard_attr + tag plugin, nova's
// tags filters, Glance's repeated `tag`), and `created_at=gte:...` / `changes-since` time filters.

import { sql } from 'kysely';
import type { RawBuilder, SqlBool } from 'kysely';

/** Tag filters; each list empty or absent means "no condition". */
export interface TagFilter {
  /** Every one of these tags is present (`tags=a,b`, Glance's repeated `tag`). */
  readonly all?: readonly string[];
  /** At least one of these is present (`tags-any`). */
  readonly any?: readonly string[];
  /** Not every one of these is present (`not-tags`). */
  readonly notAll?: readonly string[];
  /** None of these is present (`not-tags-any`). */
  readonly notAny?: readonly string[];
}

/** Where a resource keeps its tags: one row per (resource, tag). */
export interface TagTable {
  /** Tag table name, e.g. `image_tag`. */
  readonly table: string;
  /** Its column naming the resource, e.g. `image_id`. */
  readonly resourceColumn: string;
  /** Its column holding the tag, e.g. `value`. */
  readonly valueColumn: string;
  /** The resource's id column in the outer query, qualified, e.g. `image.id`. */
  readonly idColumn: string;
}

function hasTags(table: TagTable, tags: readonly string[]): RawBuilder<SqlBool> {
  const values = sql.join(tags.map((tag) => sql`${tag}`));
  return sql<SqlBool>`exists (select 1 from ${sql.table(table.table)} as t where t.${sql.ref(table.resourceColumn)} = ${sql.ref(table.idColumn)} and t.${sql.ref(table.valueColumn)} in (${values}))`;
}

function hasEvery(table: TagTable, tags: readonly string[]): RawBuilder<SqlBool> {
  // One EXISTS per tag: each is a primary-key lookup on (resource, tag).
  return sql.join([...new Set(tags)].map((tag) => hasTags(table, [tag])), sql` and `) as RawBuilder<SqlBool>;
}

/** The conditions of `filter` on resources of the outer query; [] when it asks nothing. */
export function tagConditions(table: TagTable, filter: TagFilter): RawBuilder<SqlBool>[] {
  const conditions: RawBuilder<SqlBool>[] = [];
  if (filter.all?.length) conditions.push(sql<SqlBool>`(${hasEvery(table, filter.all)})`);
  if (filter.any?.length) conditions.push(hasTags(table, filter.any));
  if (filter.notAll?.length) conditions.push(sql<SqlBool>`not (${hasEvery(table, filter.notAll)})`);
  if (filter.notAny?.length) conditions.push(sql<SqlBool>`not ${hasTags(table, filter.notAny)}`);
  return conditions;
}

export type TimeOperator = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte';

/** `created_at=gte:2026-01-01T00:00:00Z`: compare a timestamp with `value`. */
export interface TimeFilter {
  readonly op: TimeOperator;
  readonly value: Date;
}

const OPERATORS: Readonly<Record<TimeOperator, string>> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/**
 * Conditions comparing `column` with each filter. `toColumnValue` turns a Date into the
 * column's stored form (e.g. ISO 8601 text, which sorts as time on every dialect).
 */
export function timeConditions(column: string, filters: readonly TimeFilter[], toColumnValue: (time: Date) => unknown): RawBuilder<SqlBool>[] {
  return filters.map(({ op, value }) => sql<SqlBool>`${sql.ref(column)} ${sql.raw(OPERATORS[op])} ${toColumnValue(value)}`);
}
