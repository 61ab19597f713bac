// The parsed form of a policy check string: a small tree of checks.
// Mirrors the classes of oslo_policy/_checks.py (TrueCheck, RoleCheck, GenericCheck...).

import type { Template } from './template.js';

/**
 * One node of a parsed rule. Leaves keep the `kind:match` text they were parsed
 * from so a tree can be printed back the way oslo.policy prints it.
 */
export type Check =
  | { readonly type: 'always' }
  | { readonly type: 'never' }
  | { readonly type: 'not'; readonly check: Check }
  | { readonly type: 'and'; readonly checks: readonly Check[] }
  | { readonly type: 'or'; readonly checks: readonly Check[] }
  /** `rule:name`: evaluate another named rule. */
  | { readonly type: 'rule'; readonly text: string; readonly name: string }
  /** `role:name`: the credential holds this role (case-insensitive). */
  | { readonly type: 'role'; readonly text: string; readonly role: Template }
  /** `a.b.c:value`: the credential attribute at this path equals the value. */
  | { readonly type: 'attribute'; readonly text: string; readonly path: readonly string[]; readonly value: Template }
  /** `'member':%(role.name)s`: a literal on the left equals the value. */
  | { readonly type: 'literal'; readonly text: string; readonly literal: string; readonly value: Template };

export const ALWAYS: Check = { type: 'always' };
export const NEVER: Check = { type: 'never' };

/** Prints a tree the way oslo.policy's `str(check)` does: `@`, `!`, `(a and b)`, `not x`. */
export function formatCheck(check: Check): string {
  switch (check.type) {
    case 'always':
      return '@';
    case 'never':
      return '!';
    case 'not':
      return `not ${formatCheck(check.check)}`;
    case 'and':
    case 'or':
      return `(${check.checks.map(formatCheck).join(` ${check.type} `)})`;
    default:
      return check.text;
  }
}

/** Names of the rules a tree refers to through `rule:name`. */
export function referencedRules(check: Check): string[] {
  switch (check.type) {
    case 'rule':
      return [check.name];
    case 'not':
      return referencedRules(check.check);
    case 'and':
    case 'or':
      return check.checks.flatMap(referencedRules);
    default:
      return [];
  }
}
