// Errors of the flow kit.

import { TstackError } from '../errors/index.js';

/**
 * The flow's abort signal fired before a step started or while a retry waited (503: the
 * operation was cut short, typically because the service is stopping or the client left).
 */
export class FlowAborted extends TstackError {
  readonly status = 503;
  readonly title = 'Service Unavailable';
  constructor(readonly flow: string, readonly step: string, reason: unknown) {
    super(`Flow ${flow} was aborted before step ${step} could complete.`, { cause: reason });
  }
}
