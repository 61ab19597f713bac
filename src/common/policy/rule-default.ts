// A policy rule declared in code by a service (its policies.ts), with what operators
// need to know to override it. Mirrors oslo_policy.policy.RuleDefault / DocumentedRuleDefault.

import type { ScopeType } from './credentials.js';

/** One API call a rule guards, for documentation and the sample policy file. */
export interface Operation {
  /** URL template, e.g. `/v3/users/{user_id}`. */
  readonly path: string;
  /** HTTP method, e.g. `GET`. */
  readonly method: string;
}

/** The rule a default replaced, kept so upgrades do not break existing overrides. */
export interface DeprecatedRule {
  /** The old name; may equal the new rule's name when only the check string changed. */
  readonly name: string;
  /** The old check string. */
  readonly checkStr: string;
  /** Why it changed, shown to operators. */
  readonly deprecatedReason: string;
  /** Release it was deprecated in. */
  readonly deprecatedSince: string;
}

/** A named rule with its default check string. */
export interface RuleDefault {
  /** Action name, e.g. `identity:get_user` or `os_compute_api:servers:delete`. */
  readonly name: string;
  /** Default check string in the oslo.policy language (`''` means always allowed). */
  readonly checkStr: string;
  /** What the rule guards, for operators; rendered as comments in the sample file. */
  readonly description: string;
  /** API calls guarded by the rule. Absent for base rules only referenced by others. */
  readonly operations?: readonly Operation[];
  /**
   * Token scopes the action is meant for. With scope enforcement on, a token of any
   * other scope is refused before the check string is evaluated. Absent: any scope.
   */
  readonly scopeTypes?: readonly ScopeType[];
  /**
   * The rule this one replaces. Until `enforceNewDefaults` is set, the old check
   * string still grants access, and an override under the old name still applies.
   */
  readonly deprecatedRule?: DeprecatedRule;
}
