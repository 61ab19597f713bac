// Builds the effective rules of an enforcer: registered defaults, policy.yaml overrides
// and deprecated rules combined, then checked for broken definitions.
// Mirrors Enforcer.load_rules, _handle_deprecated_rule and check_rules in oslo_policy/policy.py.

import { NEVER, formatCheck, referencedRules, type Check } from './check.js';
import { DuplicatePolicy, type PolicyProblem } from './errors.js';
import { parseRule } from './parser.js';
import type { RuleDefault } from './rule-default.js';

export interface RuleSetInput {
  readonly defaults: readonly RuleDefault[];
  readonly overrides: Readonly<Record<string, string>>;
  readonly enforceNewDefaults: boolean;
}

/** Rules ready to evaluate. Broken rules are present as `!` and listed in `problems`. */
export interface RuleSet {
  readonly rules: ReadonlyMap<string, Check>;
  readonly registered: ReadonlyMap<string, RuleDefault>;
  readonly problems: readonly PolicyProblem[];
}

interface Entry {
  readonly check: Check | undefined;
  readonly source: PolicyProblem['source'];
}

/** @throws DuplicatePolicy when two defaults share a name. */
export function buildRuleSet(input: RuleSetInput): RuleSet {
  const registered = registerDefaults(input.defaults);
  const problems: PolicyProblem[] = [];
  const parse = (rule: string, checkStr: string, source: Entry['source']): Entry => {
    try {
      return { check: parseRule(checkStr), source };
    } catch (error) {
      problems.push({ rule, source, message: `rule ${rule}: ${(error as Error).message}` });
      return { check: undefined, source };
    }
  };

  const overrides = new Map<string, Entry>();
  for (const [name, checkStr] of Object.entries(input.overrides)) {
    overrides.set(name, parse(name, checkStr, 'override'));
  }
  const entries = new Map(overrides);
  for (const rule of registered.values()) {
    if (!overrides.has(rule.name)) entries.set(rule.name, effectiveDefault(rule, overrides, input, parse));
  }
  return { rules: rejectBrokenRules(entries, problems), registered, problems };
}

function registerDefaults(defaults: readonly RuleDefault[]): Map<string, RuleDefault> {
  const registered = new Map<string, RuleDefault>();
  for (const rule of defaults) {
    if (registered.has(rule.name)) throw new DuplicatePolicy({ name: rule.name });
    registered.set(rule.name, rule);
  }
  return registered;
}

/**
 * The check of a default that policy.yaml does not override by name. While old
 * defaults are honoured, the deprecated check string still grants access, and an
 * override written under the old name keeps applying.
 */
function effectiveDefault(
  rule: RuleDefault,
  overrides: ReadonlyMap<string, Entry>,
  input: RuleSetInput,
  parse: (rule: string, checkStr: string, source: Entry['source']) => Entry,
): Entry {
  const current = parse(rule.name, rule.checkStr, 'default');
  const old = rule.deprecatedRule;
  if (old === undefined) return current;
  const deprecated = parse(rule.name, old.checkStr, 'default');
  const oldOverride = old.name === rule.name ? undefined : overrides.get(old.name);
  if (oldOverride !== undefined && !isSameCheck(oldOverride, deprecated) && !isAlias(oldOverride, rule.name)) {
    return oldOverride;
  }
  if (input.enforceNewDefaults || old.checkStr === rule.checkStr) return current;
  if (current.check === undefined || deprecated.check === undefined) return { check: undefined, source: 'default' };
  return { check: { type: 'or', checks: [current.check, deprecated.check] }, source: 'default' };
}

function isSameCheck(a: Entry, b: Entry): boolean {
  return a.check !== undefined && b.check !== undefined && formatCheck(a.check) === formatCheck(b.check);
}

/** `"old_name": "rule:new_name"`, the alias the sample file suggests, is not an override. */
function isAlias(entry: Entry, newName: string): boolean {
  return entry.check?.type === 'rule' && entry.check.name === newName;
}

/**
 * Replaces with `!` every rule that cannot be trusted: unparseable, referring to an
 * undefined rule, part of a reference loop, or depending on such a rule. Denying the
 * whole rule, rather than one leaf, keeps `not rule:typo` from granting access.
 */
function rejectBrokenRules(entries: ReadonlyMap<string, Entry>, problems: PolicyProblem[]): Map<string, Check> {
  const broken = new Set<string>();
  for (const [name, entry] of entries) if (entry.check === undefined) broken.add(name);
  const report = (name: string, message: string): void => {
    broken.add(name);
    problems.push({ rule: name, source: entries.get(name)?.source ?? 'default', message: `rule ${name}: ${message}` });
  };

  const references = new Map<string, string[]>();
  for (const [name, entry] of entries) {
    if (entry.check !== undefined) references.set(name, [...new Set(referencedRules(entry.check))]);
  }
  for (const [name, refs] of references) {
    const missing = refs.filter((ref) => !entries.has(ref));
    if (missing.length > 0) report(name, `refers to undefined rule ${missing.join(', ')}`);
  }
  for (const cycle of findCycles(references)) {
    const loop = [...cycle, cycle[0]].join(' -> ');
    for (const name of cycle) if (!broken.has(name)) report(name, `is part of a reference loop: ${loop}`);
  }
  propagateBroken(references, broken, report);

  const rules = new Map<string, Check>();
  for (const [name, entry] of entries) {
    rules.set(name, broken.has(name) || entry.check === undefined ? NEVER : entry.check);
  }
  return rules;
}

/** Marks rules that depend on a broken rule, until nothing changes. */
function propagateBroken(
  references: ReadonlyMap<string, readonly string[]>,
  broken: ReadonlySet<string>,
  report: (name: string, message: string) => void,
): void {
  let changed = true;
  while (changed) {
    changed = false;
    for (const [name, refs] of references) {
      const bad = broken.has(name) ? undefined : refs.find((ref) => broken.has(ref));
      if (bad === undefined) continue;
      report(name, `depends on rule ${bad}, which is invalid`);
      changed = true;
    }
  }
}

/** Reference loops found by depth-first search; each is listed in reference order. */
function findCycles(references: ReadonlyMap<string, readonly string[]>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (name: string): void => {
    const onPath = path.indexOf(name);
    if (onPath !== -1) {
      cycles.push(path.slice(onPath));
      return;
    }
    if (done.has(name)) return;
    path.push(name);
    for (const ref of references.get(name) ?? []) visit(ref);
    path.pop();
    done.add(name);
  };
  for (const name of references.keys()) visit(name);
  return cycles;
}
