/**
 * Rolling primitives against a naive rescan of every window (property tests), plus edge cases.
 */
import { InvalidArgumentError } from '@quant/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  difference,
  logReturn,
  rollingBarsSinceMax,
  rollingBarsSinceMin,
  rollingBeta,
  rollingCorrelation,
  rollingCovariance,
  rollingEma,
  rollingMax,
  rollingMean,
  rollingMin,
  rollingPercentRank,
  rollingQuantile,
  rollingRegression,
  rollingStd,
  rollingSum,
  rollingWilder,
  simpleReturn,
} from './rolling.js';

const RUNS = { numRuns: 60 };

/** Prices-like values, with occasional repeats so that ties and flat stretches are exercised. */
const seriesArbitrary = fc
  .array(fc.oneof(fc.double({ min: 1, max: 500, noNaN: true }), fc.constantFrom(10, 10, 50)), {
    minLength: 0,
    maxLength: 80,
  })
  .map((values) => Float64Array.from(values));
const periodArbitrary = fc.integer({ min: 2, max: 12 });

/** Applies `reducer` to every full window (NaN if any value is NaN), the obvious O(n * period) way. */
function naive(values: Float64Array, period: number, reducer: (window: number[]) => number): Float64Array {
  return Float64Array.from(values, (_value, index) => {
    if (index < period - 1) return NaN;
    const window = Array.from(values.subarray(index - period + 1, index + 1));
    return window.some((value) => Number.isNaN(value)) ? NaN : reducer(window);
  });
}

const mean = (window: number[]): number => window.reduce((sum, value) => sum + value, 0) / window.length;
const variance = (window: number[], divisor: number): number => {
  const center = mean(window);
  return window.reduce((sum, value) => sum + (value - center) ** 2, 0) / divisor;
};

function expectSeries(actual: Float64Array, expected: Float64Array, tolerance: (expected: number) => number): void {
  expect(actual.length).toBe(expected.length);
  for (let index = 0; index < expected.length; index++) {
    const want = expected[index]!;
    const got = actual[index]!;
    if (want === EITHER) continue;
    if (Number.isNaN(want)) expect(got, `index ${index}`).toBeNaN();
    else if (!(Math.abs(got - want) <= tolerance(want))) expect.fail(`index ${index}: got ${got}, want ${want}`);
  }
}

/**
 * Marks a window that is flat only up to rounding (relative spread below 1e-10, for example [1, 1.0000000000000002]):
 * whether it counts as flat is a matter of rounding, so either answer is accepted there. Exactly flat windows keep a
 * defined expectation.
 */
const EITHER = Number.POSITIVE_INFINITY;
const nearlyFlat = (window: number[]): boolean => {
  const center = mean(window);
  const spread = window.reduce((sum, value) => sum + (value - center) ** 2, 0);
  return spread > 0 && spread <= 1e-10 * window.length * center * center;
};
const exactlyFlat = (window: number[]): boolean => window.every((value) => value === window[0]);

const relative = (scale: number) => (want: number) => 1e-9 * (Math.abs(want) + scale);

