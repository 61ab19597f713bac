// Decides whether a caller may perform an action on a target.
// Mirrors oslo_policy.policy.Enforcer, built from explicit arguments instead of a config object.

import { NEVER } from './check.js';
import { tokenScope, type Credentials } from './credentials.js';
import {
  InvalidPolicyDefinition,
  InvalidScope,
  PolicyNotAuthorized,
  PolicyNotRegistered,
  type PolicyProblem,
} from './errors.js';
import { RuleCycleError, evaluateCheck } from './evaluate.js';
import type { RuleDefault } from './rule-default.js';
import { buildRuleSet, type RuleSet } from './rule-set.js';

export interface EnforcerOptions {
  /** Every rule the service declares in code; `authorize` refuses any other action. */
  readonly defaults: readonly RuleDefault[];
  /**
   * Check strings from the operator's policy.yaml (see `loadPolicyFile`), by rule name.
   * They replace defaults of the same name; other names become extra rules that
   * checks can reference with `rule:name`.
   */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Refuse tokens whose scope is not in a rule's `scopeTypes`. Default true, as in oslo.policy. */
  readonly enforceScope?: boolean;
  /** Ignore the check strings of deprecated rules. Default true, as in oslo.policy. */
  readonly enforceNewDefaults?: boolean;
  /**
   * Throw InvalidPolicyDefinition when any rule is broken instead of denying it.
   * Meant for tests of a service's defaults. Default false.
   */
  readonly strict?: boolean;
}

/** The target of a check: the object acted on, read by `%(key)s` references. */
export type PolicyTarget = object;

export class Enforcer {
  private readonly ruleSet: RuleSet;
  private readonly enforceScope: boolean;

  /**
   * @throws DuplicatePolicy when two defaults share a name.
   * @throws InvalidPolicyDefinition when `strict` is set and a rule is broken.
   */
  constructor(options: EnforcerOptions) {
    this.ruleSet = buildRuleSet({
      defaults: options.defaults,
      overrides: options.overrides ?? {},
      enforceNewDefaults: options.enforceNewDefaults ?? true,
    });
    this.enforceScope = options.enforceScope ?? true;
    if (options.strict === true && this.ruleSet.problems.length > 0) {
      throw new InvalidPolicyDefinition({ problems: this.ruleSet.problems });
    }
  }

  /**
   * Rules that could not be used, found while building: unparseable check strings,
   * references to undefined rules, reference loops. Each such rule denies everything.
   * A service logs these at startup.
   */
  get problems(): readonly PolicyProblem[] {
    return this.ruleSet.problems;
  }

  /**
   * Checks that `creds` may perform `action` on `target`.
   * @throws PolicyNotRegistered when `action` is not a registered default.
   * @throws InvalidScope (a PolicyNotAuthorized) when the token's scope is not one the rule accepts.
   * @throws PolicyNotAuthorized when the rule denies the request.
   */
  authorize(action: string, target: PolicyTarget, creds: Credentials): void {
    const rule = this.registeredRule(action);
    const scopeError = this.scopeError(rule, creds);
    if (scopeError !== undefined) throw scopeError;
    if (!this.check(action, target, creds)) throw new PolicyNotAuthorized({ action });
  }

  /**
   * Like `authorize`, but answers instead of throwing when the request is denied.
   * @throws PolicyNotRegistered when `action` is not a registered default.
   */
  enforce(action: string, target: PolicyTarget, creds: Credentials): boolean {
    const rule = this.registeredRule(action);
    return this.scopeError(rule, creds) === undefined && this.check(action, target, creds);
  }

  private registeredRule(action: string): RuleDefault {
    const rule = this.ruleSet.registered.get(action);
    if (rule === undefined) throw new PolicyNotRegistered({ action });
    return rule;
  }

  private scopeError(rule: RuleDefault, creds: Credentials): InvalidScope | undefined {
    const scopeTypes = rule.scopeTypes;
    if (!this.enforceScope || scopeTypes === undefined || scopeTypes.length === 0) return undefined;
    const scope = tokenScope(creds);
    if (scopeTypes.includes(scope)) return undefined;
    return new InvalidScope({ action: rule.name, scopeTypes, tokenScope: scope });
  }

  private check(action: string, target: PolicyTarget, creds: Credentials): boolean {
    const rules = this.ruleSet.rules;
    // oslo.context calls it system_scope, older rules say system; accept both.
    const withSystem = creds.system_scope ? { ...creds, system: creds.system_scope } : creds;
    try {
      return evaluateCheck(rules.get(action) ?? NEVER, {
        target,
        creds: withSystem,
        resolveRule: (name) => rules.get(name),
      });
    } catch (error) {
      // Loops are rejected while building; this guards the evaluator all the same.
      if (error instanceof RuleCycleError) return false;
      throw error;
    }
  }
}
