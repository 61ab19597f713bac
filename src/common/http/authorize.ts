// Policy checks at the API edge, built once per service from its Enforcer: the named-action
// check every handler makes (with the service's own 403 wording), the authenticate-then-
// authorize step, and `isAdmin` read from the `context_is_admin` rule as oslo.context does.

import type { FastifyRequest } from 'fastify';
import { policyCredentials, requireAuth } from '../auth/index.js';
import type { PolicySubject, RequestContext } from '../auth/index.js';
import type { TstackError } from '../errors/index.js';
import { PolicyNotAuthorized } from '../policy/index.js';
import type { Enforcer } from '../policy/index.js';

/** What a policy rule reads of the object acted on (`%(project_id)s`, `%(target.user.id)s`...). */
export type PolicyTarget = Readonly<Record<string, unknown>>;

/** Decides whether a caller may perform a named action; one per service, handed to its routes. */
export interface Authorizer {
  /** Throws the service's 403 error when `context` may not perform `action` on `target`. */
  authorize(action: string, target: PolicyTarget, context: RequestContext): void;
  /**
   * Whether the caller is an administrator in the service's own sense: the `context_is_admin`
   * rule (oslo.context's `is_admin`), so a policy.yaml override changes it everywhere.
   * @throws PolicyNotRegistered when the service declares no such rule.
   */
  isAdmin(subject: PolicySubject): boolean;
}

export interface AuthorizerOptions {
  /** The service's own error for a denied action (Keystone and Glance word it differently). */
  readonly denied: (action: string, cause: PolicyNotAuthorized) => TstackError;
  /** The rule deciding `isAdmin`. Default `context_is_admin`, as in oslo.context. */
  readonly adminRule?: string;
}

/** The Authorizer of an oslo.policy-style Enforcer: the caller's context becomes its credentials. */
export function createAuthorizer(enforcer: Enforcer, options: AuthorizerOptions): Authorizer {
  const adminRule = options.adminRule ?? 'context_is_admin';
  return {
    authorize: (action, target, context) => {
      try {
        enforcer.authorize(action, target, policyCredentials(context));
      } catch (error) {
        if (error instanceof PolicyNotAuthorized) throw options.denied(action, error);
        throw error;
      }
    },
    isAdmin: (subject) => enforcer.enforce(adminRule, {}, policyCredentials(subject)),
  };
}

/**
 * Authenticates (401 without a valid token) and authorizes (403) one request, returning the
 * caller's context: the first line of most handlers.
 */
export function authorize(policy: Authorizer, request: FastifyRequest, action: string, target: PolicyTarget = {}): RequestContext {
  const context = requireAuth(request);
  policy.authorize(action, target, context);
  return context;
}
