import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dayOfWeek, dayToIso, isoToDay } from './dates.js';
import { InvalidArgumentError } from './errors.js';

describe('dates', () => {
  it('converts known dates', () => {
    expect(isoToDay('1970-01-01')).toBe(0);
    expect(isoToDay('2016-05-16')).toBe(16937);
    expect(dayToIso(16937)).toBe('2016-05-16');
    expect(dayToIso(-1)).toBe('1969-12-31');
  });

  it('round-trips every day between 1900 and 2100', () => {
    fc.assert(fc.property(fc.integer({ min: -25567, max: 47482 }), (day) => isoToDay(dayToIso(day)) === day));
  });

  it('knows the weekday (2016-05-16 was a Monday, 1970-01-01 a Thursday)', () => {
    expect(dayOfWeek(isoToDay('2016-05-16'))).toBe(1);
    expect(dayOfWeek(0)).toBe(4);
    expect(dayOfWeek(isoToDay('1969-12-28'))).toBe(0);
  });

  it('rejects malformed and impossible dates, naming them', () => {
    expect(() => isoToDay('2021-02-30')).toThrowError(/"2021-02-30" is not a calendar date/);
    expect(() => isoToDay('16/05/2016')).toThrowError(InvalidArgumentError);
    expect(() => dayToIso(1.5)).toThrowError(/1\.5/);
  });
});
