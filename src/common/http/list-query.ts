// OpenStack's list query conventions, parsed once for every service: `limit` and `marker`,
// `sort_key`/`sort_dir` (Glance v1, Nova, Cinder) and `sort=k1:asc,k2:desc` (Glance v2,
// Neutron's sort_key pairs), `fields=`, `changes-since` (Nova), `created_at=gte:...` time
// filters (Glance, Cinder) and tag filters (`tags`, `tags-any`, `not-tags`, `not-tags-any`,
// Glance's repeated `tag`). Bad values are a 400 (BadRequest), in Glance's wording.

import { BadRequest } from '../errors/index.js';
import type { SortDirection, SortKey, TagFilter, TimeFilter, TimeOperator } from '../db/listing/index.js';

/** Every value of a query parameter, in request order. */
function values(query: unknown, name: string): string[] {
  const value = typeof query === 'object' && query !== null ? (query as Record<string, unknown>)[name] : undefined;
  if (value === undefined) return [];
  return Array.isArray(value) ? value.map(String) : [String(value)];
}

/** A single-valued parameter; when repeated, the last one wins (as webob's `params.get`). */
function single(query: unknown, name: string): string | undefined {
  const all = values(query, name);
  return all[all.length - 1];
}


export interface LimitOptions {
  /** Page size without `limit` (Glance limit_param_default, Nova 1000). */
  readonly default: number;
  /** Largest page whatever `limit` says (Glance api_limit_max, Nova osapi_max_limit). */
  readonly max: number;
}

/** `limit`: a non-negative integer, clamped to `max`. @throws BadRequest otherwise. */
export function parseLimit(query: unknown, options: LimitOptions): number {
  const text = single(query, 'limit');
  if (text === undefined) return Math.min(options.default, options.max);
  if (!/^-?\d+$/.test(text)) throw new BadRequest('limit param must be an integer');
  if (Number(text) < 0) throw new BadRequest('limit param must be positive');
  return Math.min(Number(text), options.max);
}

/** `marker`: the id of the last item of the previous page. Whether it exists is the backend's question. */
export function parseMarker(query: unknown): string | undefined {
  return single(query, 'marker');
}

export interface SortOptions<K extends string> {
  /** Keys a client may sort by. */
  readonly keys: readonly K[];
  /** Sort without any sort parameter, e.g. `[{ key: 'created_at', dir: 'desc' }]`. */
  readonly defaultSort: readonly SortKey<K>[];
  /** Direction of a key given without one; OpenStack's default is 'desc'. */
  readonly defaultDir?: SortDirection;
}

function sortKey<K extends string>(key: string, options: SortOptions<K>): K {
  if (!(options.keys as readonly string[]).includes(key)) {
    throw new BadRequest(`Invalid sort key: ${key}. It must be one of the following: ${options.keys.join(', ')}.`);
  }
  return key as K;
}

function sortDir(dir: string): SortDirection {
  if (dir !== 'asc' && dir !== 'desc') throw new BadRequest(`Invalid sort direction: ${dir}`);
  return dir;
}

/**
 * `sort=k1:asc,k2` or repeated `sort_key`/`sort_dir` (one `sort_dir` applies to every key,
 * several must pair with the keys). Tie-breakers are not added here; see completeSort.
 * @throws BadRequest for an unknown key or direction, or both syntaxes at once.
 */
export function parseSort<K extends string>(query: unknown, options: SortOptions<K>): SortKey<K>[] {
  const defaultDir = options.defaultDir ?? 'desc';
  const sort = single(query, 'sort');
  const keys = values(query, 'sort_key');
  const dirs = values(query, 'sort_dir');
  if (sort !== undefined) {
    if (keys.length || dirs.length) throw new BadRequest('Old and new sorting syntax cannot be combined');
    return sort.split(',').map((part) => {
      const [key = '', dir = defaultDir] = part.trim().split(':');
      return { key: sortKey(key, options), dir: sortDir(dir) };
    });
  }
  if (keys.length === 0) {
    if (dirs.length > 1) throw new BadRequest('Number of sort dirs does not match the number of sort keys');
    return options.defaultSort.map((s) => ({ key: s.key, dir: dirs[0] === undefined ? s.dir : sortDir(dirs[0]) }));
  }
  if (dirs.length > 1 && dirs.length !== keys.length) throw new BadRequest('Number of sort dirs does not match the number of sort keys');
  return keys.map((key, index) => ({ key: sortKey(key, options), dir: sortDir(dirs[index] ?? dirs[0] ?? defaultDir) }));
}

/** `fields=a,b` or repeated `fields` (Neutron): the attributes to return; undefined means all. */
export function parseFields(query: unknown): string[] | undefined {
  const all = values(query, 'fields').flatMap((v) => v.split(',')).map((f) => f.trim()).filter(Boolean);
  return all.length ? [...new Set(all)] : undefined;
}

function parseTime(text: string): Date {
  const value = new Date(text);
  if (!/^\d/.test(text) || Number.isNaN(value.getTime())) throw new BadRequest(`Unable to parse datetime '${text}'.`);
  return value;
}

/** `changes-since=2026-01-01T00:00:00Z` (Nova, Cinder): items updated at or after it. */
export function parseChangesSince(query: unknown): Date | undefined {
  const text = single(query, 'changes-since');
  return text === undefined ? undefined : parseTime(text);
}

const TIME_OPERATORS: readonly TimeOperator[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte'];

/**
 * Every `name=op:time` (or bare `name=time`, meaning eq), e.g. `created_at=gte:2026-01-01T00:00:00Z`;
 * undefined when the parameter is absent. @throws BadRequest for an unknown operator or bad time.
 */
export function parseTimeFilters(query: unknown, name: string): TimeFilter[] | undefined {
  const raw = values(query, name);
  if (raw.length === 0) return undefined;
  return raw.map((text) => {
    const match = /^([a-z]+):(.*)$/.exec(text);
    if (!match) return { op: 'eq', value: parseTime(text) };
    if (!TIME_OPERATORS.includes(match[1] as TimeOperator)) throw new BadRequest(`Invalid operator specified '${match[1]}'.`);
    return { op: match[1] as TimeOperator, value: parseTime(match[2] ?? '') };
  });
}

function commaList(query: unknown, name: string): string[] | undefined {
  const all = values(query, name).flatMap((v) => v.split(',')).map((t) => t.trim()).filter(Boolean);
  return all.length ? all : undefined;
}

/**
 * Tag filters. Style 'tags' (Nova, Neutron, Cinder): `tags`, `tags-any`, `not-tags`,
 * `not-tags-any`, each a comma list. Style 'glance': repeated `tag`, one tag each (commas
 * kept), all required; Glance reads any other parameter as a property filter.
 */
export function parseTagFilter(query: unknown, style: 'tags' | 'glance'): TagFilter {
  if (style === 'glance') {
    const tags = values(query, 'tag');
    return tags.length ? { all: tags } : {};
  }
  const filter: { all?: string[]; any?: string[]; notAll?: string[]; notAny?: string[] } = {};
  const all = commaList(query, 'tags');
  if (all) filter.all = all;
  const any = commaList(query, 'tags-any');
  if (any) filter.any = any;
  const notAll = commaList(query, 'not-tags');
  if (notAll) filter.notAll = notAll;
  const notAny = commaList(query, 'not-tags-any');
  if (notAny) filter.notAny = notAny;
  return filter;
}
