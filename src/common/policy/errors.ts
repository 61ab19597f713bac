// Errors raised by policy enforcement and loading. Mirrors the exceptions of
// oslo_policy/policy.py (PolicyNotAuthorized, InvalidScope, PolicyNotRegistered...).

import { Forbidden, TstackError } from '../errors/index.js';
import type { ScopeType } from './credentials.js';

/** A rule denied the request (403). */
export class PolicyNotAuthorized extends Forbidden {
  /** The action that was refused. */
  readonly action: string;

  constructor(fields: { action: string }) {
    super(`Policy doesn't allow ${fields.action} to be performed.`);
    this.action = fields.action;
  }
}

/**
 * The token's scope is not one the rule is meant for (403). Services answer it exactly
 * like PolicyNotAuthorized, as Nova and Keystone do; the scopes are kept for the log.
 */
export class InvalidScope extends PolicyNotAuthorized {
  /** Scopes the rule accepts. */
  readonly scopeTypes: readonly ScopeType[];
  /** Scope of the token that was refused. */
  readonly tokenScope: ScopeType;

  constructor(fields: { action: string; scopeTypes: readonly ScopeType[]; tokenScope: ScopeType }) {
    super({ action: fields.action });
    this.scopeTypes = fields.scopeTypes;
    this.tokenScope = fields.tokenScope;
  }

  /** oslo.policy's wording, for logs. */
  get detail(): string {
    const scopes = this.scopeTypes.join(', ');
    return `${this.action} requires a scope of [${scopes}], request was made with ${this.tokenScope} scope.`;
  }
}

/** Base for programming and deployment errors: the server is at fault (500). */
abstract class PolicyServerError extends TstackError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
}

/** An action was checked that no RuleDefault declares: a programming error. */
export class PolicyNotRegistered extends PolicyServerError {
  /** The unknown action. */
  readonly action: string;

  constructor(fields: { action: string }) {
    super(`Policy ${fields.action} has not been registered`);
    this.action = fields.action;
  }
}

/** Two RuleDefaults share a name. */
export class DuplicatePolicy extends PolicyServerError {
  constructor(fields: { name: string }) {
    super(`Policy ${fields.name} is already registered`);
  }
}

/** A problem found in the rules while building an enforcer. */
export interface PolicyProblem {
  /** The rule with the problem. */
  readonly rule: string;
  /** Where its check string came from. */
  readonly source: 'default' | 'override';
  /** What is wrong, in words, including the check string. */
  readonly message: string;
}

/** Raised instead of denying when an enforcer is built with `strict: true`. */
export class InvalidPolicyDefinition extends PolicyServerError {
  /** Every problem found. */
  readonly problems: readonly PolicyProblem[];

  constructor(fields: { problems: readonly PolicyProblem[] }) {
    super(`Invalid policy rules: ${fields.problems.map((p) => p.message).join('; ')}`);
    this.problems = fields.problems;
  }
}

/** A policy file could not be read or is not a mapping of rule names to check strings. */
export class PolicyFileError extends PolicyServerError {
  /** The file, as given. */
  readonly path: string;

  constructor(fields: { path: string; reason: string }, options?: { cause?: unknown }) {
    super(`Policy file ${fields.path}: ${fields.reason}`, options);
    this.path = fields.path;
  }
}
