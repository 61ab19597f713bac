// Checks, before any service starts, that every port a command will listen on is free, so a
// busy port names the service and the option to change instead of failing halfway through.

import { createServer } from 'node:net';
import { environmentVariableName } from '../config/index.js';
import { TstackError } from '../errors/index.js';

/** A port a service cannot listen on; the message says which option moves it. */
export class PortInUse extends TstackError {
  readonly status = 503;
  readonly title = 'Service Unavailable';
  constructor(readonly fields: { readonly service: string; readonly port: number; readonly group: string }, options?: { cause?: unknown }) {
    super(`${fields.service} port ${fields.port} is in use: set [${fields.group}] port or ${environmentVariableName(fields.group, 'port')}`, options);
  }
}

/** One port a command will listen on. */
export interface PlannedPort {
  readonly service: string;
  /** Option group holding the `port` option, usually the service name. */
  readonly group: string;
  readonly port: number;
}

function isFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/**
 * Resolves when every port is free on `host`; port 0 (any free port) is always fine.
 * @throws PortInUse for the first port taken by another process or planned twice.
 */
export async function checkPortsFree(host: string, ports: readonly PlannedPort[]): Promise<void> {
  const seen = new Map<number, PlannedPort>();
  for (const planned of ports) {
    if (planned.port === 0) continue;
    if (seen.has(planned.port) || !(await isFree(host, planned.port))) throw new PortInUse(planned);
    seen.set(planned.port, planned);
  }
}
