import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createBars, createRandom, getColumn, type Bars } from '@quant/core';
import { getSymbolInfo, loadBars, loadUniverse } from '@quant/sample-data';
import { buildMarketContext, computeTechnicalFeatures, TECHNICAL_FEATURES, TECHNICAL_FEATURE_NAMES, TECHNICAL_FEATURE_SET_VERSION, type FeatureContext } from './index.js';

const universe = loadUniverse('sp500').bars;
const market = buildMarketContext(universe, (symbol) => getSymbolInfo(symbol).sector);
const contextOf = (symbol: string): FeatureContext => ({ ...market, sector: getSymbolInfo(symbol).sector });

/** A clean random-walk series of `length` bars with positive volume (ohlc consistent). */
function randomBars(seed: number, length: number, symbol = 'RAND'): Bars {
  const random = createRandom(seed);
  let price = 50;
  const dates: number[] = [];
  const open: number[] = [];
  const high: number[] = [];
  const low: number[] = [];
  const close: number[] = [];
  const volume: number[] = [];
  let day = 18_000;
  for (let row = 0; row < length; row++) {
    day += dayOfWeekGap(day);
    const start = price;
    price *= Math.exp(0.02 * random.nextGaussian());
    open.push(start);
    close.push(price);
    high.push(Math.max(start, price) * (1 + 0.01 * random.next()));
    low.push(Math.min(start, price) * (1 - 0.01 * random.next()));
    volume.push(Math.round(1e6 * (0.5 + random.next())));
    dates.push(day);
  }
  return createBars({ symbol, dates, open, high, low, close, volume });
}
/** Skip weekends: from a day number, the gap to the next weekday (1970-01-01 was a Thursday). */
function dayOfWeekGap(day: number): number {
  const weekday = (day + 4) % 7; // 0 Sunday
  return weekday === 5 ? 3 : weekday === 6 ? 2 : 1;
}

