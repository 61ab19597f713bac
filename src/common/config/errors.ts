// The one error every configuration problem raises: unreadable file, bad syntax, bad value,
// bad declaration. Folds oslo_config.cfg's ConfigFileParseError and ConfigFileValueError together.

import { TstackError } from '../errors/index.js';
import type { TstackErrorOptions } from '../errors/index.js';

/** Where a piece of configuration text came from; every field is optional. */
export interface ConfigLocation {
  /** A file path, `environment variable TSTACK_X__Y`, `override` or `default`. */
  readonly source?: string;
  /** 1-based line in `source` when it is a file. */
  readonly line?: number;
  /** Section name, e.g. `identity` or `DEFAULT`. */
  readonly group?: string;
  /** Option name inside the section. */
  readonly option?: string;
}

/** What went wrong, and where. */
export interface ConfigErrorFields extends ConfigLocation {
  /** The problem alone, e.g. `"abc" is not an integer`. */
  readonly problem: string;
}

/** Raised by declarations and loading; the message reads `tstack.conf:3 [identity] port: "abc" is not an integer`. */
export class ConfigError extends TstackError {
  readonly status = 500;
  readonly title = 'Internal Server Error';
  /** The fields the message was built from. */
  readonly fields: ConfigErrorFields;

  constructor(fields: ConfigErrorFields, options?: TstackErrorOptions) {
    super(`${formatLocation(fields)}${fields.problem}`, options);
    this.fields = fields;
  }
}

/** Thrown by option parsers, which do not know where the text came from; the loader adds that. */
export class InvalidValue extends Error {
  constructor(readonly problem: string) {
    super(problem);
  }
}

/** `path:line [group] option: ` with absent parts left out. */
export function formatLocation(location: ConfigLocation): string {
  let where = location.source ?? '';
  if (location.line !== undefined) where += `:${location.line}`;
  if (location.group !== undefined) where += `${where ? ' ' : ''}[${location.group}]`;
  if (location.option !== undefined) where += `${where ? ' ' : ''}${location.option}`;
  return where ? `${where}: ` : '';
}
