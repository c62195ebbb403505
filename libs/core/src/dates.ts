/**
 * Trading dates are stored as whole days since 1970-01-01 (UTC) in an Int32Array: compact, sortable, and free of
 * time-zone ambiguity. A daily bar belongs to the exchange's calendar day, so no time of day is involved.
 */
import { InvalidArgumentError, describeValue } from './errors.js';

const MILLISECONDS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for an ISO date `YYYY-MM-DD`. Throws InvalidArgumentError for anything else. */
export function isoToDay(iso: string): number {
  const match = typeof iso === 'string' ? ISO_DATE.exec(iso) : null;
  if (match === null) {
    throw new InvalidArgumentError(`expected a date as YYYY-MM-DD, got ${describeValue(iso)}`, { details: { value: iso } });
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const dayOfMonth = Number(match[3]);
  const milliseconds = Date.UTC(year, month - 1, dayOfMonth);
  const check = new Date(milliseconds);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== dayOfMonth) {
    throw new InvalidArgumentError(`${JSON.stringify(iso)} is not a calendar date`, { details: { value: iso } });
  }
  return milliseconds / MILLISECONDS_PER_DAY;
}

/** ISO date `YYYY-MM-DD` for a day number. */
export function dayToIso(day: number): string {
  if (!Number.isInteger(day)) {
    throw new InvalidArgumentError(`a day number must be an integer, got ${describeValue(day)}`, { details: { value: day } });
  }
  return new Date(day * MILLISECONDS_PER_DAY).toISOString().slice(0, 10);
}

/** Day of the week for a day number: 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}
