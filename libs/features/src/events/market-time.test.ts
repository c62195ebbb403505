import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError, isoToDay } from '@quant/core';
import {
  EARLY_CLOSE_MINUTE,
  REGULAR_CLOSE_MINUTE,
  availableDayOf,
  closeMinuteOf,
  effectiveDayIndex,
  newYorkOffsetMinutes,
  newYorkWallClockToInstant,
  parseInstant,
  toNewYorkTime,
} from './market-time.js';

const NEW_YORK = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Offset in minutes from ICU's time-zone data (the oracle; the library does not use Intl). */
function icuOffsetMinutes(instant: number): number {
  const parts = Object.fromEntries(NEW_YORK.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const local = Date.UTC(Number(parts['year']), Number(parts['month']) - 1, Number(parts['day']), Number(parts['hour']), Number(parts['minute']), Number(parts['second']));
  return Math.round((local - Math.floor(instant / 1000) * 1000) / 60_000);
}

const at = (iso: string): number => Date.parse(iso);

describe('New York time without a time-zone database', () => {
  it('switches to daylight time at 02:00 local on the second Sunday of March and back on the first Sunday of November (2007 rule)', () => {
    expect(newYorkOffsetMinutes(at('2021-03-14T06:59:59.999Z'))).toBe(-300); // 01:59:59 EST
    expect(newYorkOffsetMinutes(at('2021-03-14T07:00:00Z'))).toBe(-240); // 03:00 EDT
    expect(newYorkOffsetMinutes(at('2021-11-07T05:59:59.999Z'))).toBe(-240); // 01:59:59 EDT
    expect(newYorkOffsetMinutes(at('2021-11-07T06:00:00Z'))).toBe(-300); // 01:00 EST
  });

  it('applies the older rules: 1987-2006 first Sunday of April, 1967-1986 last Sunday of April, 1974 and 1975 energy-crisis dates', () => {
    expect(newYorkOffsetMinutes(at('2006-04-02T06:59:59Z'))).toBe(-300);
    expect(newYorkOffsetMinutes(at('2006-04-02T07:00:00Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(at('2006-10-29T05:59:59Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(at('2006-10-29T06:00:00Z'))).toBe(-300);
    expect(newYorkOffsetMinutes(at('1986-04-27T07:00:00Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(at('1986-04-20T12:00:00Z'))).toBe(-300);
    expect(newYorkOffsetMinutes(at('1974-01-06T07:00:00Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(at('1975-02-23T07:00:00Z'))).toBe(-240);
    expect(newYorkOffsetMinutes(at('1975-02-22T12:00:00Z'))).toBe(-300);
  });

  it('agrees with ICU every day from 1967 to 2040 and at each switch (one millisecond either side)', () => {
    const disagreements: string[] = [];
    const check = (instant: number): void => {
      if (newYorkOffsetMinutes(instant) !== icuOffsetMinutes(instant)) disagreements.push(new Date(instant).toISOString());
    };
    for (let instant = at('1967-01-01T12:00:00Z'); instant < at('2041-01-01T00:00:00Z'); instant += 86_400_000) check(instant);
    for (let year = 1967; year <= 2040; year++) {
      // Find our two switches of the year by bisection between noons, then compare both sides with ICU.
      for (const [from, to] of [[`${year}-01-01`, `${year}-07-01`], [`${year}-07-01`, `${year}-12-31`]] as const) {
        let low = at(`${from}T12:00:00Z`);
        let high = at(`${to}T12:00:00Z`);
        const before = newYorkOffsetMinutes(low);
        expect(newYorkOffsetMinutes(high)).not.toBe(before);
        while (high - low > 1) {
          const middle = Math.floor((low + high) / 2);
          if (newYorkOffsetMinutes(middle) === before) low = middle;
          else high = middle;
        }
        check(low);
        check(high);
        // The switch happens at 02:00 local time: 07:00 UTC in spring, 06:00 UTC in autumn.
        expect(new Date(high).toISOString().slice(11)).toBe(from.endsWith('01-01') ? '07:00:00.000Z' : '06:00:00.000Z');
      }
    }
    expect(disagreements).toEqual([]);
  });

  it('agrees with ICU on random instants 1967-2037 (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: at('1967-01-01T00:00:00Z'), max: at('2037-12-31T23:59:59Z') }), (instant) => {
        expect(newYorkOffsetMinutes(instant)).toBe(icuOffsetMinutes(instant));
      }),
      { numRuns: 2000 },
    );
  });

  it('turns wall-clock times back into the same instants, the repeated hour into its first (daylight) occurrence', () => {
    fc.assert(
      fc.property(fc.integer({ min: at('1990-01-01T00:00:00Z'), max: at('2035-12-31T23:59:59Z') }), (instant) => {
        const whole = instant - (instant % 60_000);
        const { day, minute } = toNewYorkTime(whole);
        const back = newYorkWallClockToInstant(day, minute * 60_000);
        // Only the second occurrence of 01:00-01:59 on the day daylight time ends maps to the earlier instant.
        expect(back === whole || back === whole - 3_600_000).toBe(true);
        expect(toNewYorkTime(back)).toEqual({ day, minute });
      }),
      { numRuns: 1000 },
    );
    const fallBack = isoToDay('2021-11-07');
    expect(new Date(newYorkWallClockToInstant(fallBack, 90 * 60_000)).toISOString()).toBe('2021-11-07T05:30:00.000Z'); // 01:30 EDT
    const springForward = isoToDay('2021-03-14');
    expect(new Date(newYorkWallClockToInstant(springForward, 150 * 60_000)).toISOString()).toBe('2021-03-14T07:30:00.000Z'); // 02:30 does not exist: 03:30 EDT
  });

  it('refuses instants before 1967, when there was no uniform US rule', () => {
    expect(() => newYorkOffsetMinutes(at('1966-12-31T12:00:00Z'))).toThrowError(InvalidArgumentError);
    expect(() => newYorkOffsetMinutes(Number.NaN)).toThrowError(/finite number/);
  });
});

describe('the close and the available day', () => {
  it('counts an event on its own day only when public before 16:00 New York time, in winter and in summer', () => {
    // Friday 12 March 2021 is EST (UTC-5): 20:59:59Z is 15:59:59, 21:00Z is 16:00.
    expect(availableDayOf(at('2021-03-12T20:59:59Z'))).toBe(isoToDay('2021-03-12'));
    expect(availableDayOf(at('2021-03-12T21:00:00Z'))).toBe(isoToDay('2021-03-13'));
    // Monday 15 March 2021 is EDT (UTC-4): 19:59:59Z is 15:59:59, 20:00Z is 16:00.
    expect(availableDayOf(at('2021-03-15T19:59:59Z'))).toBe(isoToDay('2021-03-15'));
    expect(availableDayOf(at('2021-03-15T20:00:00Z'))).toBe(isoToDay('2021-03-16'));
    // 02:00Z on a Tuesday in summer is 22:00 on Monday in New York: after Monday's close.
    expect(availableDayOf(at('2020-07-28T02:00:00Z'))).toBe(isoToDay('2020-07-28'));
    expect(toNewYorkTime(at('2020-07-28T02:00:00Z'))).toEqual({ day: isoToDay('2020-07-27'), minute: 22 * 60 });
  });

  it('closes at 13:00 the day after Thanksgiving and on 24 December and 3 July from Monday to Thursday', () => {
    expect(closeMinuteOf(isoToDay('2020-11-27'))).toBe(EARLY_CLOSE_MINUTE); // Black Friday
    expect(closeMinuteOf(isoToDay('2019-11-29'))).toBe(EARLY_CLOSE_MINUTE);
    expect(closeMinuteOf(isoToDay('2020-12-24'))).toBe(EARLY_CLOSE_MINUTE); // Thursday
    expect(closeMinuteOf(isoToDay('2019-07-03'))).toBe(EARLY_CLOSE_MINUTE); // Wednesday
    expect(closeMinuteOf(isoToDay('2021-12-24'))).toBe(REGULAR_CLOSE_MINUTE); // a Friday: a holiday, not an early close
    expect(closeMinuteOf(isoToDay('2020-11-26'))).toBe(REGULAR_CLOSE_MINUTE); // Thanksgiving itself (closed)
    expect(closeMinuteOf(isoToDay('2020-07-30'))).toBe(REGULAR_CLOSE_MINUTE);
    // 13:30 EST on Black Friday 2020 is after that day's close.
    expect(availableDayOf(at('2020-11-27T18:30:00Z'))).toBe(isoToDay('2020-11-28'));
    expect(availableDayOf(at('2020-11-27T17:59:00Z'))).toBe(isoToDay('2020-11-27'));
  });

  it('finds the effective trading day in the symbol\'s own dates', () => {
    const dates = Int32Array.from(['2020-07-30', '2020-07-31', '2020-08-03'].map(isoToDay));
    expect(effectiveDayIndex(dates, isoToDay('2020-07-29'))).toBe(0);
    expect(effectiveDayIndex(dates, isoToDay('2020-07-31'))).toBe(1);
    expect(effectiveDayIndex(dates, isoToDay('2020-08-01'))).toBe(2); // Saturday -> Monday
    expect(effectiveDayIndex(dates, isoToDay('2020-08-04'))).toBe(3); // after the last bar: none
  });

  it('parses only instants that name their zone', () => {
    expect(parseInstant('2020-07-30T20:31:14.000Z')).toBe(at('2020-07-30T20:31:14Z'));
    expect(parseInstant('2020-06-05T10:30:54-04:00')).toBe(at('2020-06-05T14:30:54Z'));
    expect(() => parseInstant('2020-07-30T20:31:14')).toThrowError(/got "2020-07-30T20:31:14"/);
    expect(() => parseInstant('2020-07-30')).toThrowError(InvalidArgumentError);
    expect(() => parseInstant('2020-02-30T10:00:00Z')).toThrowError(InvalidArgumentError);
  });
});