describe('rolling primitives equal a naive rescan', () => {
  it('sum, mean, population and sample std', () => {
    fc.assert(
      fc.property(seriesArbitrary, periodArbitrary, (values, period) => {
        expectSeries(rollingSum(values, period), naive(values, period, (w) => w.reduce((a, b) => a + b, 0)), relative(1));
        expectSeries(rollingMean(values, period), naive(values, period, mean), relative(1));
        // Std near zero: compare with an absolute tolerance of the price scale (variance rounding is ~1e-16 x mean^2).
        expectSeries(rollingStd(values, period), naive(values, period, (w) => Math.sqrt(variance(w, period))), () => 1e-6);
        expectSeries(
          rollingStd(values, period, { sample: true }),
          naive(values, period, (w) => Math.sqrt(variance(w, period - 1))),
          () => 1e-6,
        );
      }),
      RUNS,
    );
  });

  it('max, min and bars since the extreme (ties to the most recent bar)', () => {
    fc.assert(
      fc.property(seriesArbitrary, periodArbitrary, (values, period) => {
        expectSeries(rollingMax(values, period), naive(values, period, (w) => Math.max(...w)), () => 0);
        expectSeries(rollingMin(values, period), naive(values, period, (w) => Math.min(...w)), () => 0);
        expectSeries(
          rollingBarsSinceMax(values, period),
          naive(values, period, (w) => w.length - 1 - w.lastIndexOf(Math.max(...w))),
          () => 0,
        );
        expectSeries(
          rollingBarsSinceMin(values, period),
          naive(values, period, (w) => w.length - 1 - w.lastIndexOf(Math.min(...w))),
          () => 0,
        );
      }),
      RUNS,
    );
  });

  it('quantile (type 7) and percent rank of the last value', () => {
    fc.assert(
      fc.property(seriesArbitrary, periodArbitrary, fc.double({ min: 0, max: 1, noNaN: true }), (values, period, q) => {
        const quantile = (window: number[]): number => {
          const sorted = [...window].sort((a, b) => a - b);
          const position = (sorted.length - 1) * q;
          const lower = Math.floor(position);
          const upper = Math.min(lower + 1, sorted.length - 1);
          return sorted[lower]! + (position - lower) * (sorted[upper]! - sorted[lower]!);
        };
        expectSeries(rollingQuantile(values, period, q), naive(values, period, quantile), relative(1));
        const rank = (window: number[]): number => {
          const last = window[window.length - 1]!;
          const below = window.filter((value) => value < last).length;
          const equal = window.filter((value) => value === last).length;
          return (below + equal / 2) / window.length;
        };
        expectSeries(rollingPercentRank(values, period), naive(values, period, rank), () => 1e-15);
      }),
      RUNS,
    );
  });

  it('linear regression slope, r-squared and last residual against time', () => {
    fc.assert(
      fc.property(seriesArbitrary, periodArbitrary, (values, period) => {
        const fit = (window: number[]) => {
          const n = window.length;
          const meanX = (n - 1) / 2;
          const meanY = mean(window);
          let sxy = 0;
          let sxx = 0;
          let syy = 0;
          window.forEach((y, x) => {
            sxy += (x - meanX) * (y - meanY);
            sxx += (x - meanX) ** 2;
            syy += (y - meanY) ** 2;
          });
          const slope = sxy / sxx;
          const residual = window[n - 1]! - (meanY + slope * (n - 1 - meanX));
          const rSquared = exactlyFlat(window) ? 0 : nearlyFlat(window) ? EITHER : (sxy * sxy) / (sxx * syy);
          return { slope, residual, rSquared };
        };
        const ours = rollingRegression(values, period);
        expectSeries(ours.slope, naive(values, period, (w) => fit(w).slope), () => 1e-7);
        expectSeries(ours.residual, naive(values, period, (w) => fit(w).residual), () => 1e-7);
        expectSeries(ours.rSquared, naive(values, period, (w) => fit(w).rSquared), () => 1e-6);
      }),
      RUNS,
    );
  });

  it('covariance, correlation and beta of two series', () => {
    fc.assert(
      fc.property(seriesArbitrary, periodArbitrary, fc.integer({ min: 1, max: 1000 }), (first, period, seed) => {
        // A second series partly driven by the first, so that correlations are not all near zero.
        const second = first.map((value, index) => 0.5 * value + ((index * 7919 + seed) % 97));
        const windows = (reducer: (x: number[], y: number[]) => number) =>
          Float64Array.from(first, (_value, index) => {
            if (index < period - 1) return NaN;
            const x = Array.from(first.subarray(index - period + 1, index + 1));
            const y = Array.from(second.subarray(index - period + 1, index + 1));
            return reducer(x, y);
          });
        const covariance = (x: number[], y: number[], divisor: number) => {
          const mx = mean(x);
          const my = mean(y);
          return x.reduce((sum, value, i) => sum + (value - mx) * (y[i]! - my), 0) / divisor;
        };
        expectSeries(rollingCovariance(first, second, period), windows((x, y) => covariance(x, y, period)), () => 1e-6);
        expectSeries(
          rollingCovariance(first, second, period, { sample: true }),
          windows((x, y) => covariance(x, y, period - 1)),
          () => 1e-6,
        );
        const correlation = rollingCorrelation(first, second, period);
        const expected = windows((x, y) => {
          const vx = variance(x, period);
          const vy = variance(y, period);
          if (exactlyFlat(x) || exactlyFlat(y)) return NaN;
          return nearlyFlat(x) || nearlyFlat(y) ? EITHER : covariance(x, y, period) / Math.sqrt(vx * vy);
        });
        expectSeries(correlation, expected, () => 1e-6);
        const beta = rollingBeta(second, first, period);
        expectSeries(
          beta,
          windows((x, y) => (exactlyFlat(x) ? NaN : nearlyFlat(x) || nearlyFlat(y) ? EITHER : covariance(x, y, period) / variance(x, period))),
          // Beta divides by the benchmark's variance, which can be tiny: its error is relative, not absolute.
          (want) => 1e-7 * (Math.abs(want) + 1),
        );
      }),
      RUNS,
    );
  });

  it('EMA and Wilder smoothing: SMA seed, then the recursion', () => {
    fc.assert(
      fc.property(seriesArbitrary, periodArbitrary, (values, period) => {
        for (const [alpha, actual] of [
          [2 / (period + 1), rollingEma(values, period)],
          [1 / period, rollingWilder(values, period)],
        ] as const) {
          const expected = new Float64Array(values.length).fill(NaN);
          if (values.length >= period) {
            let average = mean(Array.from(values.subarray(0, period)));
            expected[period - 1] = average;
            for (let index = period; index < values.length; index++) {
              average = alpha * values[index]! + (1 - alpha) * average;
              expected[index] = average;
            }
          }
          expectSeries(actual, expected, relative(1));
        }
      }),
      RUNS,
    );
  });
});

