// Reading query-string parameters the way each OpenStack service's web framework does.
//
// The one rule: a parameter that may appear several times (`tag`, `sort_key`) is read with
// `values`, every occurrence in order. A single-valued parameter given several times is read
// with `string`, and which occurrence counts is the framework's, chosen ONCE per service by
// the reader it builds: Keystone runs on Flask, whose `request.args.get` takes the FIRST;
// Glance (and Nova, Cinder, Neutron) run on webob, whose `params.get` takes the LAST. Clients
// rarely repeat such parameters, but when they do each service answers as the real one does.

/** Which occurrence of a repeated single-valued parameter counts. */
export type RepeatedParameterRule = 'first' | 'last';

/** Flask (Keystone): `request.args.get(name)` is the first occurrence. */
export const FLASK_QUERY_RULE: RepeatedParameterRule = 'first';
/** webob (Glance and the other WSGI services): `request.params.get(name)` is the last occurrence. */
export const WEBOB_QUERY_RULE: RepeatedParameterRule = 'last';

/** Typed access to a parsed query string (Fastify's `request.query`, arrays for repeats). */
export interface QueryReader {
  /** Which occurrence `string` returns when the parameter is repeated. */
  readonly rule: RepeatedParameterRule;
  /** Every value of `name`, in order; [] when absent. */
  values(query: unknown, name: string): string[];
  /** One value of `name` (first or last occurrence, by `rule`), or undefined when absent. */
  string(query: unknown, name: string): string | undefined;
  /** Whether `name` is present at all, with or without a value. */
  has(query: unknown, name: string): boolean;
}

function raw(query: unknown, name: string): unknown {
  if (typeof query !== 'object' || query === null) return undefined;
  return Object.hasOwn(query, name) ? (query as Record<string, unknown>)[name] : undefined;
}

/** The reader of a service whose framework applies `rule` to repeated parameters. */
export function queryReader(rule: RepeatedParameterRule): QueryReader {
  const values = (query: unknown, name: string): string[] => {
    const value = raw(query, name);
    if (value === undefined) return [];
    return Array.isArray(value) ? value.map(String) : [String(value)];
  };
  return {
    rule,
    values,
    string: (query, name) => {
      const all = values(query, name);
      return rule === 'first' ? all[0] : all[all.length - 1];
    },
    has: (query, name) => raw(query, name) !== undefined,
  };
}
