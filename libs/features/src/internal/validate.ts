/**
 * Argument checks shared by every rolling primitive and indicator. They run once per call, never inside a loop.
 */
import { InvalidArgumentError, describeValue } from '@quant/core';

/** Throws unless `value` is an integer >= `minimum` (1 by default). */
export function assertPeriod(name: string, value: number, minimum = 1): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    throw new InvalidArgumentError(`${name} must be an integer >= ${minimum}, got ${describeValue(value)}`, {
      details: { [name]: String(value) },
    });
  }
}

/** Throws unless `value` is a finite number (optionally > 0). */
export function assertFinite(name: string, value: number, positive = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || (positive && value <= 0)) {
    throw new InvalidArgumentError(
      `${name} must be a finite${positive ? ' positive' : ''} number, got ${describeValue(value)}`,
    );
  }
}

/** Throws unless every series has the length of the first one. */
export function assertSameLength(series: Readonly<Record<string, ArrayLike<number>>>): number {
  let expected = -1;
  let firstName = '';
  for (const [name, values] of Object.entries(series)) {
    if (expected < 0) {
      expected = values.length;
      firstName = name;
    } else if (values.length !== expected) {
      throw new InvalidArgumentError(
        `${name} has ${values.length} values but ${firstName} has ${expected}; series must be aligned`,
      );
    }
  }
  return Math.max(expected, 0);
}

/** Returns `out` when given (checking its length) or a new array; callers overwrite every element. */
export function outputArray(length: number, out?: Float64Array): Float64Array {
  if (out === undefined) return new Float64Array(length);
  if (out.length !== length) {
    throw new InvalidArgumentError(`out has ${out.length} values but the input has ${length}`);
  }
  return out;
}