describe('computeTechnicalFeatures', () => {
  it('returns the 179 registry columns, in registry order, with a stable version', () => {
    expect(TECHNICAL_FEATURES).toHaveLength(179);
    expect(new Set(TECHNICAL_FEATURE_NAMES).size).toBe(179);
    expect(TECHNICAL_FEATURE_SET_VERSION).toMatch(/^technical-179-[0-9a-f]{8}$/);
    const matrix = computeTechnicalFeatures(loadBars('AAPL'), contextOf('AAPL'));
    expect(matrix.columns).toEqual(TECHNICAL_FEATURE_NAMES);
    expect(matrix.rowCount).toBe(1259);
    expect(matrix.symbols).toEqual(['AAPL']);
  });

  it('on real bars, each feature is NaN exactly during its registered warm-up and finite after it', () => {
    for (const symbol of ['AAPL', 'XOM', 'JPM']) {
      const matrix = computeTechnicalFeatures(loadBars(symbol), contextOf(symbol));
      const problems: string[] = [];
      TECHNICAL_FEATURES.forEach((feature, index) => {
        const values = getColumn(matrix, index);
        const firstFinite = values.findIndex((value) => Number.isFinite(value));
        const laterMissing = values.subarray(feature.warmup).filter((value) => !Number.isFinite(value)).length;
        if (firstFinite !== feature.warmup || laterMissing > 0) problems.push(`${symbol} ${feature.name}: first ${firstFinite}, warm-up ${feature.warmup}, missing later ${laterMissing}`);
      });
      expect(problems).toEqual([]);
    }
  });

  it('matches hand-computed values on AAPL', () => {
    const bars = loadBars('AAPL');
    const matrix = computeTechnicalFeatures(bars, contextOf('AAPL'));
    const at = (name: string, row: number) => getColumn(matrix, name)[row]!;
    const c = bars.adjustedClose;
    expect(at('return_5', 100)).toBeCloseTo(Math.log(c[100]! / c[95]!), 12);
    const sma20 = c.subarray(81, 101).reduce((sum, value) => sum + value, 0) / 20;
    expect(at('sma_ratio_20', 100)).toBeCloseTo(c[100]! / sma20 - 1, 12);
    const factor = c[100]! / bars.close[100]!;
    expect(at('range', 100)).toBeCloseTo(((bars.high[100]! - bars.low[100]!) * factor) / c[100]!, 12);
    expect(at('day_of_week', 0)).toBe(0); // 2016-05-16 was a Monday
    expect(at('month_of_year', 0)).toBeCloseTo(4 / 11, 12);
    expect(at('days_to_month_end', 0)).toBeCloseTo(15 / 30, 12);
  });

  it('never looks ahead: changing any bar after day t leaves every feature at t and before unchanged', () => {
    const base = randomBars(7, 320);
    const reference = computeTechnicalFeatures(base);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 318 }), fc.double({ min: 0.5, max: 2, noNaN: true }), (cut, factor) => {
        const scale = (column: Float64Array) => Float64Array.from(column, (value, row) => (row > cut ? value * factor : value));
        const changed = createBars({ ...base, open: scale(base.open), high: scale(base.high), low: scale(base.low), close: scale(base.close), adjustedClose: scale(base.adjustedClose), volume: scale(base.volume) });
        const after = computeTechnicalFeatures(changed);
        for (let column = 0; column < reference.columnCount; column++) {
          const before = getColumn(reference, column);
          const now = getColumn(after, column);
          for (let row = 0; row <= cut; row++) {
            if (!Object.is(before[row], now[row])) throw new Error(`${TECHNICAL_FEATURE_NAMES[column]} changed at row ${row} (cut ${cut})`);
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('is scale-free: multiplying every price by a constant changes no feature', () => {
    const base = randomBars(11, 300);
    const reference = computeTechnicalFeatures(base);
    for (const factor of [0.25, 8]) {
      const scaled = createBars({ ...base, open: base.open.map((v) => v * factor), high: base.high.map((v) => v * factor), low: base.low.map((v) => v * factor), close: base.close.map((v) => v * factor), adjustedClose: base.adjustedClose.map((v) => v * factor) });
      const result = computeTechnicalFeatures(scaled);
      TECHNICAL_FEATURE_NAMES.forEach((name, column) => {
        const expected = getColumn(reference, column);
        const actual = getColumn(result, column);
        for (let row = 0; row < expected.length; row++) {
          const a = expected[row]!;
          const b = actual[row]!;
          if (Number.isNaN(a) !== Number.isNaN(b) || (!Number.isNaN(a) && Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a)))) {
            throw new Error(`${name} differs at row ${row}: ${a} vs ${b} (factor ${factor})`);
          }
        }
      });
    }
  });

  it('gives defined values, never Infinity, for flat prices, zero volume and short histories', () => {
    const flat = createBars({ symbol: 'FLAT', dates: Array.from({ length: 300 }, (_, index) => 18_000 + index), open: new Array(300).fill(10), high: new Array(300).fill(10), low: new Array(300).fill(10), close: new Array(300).fill(10), volume: new Array(300).fill(0) });
    const matrix = computeTechnicalFeatures(flat);
    expect(matrix.values.some((value) => value === Infinity || value === -Infinity)).toBe(false);
    expect(getColumn(matrix, 'close_location')[299]).toBe(0.5);
    expect(getColumn(matrix, 'return_20')[299]).toBe(0);
    const short = computeTechnicalFeatures(randomBars(3, 10));
    expect(short.rowCount).toBe(10);
    expect(getColumn(short, 'sma_ratio_200').every(Number.isNaN)).toBe(true);
    expect(() => computeTechnicalFeatures(createBars({ symbol: 'EMPTY', dates: [], open: [], high: [], low: [], close: [], volume: [] }))).toThrowError(/no bars/);
  });

  it('derives calendar fields by arithmetic exactly as Date does, for any day from 1900 to 2100', () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_000, max: 47_000 }), (day) => {
        const bars = createBars({ symbol: 'CAL', dates: [day], open: [1], high: [1], low: [1], close: [1], volume: [1] });
        const matrix = computeTechnicalFeatures(bars);
        const date = new Date(day * 86_400_000);
        const lastDay = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
        return (
          getColumn(matrix, 'month_of_year')[0] === date.getUTCMonth() / 11 &&
          getColumn(matrix, 'days_to_month_end')[0] === (lastDay - date.getUTCDate()) / 30
        );
      }),
      { numRuns: 300 },
    );
  });

  it('uses the market context: leave-one-out index, relative returns add up', () => {
    const bars = loadBars('MSFT');
    const matrix = computeTechnicalFeatures(bars, contextOf('MSFT'));
    const own = getColumn(matrix, 'return_20')[500]!;
    const marketReturn = getColumn(matrix, 'market_return_20')[500]!;
    expect(getColumn(matrix, 'relative_return_20')[500]).toBeCloseTo(own - marketReturn, 12);
    const beta = getColumn(matrix, 'beta_60')[500]!;
    expect(beta).toBeGreaterThan(0.5);
    expect(beta).toBeLessThan(2);
    const withoutContext = computeTechnicalFeatures(bars);
    expect(getColumn(withoutContext, 'beta_60').every(Number.isNaN)).toBe(true);
  });
});

describe('feature parts', () => {
  it('write every registry feature exactly once, and the recursive ones are the 21 with whole-history state', async () => {
    const { FEATURE_PARTS } = await import('./technical.js');
    const written = FEATURE_PARTS.flatMap((part) => part.columns);
    expect([...written].sort()).toEqual([...TECHNICAL_FEATURE_NAMES].sort());
    expect(new Set(written).size).toBe(179);
    for (const part of FEATURE_PARTS) {
      for (const name of part.columns) expect(TECHNICAL_FEATURES.find((feature) => feature.name === name)!.group).toBe(part.group);
    }
    expect(FEATURE_PARTS.filter((part) => part.recursive).flatMap((part) => part.columns)).toHaveLength(21);
  });
});
