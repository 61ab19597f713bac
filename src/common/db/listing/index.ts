// Public surface of SQL-side listing: sort keys, keyset (marker) pages and shared filters.
export { afterMarker, completeSort, orderBySort, pageQuery, readMarker } from './keyset.js';
export type { KeysetSpec, MarkerValues, PageRequest, SortColumn, SortDirection, SortKey } from './keyset.js';
export { tagConditions, timeConditions } from './filters.js';
export type { TagFilter, TagTable, TimeFilter, TimeOperator } from './filters.js';
