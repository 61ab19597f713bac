// Evaluates a Check tree against a target and credentials.
// Mirrors the __call__ methods of oslo_policy/_checks.py.

import type { Check } from './check.js';
import type { Credentials } from './credentials.js';
import { ownValue, pythonStr, renderTemplate } from './template.js';

/** What one evaluation needs: the request and a way to resolve `rule:name`. */
export interface EvaluationContext {
  /** The object acted on; `%(key)s` references are read from it. */
  readonly target: object;
  /** The caller. */
  readonly creds: Credentials;
  /** The parsed rule of that name, or undefined when no such rule exists. */
  readonly resolveRule: (name: string) => Check | undefined;
}

/** Thrown when a rule refers back to itself; the caller turns it into a denial. */
export class RuleCycleError extends Error {
  constructor(readonly chain: readonly string[]) {
    super(`rules refer to each other in a loop: ${chain.join(' -> ')}`);
    this.name = 'RuleCycleError';
  }
}

/**
 * True when the check allows the request.
 * @throws RuleCycleError when `rule:` references loop back to a rule being evaluated.
 */
export function evaluateCheck(check: Check, context: EvaluationContext): boolean {
  return evaluate(check, context, []);
}

function evaluate(check: Check, context: EvaluationContext, active: readonly string[]): boolean {
  switch (check.type) {
    case 'always':
      return true;
    case 'never':
      return false;
    case 'not':
      return !evaluate(check.check, context, active);
    case 'and':
      return check.checks.every((inner) => evaluate(inner, context, active));
    case 'or':
      return check.checks.some((inner) => evaluate(inner, context, active));
    case 'rule':
      return evaluateRule(check.name, context, active);
    case 'role':
      return hasRole(context, renderTemplate(check.role, context.target));
    case 'literal': {
      const value = renderTemplate(check.value, context.target);
      return value !== undefined && value === check.literal;
    }
    case 'attribute': {
      const value = renderTemplate(check.value, context.target);
      return value !== undefined && attributeMatches(context.creds, check.path, value);
    }
  }
}

function evaluateRule(name: string, context: EvaluationContext, active: readonly string[]): boolean {
  if (active.includes(name)) throw new RuleCycleError([...active, name]);
  const rule = context.resolveRule(name);
  // A reference to a rule that does not exist fails closed, as in oslo.policy.
  if (rule === undefined) return false;
  return evaluate(rule, context, [...active, name]);
}

function hasRole(context: EvaluationContext, role: string | undefined): boolean {
  const roles: unknown = context.creds.roles;
  if (role === undefined || !Array.isArray(roles)) return false;
  const wanted = role.toLowerCase();
  return roles.some((held) => typeof held === 'string' && held.toLowerCase() === wanted);
}

/**
 * Walks `path` through the credentials and compares the value found with `expected`.
 * A list anywhere on the path matches when any of its elements matches
 * (oslo's GenericCheck._find_in_dict).
 */
function attributeMatches(value: unknown, path: readonly string[], expected: string): boolean {
  const [key, ...rest] = path;
  if (key === undefined) return value !== undefined && pythonStr(value) === expected;
  const next = ownValue(value, key);
  if (Array.isArray(next)) return next.some((element) => attributeMatches(element, rest, expected));
  return next !== undefined && attributeMatches(next, rest, expected);
}
