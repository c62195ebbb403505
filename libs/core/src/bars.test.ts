import { describe, expect, it } from 'vitest';
import { assertValidBars, createBars, inspectBars, lastIndexOnOrBefore, sliceBars } from './bars.js';
import { isoToDay } from './dates.js';
import { DataQualityError, InvalidArgumentError, isQuantError } from './errors.js';

const good = () =>
  createBars({
    symbol: 'TEST',
    dates: [isoToDay('2020-01-02'), isoToDay('2020-01-03'), isoToDay('2020-01-06')],
    open: [10, 11, 12],
    high: [11, 12, 13],
    low: [9, 10, 11],
    close: [10.5, 11.5, 12.5],
    volume: [100, 0, 300],
  });

describe('bars', () => {
  it('builds typed columns and defaults adjusted close to close', () => {
    const bars = good();
    expect(bars.dates).toBeInstanceOf(Int32Array);
    expect(bars.open).toBeInstanceOf(Float64Array);
    expect(Array.from(bars.adjustedClose)).toEqual([10.5, 11.5, 12.5]);
    expect(inspectBars(bars)).toEqual([]);
    expect(() => assertValidBars(bars)).not.toThrow();
  });

  it('refuses columns of different lengths, naming the column', () => {
    expect(() =>
      createBars({ symbol: 'X', dates: [1, 2], open: [1, 2], high: [1], low: [1, 2], close: [1, 2], volume: [1, 2] }),
    ).toThrowError(/X: column high has 1 values but dates has 2/);
    expect(() => createBars({ symbol: '', dates: [], open: [], high: [], low: [], close: [], volume: [] })).toThrowError(
      InvalidArgumentError,
    );
  });

  it('reports each problem with symbol and date, and fixes nothing', () => {
    const bars = createBars({
      symbol: 'BAD',
      dates: [isoToDay('2020-01-02'), isoToDay('2020-01-02'), isoToDay('2020-01-01'), isoToDay('2020-01-07'), isoToDay('2020-01-08')],
      open: [10, 10, 10, 10, 10],
      high: [11, 11, 11, 9.5, 11],
      low: [9, 9, 9, 9, 10.5],
      close: [10, 10, 10, 10, 10],
      volume: [1, 1, 1, -5, Number.NaN],
    });
    const issues = inspectBars(bars);
    expect(issues.map((issue) => [issue.date, issue.kind])).toEqual([
      ['2020-01-02', 'duplicate-date'],
      ['2020-01-01', 'unsorted-date'],
      ['2020-01-07', 'negative-volume'],
      ['2020-01-07', 'high-below-open-or-close'],
      ['2020-01-08', 'non-finite-value'],
    ]);
    expect(issues[0]!.message).toBe('BAD 2020-01-02: date appears twice');
    expect(bars.high[3]).toBe(9.5);
    try {
      assertValidBars(bars);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DataQualityError);
      expect(isQuantError(error, 'DATA_QUALITY')).toBe(true);
      expect((error as DataQualityError).details['issues']).toHaveLength(5);
    }
  });

  it('flags non-positive prices', () => {
    const bars = createBars({ symbol: 'Z', dates: [1], open: [0], high: [1], low: [0], close: [1], volume: [1] });
    expect(inspectBars(bars).map((issue) => issue.kind)).toEqual(['non-positive-price']);
  });

  it('slices without copying and finds the last bar on or before a day', () => {
    const bars = good();
    const slice = sliceBars(bars, 1);
    expect(slice.dates.length).toBe(2);
    expect(slice.close.buffer).toBe(bars.close.buffer);
    expect(lastIndexOnOrBefore(bars.dates, isoToDay('2020-01-05'))).toBe(1);
    expect(lastIndexOnOrBefore(bars.dates, isoToDay('2019-12-31'))).toBe(-1);
    expect(lastIndexOnOrBefore(bars.dates, isoToDay('2030-01-01'))).toBe(2);
    expect(() => sliceBars(bars, 2, 1)).toThrowError(/outside/);
  });
});
