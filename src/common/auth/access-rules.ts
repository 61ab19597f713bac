// Application-credential access rules, enforced in every service as keystonemiddleware's
// auth_token does (_validate_access_rules): a token issued with a credential that lists rules
// may only call the service type, method and path one of its rules names.

/** One rule of an application credential, as Keystone renders it in the token body. */
export interface AccessRule {
  readonly id?: string;
  /** Service type, e.g. `image`, `compute`. */
  readonly service?: string;
  /** Path pattern: `*` (or `{name}`) is one path segment, `**` any number of them. */
  readonly path?: string;
  readonly method?: string;
}

/** The request an access rule is checked against. */
export interface AccessRequest {
  /** Catalog type of the service answering the request. */
  readonly serviceType: string;
  readonly method: string;
  /** Path only, without the query string. */
  readonly path: string;
}

/** keystonemiddleware's _path_matches: `{tag}` and `*` match one segment, `**` any rest. */
function pathPattern(pattern: string): RegExp {
  let source = '';
  for (const token of pattern.matchAll(/(\{[^}]*\})|(\*\*)|(\*)|([^{}*])/g)) {
    if (token[1] !== undefined || token[3] !== undefined) source += '[^/]+';
    else if (token[2] !== undefined) source += '.*';
    else source += token[4]!.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * True when `rules` let `request` through. No rules (an unrestricted credential, or a token
 * not issued with one) allows everything; a rule missing a field matches nothing.
 */
export function accessRulesAllow(rules: readonly AccessRule[] | undefined, request: AccessRequest): boolean {
  if (rules === undefined || rules.length === 0) return true;
  // A restricted token may always be validated (keystonemiddleware's validate_allowed_request).
  if (request.serviceType === 'identity' && request.method === 'GET' && request.path.endsWith('/v3/auth/tokens')) return true;
  return rules.some((rule) => rule.service === request.serviceType
    && rule.method !== undefined && rule.method.toUpperCase() === request.method.toUpperCase()
    && rule.path !== undefined && pathPattern(rule.path).test(request.path));
}
