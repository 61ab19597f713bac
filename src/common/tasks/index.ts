// Public surface of the flow kit (TaskFlow's linear flow): ordered steps with revert and retry.
export { LinearFlow } from './linear-flow.js';
export type { FlowLogger, FlowRunOptions, FlowStep, RetryPolicy, WithResult } from './linear-flow.js';
export { FlowAborted } from './errors.js';
export { FlowFailed, flowFailureOf } from './flow-failure.js';
export type { FlowFailure, RevertFailure } from './flow-failure.js';
