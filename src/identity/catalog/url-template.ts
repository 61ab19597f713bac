// Endpoint URL templates: `http://host/v2/$(project_id)s` is filled in per token.
// Mirrors format_url and check_endpoint_url of keystone/common/utils.py, which apply Python's
// `%` operator after turning `$(` into `%(`; only the forms real catalogs use are accepted.

import { InvalidEndpointUrl } from './errors.js';

/** The keys Keystone lets an endpoint URL reference. */
export const URL_SUBSTITUTION_KEYS = ['tenant_id', 'project_id', 'user_id', 'compute_host', 'public_endpoint'] as const;

type Piece = { readonly text: string } | { readonly key: string };

/** Splits a template into literal text and `%(key)s` references; undefined when malformed. */
function parse(url: string): Piece[] | undefined {
  const source = url.replaceAll('$(', '%(');
  const pieces: Piece[] = [];
  let literal = '';
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch !== '%') {
      literal += ch;
      continue;
    }
    if (source[i + 1] === '%') {
      literal += '%';
      i++;
      continue;
    }
    const match = /^%\(([^)]*)\)s/.exec(source.slice(i));
    if (!match) return undefined;
    if (literal) pieces.push({ text: literal });
    literal = '';
    pieces.push({ key: match[1] ?? '' });
    i += match[0].length - 1;
  }
  if (literal) pieces.push({ text: literal });
  return pieces;
}

function isAllowedKey(key: string): boolean {
  return (URL_SUBSTITUTION_KEYS as readonly string[]).includes(key);
}

/** Throws InvalidEndpointUrl (400) when `url` is malformed or references an unknown key. */
export function checkEndpointUrl(url: string): void {
  const pieces = parse(url);
  if (!pieces || pieces.some((p) => 'key' in p && !isAllowedKey(p.key))) throw new InvalidEndpointUrl(url);
}

/**
 * Fills in `url` from `values`. Undefined when the URL cannot be used for this token: it is
 * malformed, or it needs a value that is absent (a project id on a domain-scoped token).
 */
export function formatEndpointUrl(url: string, values: Readonly<Partial<Record<string, string>>>): string | undefined {
  const pieces = parse(url);
  if (!pieces) return undefined;
  let result = '';
  for (const piece of pieces) {
    if ('text' in piece) {
      result += piece.text;
      continue;
    }
    const value = isAllowedKey(piece.key) ? values[piece.key] : undefined;
    if (value === undefined) return undefined;
    result += value;
  }
  return result || undefined;
}
