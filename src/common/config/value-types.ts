// Parsers and printers for option values: INI text in, typed value out, and back again.
// Mirrors oslo_config/types.py (String, Integer, Float, Boolean, List, Port).

import { InvalidValue } from './errors.js';

/** Every type an option value can have once parsed. */
export type OptionValueType = string | number | boolean | readonly string[];

/** How one kind of value is read from text, checked when given in code, and written back. */
export interface ValueType<T extends OptionValueType> {
  /** Throws InvalidValue when the text is not a valid value. */
  parse(text: string): T;
  /** Throws InvalidValue when a value given in code has the wrong type or breaks a constraint. */
  accept(value: OptionValueType): T;
  /** INI text that `parse` turns back into the same value. */
  format(value: T): string;
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);
const INTEGER = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const QUOTES = new Set(['"', "'"]);

function describeValue(value: OptionValueType): string {
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

function checkChoice(value: string, choices: readonly string[] | undefined): string {
  if (choices !== undefined && !choices.includes(value)) {
    throw new InvalidValue(`${JSON.stringify(value)} is not one of: ${choices.join(', ')}`);
  }
  return value;
}

function checkRange(value: number, min: number | undefined, max: number | undefined): number {
  if (min !== undefined && value < min) throw new InvalidValue(`${value} is below the minimum ${min}`);
  if (max !== undefined && value > max) throw new InvalidValue(`${value} is above the maximum ${max}`);
  return value;
}

/**
 * The parser strips surrounding whitespace and one pair of matching quotes, so such values get
 * quoted. Newlines become continuation lines; as in OpenStack, a blank line inside a value and
 * indentation after a newline cannot be written.
 */
function quoteIfNeeded(value: string): string {
  const first = value[0];
  const needsQuotes =
    value !== value.trim() || (value.length >= 2 && first !== undefined && QUOTES.has(first) && value.endsWith(first));
  const text = needsQuotes ? `"${value}"` : value;
  return text.split('\n').join('\n    ');
}

export function stringType(choices: readonly string[] | undefined): ValueType<string> {
  return {
    parse: (text) => checkChoice(text, choices),
    accept(value) {
      if (typeof value !== 'string') throw new InvalidValue(`${describeValue(value)} is not a string`);
      return checkChoice(value, choices);
    },
    format: quoteIfNeeded,
  };
}

export function integerType(min: number | undefined, max: number | undefined): ValueType<number> {
  return {
    parse(text) {
      const value = Number(text);
      if (!INTEGER.test(text) || !Number.isSafeInteger(value)) {
        throw new InvalidValue(`${JSON.stringify(text)} is not an integer`);
      }
      return checkRange(value, min, max);
    },
    accept(value) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new InvalidValue(`${describeValue(value)} is not an integer`);
      }
      return checkRange(value, min, max);
    },
    format: String,
  };
}

export function floatType(min: number | undefined, max: number | undefined): ValueType<number> {
  return {
    parse(text) {
      const value = Number(text);
      if (!FLOAT.test(text) || !Number.isFinite(value)) {
        throw new InvalidValue(`${JSON.stringify(text)} is not a number`);
      }
      return checkRange(value, min, max);
    },
    accept(value) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new InvalidValue(`${describeValue(value)} is not a number`);
      }
      return checkRange(value, min, max);
    },
    format: String,
  };
}

export function booleanType(): ValueType<boolean> {
  return {
    parse(text) {
      const word = text.toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      throw new InvalidValue(`${JSON.stringify(text)} is not a boolean (use true/false, yes/no, on/off or 1/0)`);
    },
    accept(value) {
      if (typeof value !== 'boolean') throw new InvalidValue(`${describeValue(value)} is not a boolean`);
      return value;
    },
    format: String,
  };
}

/** Comma-separated items; blanks around items and empty items are dropped, so `a, b,` is `['a', 'b']`. */
export function listType(choices: readonly string[] | undefined): ValueType<readonly string[]> {
  return {
    parse(text) {
      const items = text.split(',').map((item) => item.trim()).filter((item) => item !== '');
      return Object.freeze(items.map((item) => checkChoice(item, choices)));
    },
    accept(value) {
      if (!Array.isArray(value) || !value.every((item): item is string => typeof item === 'string')) {
        throw new InvalidValue(`${describeValue(value)} is not a list of strings`);
      }
      for (const item of value) {
        if (item === '' || item !== item.trim() || item.includes(',')) {
          throw new InvalidValue(`list item ${JSON.stringify(item)} is empty, padded or holds a comma`);
        }
        checkChoice(item, choices);
      }
      return Object.freeze([...value]);
    },
    format: (value) => value.join(','),
  };
}
