// Structured JSON logs (pino). Each HTTP request's child logger carries its request id,
// so a line can be traced from the API edge down to a driver.

import { pino } from 'pino';
import type { Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** Service name stamped on every line (`identity`, `compute`...). */
  readonly service: string;
  /** pino level; 'silent' for tests. */
  readonly level?: string;
  /** Where lines go; standard error by default so stdout stays for the CLI's own output. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions): Logger {
  return pino(
    { name: options.service, level: options.level ?? 'info', redact: ['req.headers["x-auth-token"]', 'req.headers["x-subject-token"]', '*.password'] },
    options.destination ?? process.stderr,
  );
}
