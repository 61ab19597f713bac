// Auth method names <-> the integer bitmask a token payload carries. Mirrors
// convert_method_list_to_integer / convert_integer_to_method_list in keystone/auth/plugins/core.py.
import { InvalidToken } from './errors.js';

/**
 * Keystone's default `[auth] methods`, in order: method i is bit 2^i, so external=1, password=2,
 * token=4, oauth1=8, mapped=16, application_credential=32. Every node must list the same methods
 * in the same order, or they will misread each other's tokens.
 */
export const DEFAULT_AUTH_METHODS: readonly string[] = Object.freeze([
  'external', 'password', 'token', 'oauth1', 'mapped', 'application_credential',
]);

/**
 * @throws RangeError for a method missing from `available`; keystone drops it silently, which
 * would issue a token claiming less than what the user did.
 */
export function methodsToInteger(methods: readonly string[], available: readonly string[]): number {
  let mask = 0;
  for (const method of new Set(methods)) {
    const index = available.indexOf(method);
    if (index < 0) throw new RangeError(`Auth method "${method}" is not enabled`);
    mask += 2 ** index;
  }
  return mask;
}

/**
 * Highest bit first, as keystone lists them.
 * @throws InvalidToken ('payload') for a bit no enabled method owns
 */
export function integerToMethods(mask: unknown, available: readonly string[]): string[] {
  if (typeof mask !== 'number' || !Number.isSafeInteger(mask) || mask < 0 || mask >= 2 ** available.length) {
    throw new InvalidToken('payload');
  }
  const methods: string[] = [];
  let rest = mask;
  for (let index = available.length - 1; index >= 0; index -= 1) {
    const bit = 2 ** index;
    if (rest >= bit) {
      methods.push(available[index] as string);
      rest -= bit;
    }
  }
  return methods;
}
