// Public surface of tstack's oslo.policy: rule defaults declared in code, policy.yaml
// overrides, the Enforcer, and sample-file generation.

export { Enforcer } from './enforcer.js';
export type { EnforcerOptions, PolicyTarget } from './enforcer.js';
export type { Credentials, ScopeType } from './credentials.js';
export type { RuleDefault, DeprecatedRule, Operation } from './rule-default.js';
export {
  PolicyNotAuthorized,
  InvalidScope,
  PolicyNotRegistered,
  DuplicatePolicy,
  InvalidPolicyDefinition,
  PolicyFileError,
} from './errors.js';
export type { PolicyProblem } from './errors.js';
export { loadPolicyFile, parsePolicyFile } from './policy-file.js';
export { generateSamplePolicy } from './sample-policy.js';
export type { SamplePolicyOptions } from './sample-policy.js';
export {
  ADMIN,
  SERVICE,
  SYSTEM_ADMIN,
  SYSTEM_MEMBER,
  SYSTEM_READER,
  DOMAIN_ADMIN,
  DOMAIN_MEMBER,
  DOMAIN_READER,
  PROJECT_ADMIN,
  PROJECT_MANAGER,
  PROJECT_MEMBER,
  PROJECT_READER,
  OWNER,
  ADMIN_OR_PROJECT_MEMBER,
  ADMIN_OR_PROJECT_READER,
  ADMIN_OR_SYSTEM_READER,
  ADMIN_OR_OWNER,
} from './personas.js';
