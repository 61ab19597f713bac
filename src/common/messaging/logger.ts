// The few log calls the messaging layer makes. A pino Logger satisfies it; the default is
// silent so libraries and tests stay quiet unless a logger is handed in.

/** Structured logger: fields first, then a message, as pino takes them. */
export interface MessagingLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const ignore = (): void => {};

export const silentLogger: MessagingLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
