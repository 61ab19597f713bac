// Structured logs (pino). Each HTTP request's child logger carries its request id, so a line
// can be traced from the API edge down to a driver. JSON for machines (files, journald, log
// shippers), one readable line per event on a terminal.

import { pino } from 'pino';
import type { Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';

export type { Logger };

/** `auto`: text when the destination is a terminal, JSON otherwise. */
export const LOG_FORMATS = ['auto', 'text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  /** Service name stamped on every line (`identity`, `compute`...). */
  readonly service: string;
  /** pino level; 'silent' for tests. */
  readonly level?: string;
  /** Line format; default `auto`. */
  readonly format?: LogFormat;
  /** Where lines go; standard error by default so stdout stays for the CLI's own output. */
  readonly destination?: NodeJS.WritableStream;
}

/** The format `auto` stands for on `destination`: text on a terminal, JSON elsewhere. */
export function resolveLogFormat(format: LogFormat, destination: NodeJS.WritableStream): 'text' | 'json' {
  if (format !== 'auto') return format;
  return (destination as { isTTY?: boolean }).isTTY === true ? 'text' : 'json';
}

export function createLogger(options: LoggerOptions): Logger {
  const destination = options.destination ?? process.stderr;
  const settings = {
    name: options.service, level: options.level ?? 'info',
    redact: ['req.headers["x-auth-token"]', 'req.headers["x-subject-token"]', '*.password'],
  };
  if (resolveLogFormat(options.format ?? 'auto', destination) === 'json') return pino(settings, destination);
  const colorize = (destination as { isTTY?: boolean }).isTTY === true;
  return pino(settings, PinoPretty({ destination, colorize, sync: true, singleLine: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
}