describe('rolling primitives: edge cases', () => {
  it('rejects bad periods with InvalidArgumentError naming the value', () => {
    const values = new Float64Array([1, 2, 3]);
    expect(() => rollingMean(values, 0)).toThrow(InvalidArgumentError);
    expect(() => rollingMean(values, 2.5)).toThrow(/2\.5/);
    expect(() => rollingStd(values, 1, { sample: true })).toThrow(InvalidArgumentError);
    expect(() => rollingRegression(values, 1)).toThrow(InvalidArgumentError);
    expect(() => rollingQuantile(values, 2, 1.5)).toThrow(/1\.5/);
    expect(() => rollingCorrelation(values, new Float64Array(2), 2)).toThrow(/3/);
    expect(() => rollingMean(values, 2, new Float64Array(5))).toThrow(InvalidArgumentError);
  });

  it('series shorter than the period give all NaN; empty series give empty output', () => {
    const short = new Float64Array([1, 2, 3]);
    for (const output of [rollingMean(short, 5), rollingStd(short, 5), rollingMax(short, 5), rollingQuantile(short, 5, 0.5)]) {
      expect(Array.from(output).every(Number.isNaN)).toBe(true);
    }
    expect(rollingMean(new Float64Array(0), 3).length).toBe(0);
    expect(rollingRegression(new Float64Array(0), 3).slope.length).toBe(0);
  });

  it('a NaN poisons exactly the windows that contain it, then the state restarts', () => {
    const values = Float64Array.from([1, 2, 3, NaN, 5, 6, 7, 8]);
    expect(Array.from(rollingMean(values, 3))).toEqual([NaN, NaN, 2, NaN, NaN, NaN, 6, 7]);
    expect(Array.from(rollingMax(values, 2))).toEqual([NaN, 2, 3, NaN, NaN, 6, 7, 8]);
    expect(Array.from(rollingEma(values, 2)).map((v) => Number.isNaN(v))).toEqual([true, false, false, true, true, false, false, false]);
    const infinite = Float64Array.from([1, 2, Infinity, 4, 5]);
    expect(Array.from(rollingSum(infinite, 2))).toEqual([NaN, 3, NaN, NaN, 9]);
  });

  it('flat windows give zero spread, zero slope, rank 0.5 and NaN (undefined) correlation, never Infinity', () => {
    const flat = new Float64Array(30).fill(42.17);
    expect(rollingStd(flat, 10)[29]).toBe(0);
    const regression = rollingRegression(flat, 10);
    expect(regression.slope[29]).toBeCloseTo(0, 12);
    expect(regression.rSquared[29]).toBe(0);
    expect(rollingPercentRank(flat, 10)[29]).toBe(0.5);
    expect(rollingCorrelation(flat, flat, 10)[29]).toBeNaN();
    expect(rollingBeta(flat, flat, 10)[29]).toBeNaN();
    expect(rollingCovariance(flat, flat, 10)[29]).toBe(0);
    // A window that turns flat after movement snaps to exactly zero spread.
    const settle = Float64Array.from([...Array.from({ length: 20 }, (_v, i) => 100 + Math.sin(i) * 7), ...new Array(20).fill(101.3)]);
    expect(rollingStd(settle, 10)[39]).toBe(0);
  });

  it('differences and returns: warm-up of lag, NaN for a zero or negative base', () => {
    const values = Float64Array.from([0, 2, 4, -1, 8]);
    expect(Array.from(difference(values, 2))).toEqual([NaN, NaN, 4, -3, 4]);
    expect(Array.from(simpleReturn(values))).toEqual([NaN, NaN, 1, -1.25, -9]);
    const logs = logReturn(values);
    expect(logs[2]).toBeCloseTo(Math.log(2), 15);
    expect([logs[0], logs[1], logs[3], logs[4]].every(Number.isNaN)).toBe(true);
  });
});
