/** Parsers for option values shared by several commands; each throws a UsageError naming the option. */
import { UsageError } from '../../src/core/errors.js';

/** A seed: an integer in [0, 2^32). */
export function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new UsageError(`--seed "${value}" is not valid`, 'use an integer between 0 and 4294967295');
  return n;
}

/** A positive integer option such as --tail or --limit. */
export function parsePositiveInt(value: string, name: string, max = 1_000_000_000): number {
  return parseIntInRange(value, name, 1, max);
}

/** A whole-number option within [min, max]; the message states the range whatever the value. */
export function parseIntInRange(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} "${value}" is not valid`, `use a whole number from ${min} to ${max}`);
  return n;
}
