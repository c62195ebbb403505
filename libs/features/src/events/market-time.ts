/**
 * Market time for point-in-time event features: US Eastern time (America/New_York) computed from the US
 * daylight-saving rules, without a time-zone database, and the rule that decides from which trading day an event
 * counts.
 *
 * Daylight-saving rules (Uniform Time Act of 1966 and its amendments; 15 U.S.C. 260a), changes at 02:00 local time:
 * - 2007 onwards (Energy Policy Act of 2005): second Sunday of March to first Sunday of November;
 * - 1987 to 2006: first Sunday of April to last Sunday of October;
 * - 1976 to 1986 and 1967 to 1973: last Sunday of April to last Sunday of October;
 * - 1974 and 1975 (Emergency Daylight Saving Time Energy Conservation Act): from 6 January 1974 and 23 February 1975
 *   to the last Sunday of October.
 * Before 1967 there was no uniform rule, so earlier instants are refused. Later years are assumed to keep the 2007
 * rule. Eastern standard time is UTC-5, daylight time UTC-4. A test checks every rule against the ICU time-zone data
 * that Node ships (Intl.DateTimeFormat), which the library itself does not rely on.
 *
 * Point-in-time rule: an event counts from the trading day on which it was public before the close (16:00 New York
 * time, 13:00 on the early-close days below); an event public at or after the close, or on a day without trading,
 * counts from the next trading day. Trading days are the dates of the symbol's own bars, so holidays need no calendar.
 */
import { InvalidArgumentError, describeValue } from '@quant/core';

const MILLISECONDS_PER_MINUTE = 60_000;
const MILLISECONDS_PER_DAY = 86_400_000;
const MINUTES_PER_DAY = 1440;

/** Regular close of the NYSE and Nasdaq: 16:00 New York time, as minutes after midnight. */
export const REGULAR_CLOSE_MINUTE = 16 * 60;
/** Close on early-close days: 13:00 New York time. */
export const EARLY_CLOSE_MINUTE = 13 * 60;

const EASTERN_STANDARD_OFFSET_MINUTES = -300;
const EASTERN_DAYLIGHT_OFFSET_MINUTES = -240;
const FIRST_RULE_YEAR = 1967;

/** Day number (days since 1970-01-01) of a calendar date; month is 1..12. */
function dayNumber(year: number, month: number, dayOfMonth: number): number {
  return Date.UTC(year, month - 1, dayOfMonth) / MILLISECONDS_PER_DAY;
}

/** 0 = Sunday ... 6 = Saturday (1970-01-01 was a Thursday). */
function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/** Day number of the `occurrence`-th Sunday (1-based) of a month, or of its last Sunday when `occurrence` is -1. */
function sundayOf(year: number, month: number, occurrence: number): number {
  if (occurrence === -1) {
    const last = dayNumber(year, month + 1, 0);
    return last - weekdayOf(last);
  }
  const first = dayNumber(year, month, 1);
  return first + ((7 - weekdayOf(first)) % 7) + 7 * (occurrence - 1);
}

/** First and last local day of daylight time in `year` (the days on which the clocks change at 02:00). */
function daylightSavingDays(year: number): { start: number; end: number } {
  if (year >= 2007) return { start: sundayOf(year, 3, 2), end: sundayOf(year, 11, 1) };
  if (year >= 1987) return { start: sundayOf(year, 4, 1), end: sundayOf(year, 10, -1) };
  if (year === 1974) return { start: dayNumber(1974, 1, 6), end: sundayOf(1974, 10, -1) };
  if (year === 1975) return { start: dayNumber(1975, 2, 23), end: sundayOf(1975, 10, -1) };
  return { start: sundayOf(year, 4, -1), end: sundayOf(year, 10, -1) };
}

const boundsCache = new Map<number, { start: number; end: number }>();

/** The UTC instants (milliseconds) at which daylight time starts and ends in `year`. */
function daylightSavingInstants(year: number): { start: number; end: number } {
  let bounds = boundsCache.get(year);
  if (bounds === undefined) {
    const days = daylightSavingDays(year);
    // 02:00 EST = 07:00 UTC when it starts; 02:00 EDT = 06:00 UTC when it ends.
    bounds = {
      start: days.start * MILLISECONDS_PER_DAY + 7 * 60 * MILLISECONDS_PER_MINUTE,
      end: days.end * MILLISECONDS_PER_DAY + 6 * 60 * MILLISECONDS_PER_MINUTE,
    };
    boundsCache.set(year, bounds);
  }
  return bounds;
}

function assertInstant(utcMilliseconds: number): void {
  if (typeof utcMilliseconds !== 'number' || !Number.isFinite(utcMilliseconds)) {
    throw new InvalidArgumentError(`an instant must be a finite number of milliseconds, got ${describeValue(utcMilliseconds)}`);
  }
  const year = new Date(utcMilliseconds).getUTCFullYear();
  if (year < FIRST_RULE_YEAR) {
    throw new InvalidArgumentError(`${new Date(utcMilliseconds).toISOString()} is before 1967, when the US daylight-saving rules began`);
  }
}

