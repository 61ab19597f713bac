// `limit` / `marker` pagination and the `next` links OpenStack list responses carry.

import { BadRequest } from '../errors/index.js';

export interface PageRequest {
  readonly limit: number | undefined;
  readonly marker: string | undefined;
}

type Query = Readonly<Record<string, unknown>>;

/** Reads `limit` and `marker`; a limit above `maxLimit` is clamped, as Nova and Glance do. */
export function parsePageRequest(query: Query, maxLimit: number): PageRequest {
  const rawLimit = query.limit;
  let limit: number | undefined;
  if (rawLimit !== undefined) {
    const text = String(rawLimit);
    if (!/^\d+$/.test(text)) throw new BadRequest(`limit must be a non-negative integer, got '${text}'.`);
    limit = Math.min(Number(text), maxLimit);
  }
  const marker = query.marker === undefined ? undefined : String(query.marker);
  return { limit, marker };
}

/**
 * Returns the page of `items` after `marker` (compared with `idOf`), and whether more follow.
 * Throws `markerNotFound()` when the marker names no item, as the services answer 400/404.
 */
export function takePage<T>(items: readonly T[], page: PageRequest, idOf: (item: T) => string, markerNotFound: () => Error): { items: T[]; hasMore: boolean } {
  let start = 0;
  if (page.marker !== undefined) {
    const index = items.findIndex((item) => idOf(item) === page.marker);
    if (index < 0) throw markerNotFound();
    start = index + 1;
  }
  const end = page.limit === undefined ? items.length : start + page.limit;
  return { items: items.slice(start, end), hasMore: end < items.length };
}

/** The URL of the next page: the same query with `marker` set to the last id returned. */
export function nextPageUrl(requestUrl: string, lastId: string): string {
  const url = new URL(requestUrl);
  url.searchParams.set('marker', lastId);
  return url.toString();
}
