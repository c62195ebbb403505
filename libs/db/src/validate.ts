/** Input checks that run before anything is written, so that a refusal names the bad value and stores nothing. */
import { InvalidArgumentError, describeValue } from '@quant/core';

export function requireFinite(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${what} must be a finite number, got ${describeValue(value)}`, { details: { value: String(value) } });
  }
  return value;
}

export function requireOptionalFinite(value: unknown, what: string): number | null {
  return value === null || value === undefined ? null : requireFinite(value, what);
}

export function requireInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidArgumentError(`${what} must be an integer, got ${describeValue(value)}`);
  }
  return value;
}

export function requireText(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError(`${what} must be a non-empty string, got ${describeValue(value)}`);
  }
  return value;
}

export function requireProbability(value: unknown, what: string): number {
  const number = requireFinite(value, what);
  if (number < 0 || number > 1) throw new InvalidArgumentError(`${what} must be in [0, 1], got ${number}`);
  return number;
}

export function toJson(value: unknown, what: string): string {
  try {
    const text = JSON.stringify(value);
    if (text === undefined) throw new Error('not serialisable');
    return text;
  } catch (error) {
    throw new InvalidArgumentError(`${what} must be JSON-serialisable`, { cause: error });
  }
}
