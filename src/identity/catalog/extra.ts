// Keystone keeps attributes no schema names ("extra") on regions, services and endpoints,
// with `-` and `:` in their names turned into `_` (ResourceBase._normalize_dict).

import type { ExtraAttributes } from './model.js';

/** The members of `body` not in `known`, names normalized; `id` and `links` are never extra. */
export function extraAttributes(body: Readonly<Record<string, unknown>>, known: readonly string[]): ExtraAttributes {
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const name = key.replace(/[:-]/g, '_');
    if (!known.includes(name) && name !== 'id' && name !== 'links') extra[name] = value;
  }
  return extra;
}