/** Offset of New York time from UTC at an instant, in minutes: -240 in daylight time, -300 otherwise. */
export function newYorkOffsetMinutes(utcMilliseconds: number): number {
  assertInstant(utcMilliseconds);
  // In UTC the daylight period never crosses a year boundary, so the UTC year selects the rule.
  const { start, end } = daylightSavingInstants(new Date(utcMilliseconds).getUTCFullYear());
  return utcMilliseconds >= start && utcMilliseconds < end ? EASTERN_DAYLIGHT_OFFSET_MINUTES : EASTERN_STANDARD_OFFSET_MINUTES;
}

/** New York calendar day (days since 1970-01-01) and minute of that day at an instant. */
export interface NewYorkTime {
  readonly day: number;
  readonly minute: number;
}

export function toNewYorkTime(utcMilliseconds: number): NewYorkTime {
  const localMinutes = Math.floor(utcMilliseconds / MILLISECONDS_PER_MINUTE) + newYorkOffsetMinutes(utcMilliseconds);
  const day = Math.floor(localMinutes / MINUTES_PER_DAY);
  return { day, minute: localMinutes - day * MINUTES_PER_DAY };
}

/**
 * The UTC instant of a New York wall-clock time (day number and milliseconds after local midnight). Wall-clock times
 * that occur twice (01:00-02:00 on the day daylight time ends) resolve to the first, daylight one; times that never
 * occur (02:00-03:00 on the day it starts) are read as standard time, which lands one hour later on the clock.
 */
export function newYorkWallClockToInstant(day: number, millisecondsOfDay: number): number {
  const local = day * MILLISECONDS_PER_DAY + millisecondsOfDay;
  const asDaylight = local - EASTERN_DAYLIGHT_OFFSET_MINUTES * MILLISECONDS_PER_MINUTE;
  if (newYorkOffsetMinutes(asDaylight) === EASTERN_DAYLIGHT_OFFSET_MINUTES) return asDaylight;
  return local - EASTERN_STANDARD_OFFSET_MINUTES * MILLISECONDS_PER_MINUTE;
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Milliseconds since the epoch of an ISO 8601 instant that names its zone (`Z` or an offset such as `-04:00`).
 * A date-time without a zone is refused: it could be New York or UTC, and guessing would move events by hours.
 */
export function parseInstant(iso: string): number {
  const match = typeof iso === 'string' ? ISO_INSTANT.exec(iso) : null;
  const milliseconds = match === null ? Number.NaN : Date.parse(iso);
  // Date.parse rolls 30 February over to 1 March; a calendar check catches it.
  const validDate = match !== null && new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))).getUTCDate() === Number(match[3]);
  if (match === null || Number.isNaN(milliseconds) || !validDate) {
    throw new InvalidArgumentError(`expected an ISO instant with a zone such as '2020-07-30T20:31:14Z', got ${describeValue(iso)}`, {
      details: { value: String(iso) },
    });
  }
  return milliseconds;
}

/** Day number of the fourth Thursday of November (Thanksgiving). */
function thanksgiving(year: number): number {
  const first = dayNumber(year, 11, 1);
  return first + ((4 - weekdayOf(first) + 7) % 7) + 21;
}

/**
 * Minute of the close on a New York calendar day: 13:00 on the usual early-close days, 16:00 otherwise. Early
 * closes (NYSE): the day after Thanksgiving, 24 December and 3 July when they fall Monday to Thursday. Exchanges
 * have skipped some of these in some years; treating such a day as an early close only delays an event published
 * between 13:00 and 16:00 by one day, which is the safe direction for point-in-time data.
 */
export function closeMinuteOf(day: number): number {
  const date = new Date(day * MILLISECONDS_PER_DAY);
  const month = date.getUTCMonth() + 1;
  const dayOfMonth = date.getUTCDate();
  const weekday = weekdayOf(day);
  const mondayToThursday = weekday >= 1 && weekday <= 4;
  if (month === 11 && day === thanksgiving(date.getUTCFullYear()) + 1) return EARLY_CLOSE_MINUTE;
  if (mondayToThursday && ((month === 12 && dayOfMonth === 24) || (month === 7 && dayOfMonth === 3))) return EARLY_CLOSE_MINUTE;
  return REGULAR_CLOSE_MINUTE;
}

/**
 * The first calendar day (New York) on which an event public at `utcMilliseconds` may count: its own day when it was
 * public before that day's close, the next day otherwise. The effective trading day is the first bar date on or
 * after it (see effectiveDayIndex).
 */
export function availableDayOf(utcMilliseconds: number): number {
  const { day, minute } = toNewYorkTime(utcMilliseconds);
  return minute < closeMinuteOf(day) ? day : day + 1;
}

/**
 * Index of the first of the ascending `dates` on or after `day` (binary search); `dates.length` when every date is
 * earlier, meaning the event is not effective within these bars.
 */
export function effectiveDayIndex(dates: ArrayLike<number>, day: number): number {
  let low = 0;
  let high = dates.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (dates[middle]! < day) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The effective trading day of an event available from `availableDay`, in the symbol's ascending bar `dates`: the
 * first date on or after it; the available day itself when it is before the first date (the bars that would say which
 * trading day it was are not there; exact whenever that day is a trading day); undefined after the last date.
 */
export function effectiveTradingDay(dates: ArrayLike<number>, availableDay: number): number | undefined {
  if (dates.length === 0 || availableDay < dates[0]!) return dates.length === 0 ? undefined : availableDay;
  const index = effectiveDayIndex(dates, availableDay);
  return index < dates.length ? dates[index]! : undefined;
}
