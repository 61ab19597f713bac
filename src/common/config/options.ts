// Typed option declarations: stringOpt, intOpt, floatOpt, boolOpt, listOpt, portOpt.
// Mirrors oslo_config/cfg.py's StrOpt, IntOpt, FloatOpt, BoolOpt, ListOpt and PortOpt.

import { booleanType, floatType, integerType, listType, stringType } from './value-types.js';
import type { OptionValueType, ValueType } from './value-types.js';

export type { OptionValueType } from './value-types.js';

/** The value kinds an option can hold; the sample file names each one. */
export type OptionKind = 'string' | 'int' | 'float' | 'bool' | 'list' | 'port';

/**
 * One declared option. `T` is the type of a parsed value; `V` is the type of the loaded value,
 * `T` when there is a default and `T | undefined` when there is none.
 */
export interface Option<T extends OptionValueType, V extends T | undefined = T> {
  /** Which parser reads it. */
  readonly kind: OptionKind;
  /** What setting it changes, shown in the sample file. */
  readonly help: string;
  /** Value used when no file, variable or override sets it. */
  readonly default: V;
  /** True when `renderConfig` must mask the value. */
  readonly secret: boolean;
  /** Allowed values (string options) or allowed items (list options); undefined allows anything. */
  readonly choices: readonly string[] | undefined;
  /** Smallest allowed number (int, float, port). */
  readonly min: number | undefined;
  /** Largest allowed number (int, float, port). */
  readonly max: number | undefined;
  /** Reads INI or environment text; throws InvalidValue saying what is wrong. */
  parse(text: string): T;
  /** Checks a value given in code (an override or the default); throws InvalidValue. */
  accept(value: OptionValueType): T;
  /** INI text that `parse` reads back as the same value. */
  format(value: T): string;
}

/** Any option, whatever its value type. */
export type AnyOption = Option<OptionValueType, OptionValueType | undefined>;

/** The type of an option's loaded value: `OptionValue<typeof portOption>` is `number`. */
export type OptionValue<O> = O extends Option<infer _T, infer V> ? V : never;

interface BaseSpec {
  /** What setting the option changes; required, since the sample file is generated from it. */
  readonly help: string;
  /** Mask the value when the effective config is printed (passwords, keys, connection URLs). */
  readonly secret?: boolean;
}

export interface StringOptSpec extends BaseSpec {
  readonly default?: string;
  /** Restricts the value to these strings. */
  readonly choices?: readonly string[];
}

export interface NumberOptSpec extends BaseSpec {
  readonly default?: number;
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Inclusive upper bound. */
  readonly max?: number;
}

export interface BoolOptSpec extends BaseSpec {
  readonly default?: boolean;
}

export interface ListOptSpec extends BaseSpec {
  readonly default?: readonly string[];
  /** Restricts every item to these strings. */
  readonly choices?: readonly string[];
}

export interface PortOptSpec extends BaseSpec {
  readonly default?: number;
}

interface Shape {
  readonly choices?: readonly string[];
  readonly min?: number;
  readonly max?: number;
}

function makeOption<T extends OptionValueType>(
  kind: OptionKind,
  spec: BaseSpec & Shape & { readonly default?: T },
  type: ValueType<T>,
): Option<T, T | undefined> {
  return Object.freeze({
    kind,
    help: spec.help,
    default: spec.default,
    secret: spec.secret ?? false,
    choices: spec.choices === undefined ? undefined : Object.freeze([...spec.choices]),
    min: spec.min,
    max: spec.max,
    parse: (text: string) => type.parse(text),
    accept: (value: OptionValueType) => type.accept(value),
    format: (value: T) => type.format(value),
  });
}

/** A string; with `choices`, one of them. */
export function stringOpt(spec: StringOptSpec & { readonly default: string }): Option<string>;
export function stringOpt(spec: StringOptSpec): Option<string, string | undefined>;
export function stringOpt(spec: StringOptSpec): Option<string, string | undefined> {
  return makeOption('string', spec, stringType(spec.choices));
}

/** A whole number, optionally bounded by `min` and `max`. */
export function intOpt(spec: NumberOptSpec & { readonly default: number }): Option<number>;
export function intOpt(spec: NumberOptSpec): Option<number, number | undefined>;
export function intOpt(spec: NumberOptSpec): Option<number, number | undefined> {
  return makeOption('int', spec, integerType(spec.min, spec.max));
}

/** A finite number, optionally bounded by `min` and `max`. */
export function floatOpt(spec: NumberOptSpec & { readonly default: number }): Option<number>;
export function floatOpt(spec: NumberOptSpec): Option<number, number | undefined>;
export function floatOpt(spec: NumberOptSpec): Option<number, number | undefined> {
  return makeOption('float', spec, floatType(spec.min, spec.max));
}

/** true/false, yes/no, on/off or 1/0, in any case. */
export function boolOpt(spec: BoolOptSpec & { readonly default: boolean }): Option<boolean>;
export function boolOpt(spec: BoolOptSpec): Option<boolean, boolean | undefined>;
export function boolOpt(spec: BoolOptSpec): Option<boolean, boolean | undefined> {
  return makeOption('bool', spec, booleanType());
}

/** Comma-separated strings; with `choices`, every item must be one of them. */
export function listOpt(spec: ListOptSpec & { readonly default: readonly string[] }): Option<readonly string[]>;
export function listOpt(spec: ListOptSpec): Option<readonly string[], readonly string[] | undefined>;
export function listOpt(spec: ListOptSpec): Option<readonly string[], readonly string[] | undefined> {
  const defaults = spec.default === undefined ? undefined : Object.freeze([...spec.default]);
  return makeOption('list', { ...spec, default: defaults }, listType(spec.choices));
}

/** A TCP/UDP port number, 0 to 65535 as in oslo's PortOpt. */
export function portOpt(spec: PortOptSpec & { readonly default: number }): Option<number>;
export function portOpt(spec: PortOptSpec): Option<number, number | undefined>;
export function portOpt(spec: PortOptSpec): Option<number, number | undefined> {
  return makeOption('port', { ...spec, min: 0, max: 65535 }, integerType(0, 65535));
}
