/**
 * Properties every indicator must have, checked with fast-check on random OHLCV walks:
 * (a) no look-ahead, (b) NaN exactly during the documented warm-up on clean data, (c) scale invariance of the
 * scale-free outputs, plus edge cases (flat prices, zero volume, short series, NaN inputs, bad arguments).
 */
import { InvalidArgumentError } from '@quant/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ema, sma } from './moving-averages.js';
import { macd, roc, rsi, trix } from './momentum.js';
import { cci, stochastic, williamsR } from './oscillators.js';
import { adx, aroon } from './trend.js';
import {
  atr,
  bollingerBands,
  closeToCloseVolatility,
  donchianChannels,
  garmanKlassVolatility,
  keltnerChannels,
  parkinsonVolatility,
  trueRange,
} from './volatility.js';
import { accumulationDistribution, chaikinMoneyFlow, chaikinOscillator, mfi, obv, rollingVwap } from './volume.js';

interface Ohlcv {
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
}

/** A consistent OHLCV walk: low <= open, close <= high, positive prices and volumes. */
const barsArbitrary = (minLength: number, maxLength: number) =>
  fc
    .array(
      fc.record({
        move: fc.double({ min: -0.05, max: 0.05, noNaN: true }),
        body: fc.double({ min: 0, max: 1, noNaN: true }),
        wickUp: fc.double({ min: 0, max: 0.03, noNaN: true }),
        wickDown: fc.double({ min: 0, max: 0.03, noNaN: true }),
        volume: fc.integer({ min: 1, max: 1_000_000 }),
      }),
      { minLength, maxLength },
    )
    .map((steps): Ohlcv => {
      const length = steps.length;
      const bars: Ohlcv = {
        open: new Float64Array(length),
        high: new Float64Array(length),
        low: new Float64Array(length),
        close: new Float64Array(length),
        volume: new Float64Array(length),
      };
      let price = 100;
      steps.forEach((step, index) => {
        const open = price;
        price *= Math.exp(step.move);
        const top = Math.max(open, price);
        const bottom = Math.min(open, price);
        bars.open[index] = open;
        bars.close[index] = price;
        bars.high[index] = top * (1 + step.wickUp);
        bars.low[index] = bottom * (1 - step.wickDown);
        bars.volume[index] = step.volume;
      });
      return bars;
    });

interface Case {
  name: string;
  /** Named outputs of the indicator. */
  run: (bars: Ohlcv) => Record<string, Float64Array>;
  /** Documented warm-up (number of leading NaN) per output. */
  warmUp: Record<string, number>;
  /** Outputs that do not change when every price is multiplied by a positive constant. */
  scaleFree?: string[];
}

const cases: Case[] = [
  { name: 'sma', run: (b) => ({ value: sma(b.close, 10) }), warmUp: { value: 9 } },
  { name: 'ema', run: (b) => ({ value: ema(b.close, 10) }), warmUp: { value: 9 } },
  { name: 'rsi', run: (b) => ({ value: rsi(b.close, 14) }), warmUp: { value: 14 }, scaleFree: ['value'] },
  {
    name: 'macd',
    run: (b) => ({ ...macd(b.close) }),
    warmUp: { macd: 25, signal: 33, histogram: 33 },
  },
  {
    name: 'stochastic',
    run: (b) => ({ ...stochastic(b.high, b.low, b.close, { period: 14, signalPeriod: 3 }) }),
    warmUp: { k: 13, d: 15 },
    scaleFree: ['k', 'd'],
  },
  { name: 'williamsR', run: (b) => ({ value: williamsR(b.high, b.low, b.close, 14) }), warmUp: { value: 13 }, scaleFree: ['value'] },
  { name: 'cci', run: (b) => ({ value: cci(b.high, b.low, b.close, 20) }), warmUp: { value: 19 }, scaleFree: ['value'] },
  { name: 'trueRange', run: (b) => ({ value: trueRange(b.high, b.low, b.close) }), warmUp: { value: 0 } },
  { name: 'atr', run: (b) => ({ value: atr(b.high, b.low, b.close, 14) }), warmUp: { value: 14 } },
  {
    name: 'adx',
    run: (b) => ({ ...adx(b.high, b.low, b.close, 14) }),
    warmUp: { adx: 27, plusDi: 14, minusDi: 14, dx: 14 },
    scaleFree: ['adx', 'plusDi', 'minusDi', 'dx'],
  },
  {
    name: 'aroon',
    run: (b) => ({ ...aroon(b.high, b.low, 25) }),
    warmUp: { up: 25, down: 25, oscillator: 25 },
    scaleFree: ['up', 'down', 'oscillator'],
  },
  { name: 'mfi', run: (b) => ({ value: mfi(b.high, b.low, b.close, b.volume, 14) }), warmUp: { value: 14 }, scaleFree: ['value'] },
  { name: 'trix', run: (b) => ({ value: trix(b.close, 9) }), warmUp: { value: 25 }, scaleFree: ['value'] },
  { name: 'roc', run: (b) => ({ value: roc(b.close, 12) }), warmUp: { value: 12 }, scaleFree: ['value'] },
  {
    name: 'bollingerBands',
    run: (b) => ({ ...bollingerBands(b.close) }),
    warmUp: { middle: 19, upper: 19, lower: 19, percentB: 19, bandwidth: 19 },
    scaleFree: ['percentB', 'bandwidth'],
  },
  {
    name: 'keltnerChannels',
    run: (b) => ({ ...keltnerChannels(b.high, b.low, b.close) }),
    warmUp: { middle: 19, upper: 19, lower: 19, width: 19 },
    scaleFree: ['width'],
  },
  { name: 'donchianChannels', run: (b) => ({ ...donchianChannels(b.high, b.low, 20) }), warmUp: { upper: 19, lower: 19, middle: 19 } },
  { name: 'obv', run: (b) => ({ value: obv(b.close, b.volume) }), warmUp: { value: 0 }, scaleFree: ['value'] },
  {
    name: 'accumulationDistribution',
    run: (b) => ({ value: accumulationDistribution(b.high, b.low, b.close, b.volume) }),
    warmUp: { value: 0 },
    scaleFree: ['value'],
  },
  {
    name: 'chaikinOscillator',
    run: (b) => ({ value: chaikinOscillator(b.high, b.low, b.close, b.volume) }),
    warmUp: { value: 9 },
    scaleFree: ['value'],
  },
  {
    name: 'chaikinMoneyFlow',
    run: (b) => ({ value: chaikinMoneyFlow(b.high, b.low, b.close, b.volume, 20) }),
    warmUp: { value: 19 },
    scaleFree: ['value'],
  },
  { name: 'rollingVwap', run: (b) => ({ value: rollingVwap(b.high, b.low, b.close, b.volume, 20) }), warmUp: { value: 19 } },
  {
    name: 'closeToCloseVolatility',
    run: (b) => ({ value: closeToCloseVolatility(b.close, 20, { periodsPerYear: 252 }) }),
    warmUp: { value: 20 },
    scaleFree: ['value'],
  },
  { name: 'parkinsonVolatility', run: (b) => ({ value: parkinsonVolatility(b.high, b.low, 20) }), warmUp: { value: 19 }, scaleFree: ['value'] },
  {
    name: 'garmanKlassVolatility',
    run: (b) => ({ value: garmanKlassVolatility(b.open, b.high, b.low, b.close, 20) }),
    warmUp: { value: 19 },
    scaleFree: ['value'],
  },
];

const RUNS = { numRuns: 25 };

function scaled(bars: Ohlcv, factor: number): Ohlcv {
  const times = (values: Float64Array) => values.map((value) => value * factor);
  return { open: times(bars.open), high: times(bars.high), low: times(bars.low), close: times(bars.close), volume: bars.volume };
}

function withChangeAfter(bars: Ohlcv, cut: number, factor: number): Ohlcv {
  const change = (values: Float64Array) => values.map((value, index) => (index > cut ? value * factor : value));
  return {
    open: change(bars.open),
    high: change(bars.high),
    low: change(bars.low),
    close: change(bars.close),
    volume: change(bars.volume),
  };
}

function same(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

describe.each(cases.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
  it('has no look-ahead: changing inputs after t never changes outputs at or before t', () => {
    fc.assert(
      fc.property(barsArbitrary(1, 70), fc.nat(), fc.double({ min: 0.5, max: 2, noNaN: true }), (bars, cutSeed, factor) => {
        const cut = cutSeed % bars.close.length;
        const before = entry.run(bars);
        const after = entry.run(withChangeAfter(bars, cut, factor));
        for (const [key, values] of Object.entries(before)) {
          for (let index = 0; index <= cut; index++) {
            if (!same(values[index]!, after[key]![index]!)) expect.fail(`${key}[${index}] changed (cut ${cut})`);
          }
        }
      }),
      RUNS,
    );
  });

  it('is NaN exactly during the documented warm-up on clean data, finite after', () => {
    fc.assert(
      fc.property(barsArbitrary(0, 70), (bars) => {
        const outputs = entry.run(bars);
        expect(Object.keys(outputs).sort()).toEqual(Object.keys(entry.warmUp).sort());
        for (const [key, values] of Object.entries(outputs)) {
          expect(values.length).toBe(bars.close.length);
          const warmUp = entry.warmUp[key]!;
          values.forEach((value, index) => {
            if (index < warmUp !== Number.isNaN(value)) expect.fail(`${key}[${index}] = ${value}, warm-up ${warmUp}`);
            if (index >= warmUp && !Number.isFinite(value)) expect.fail(`${key}[${index}] = ${value}`);
          });
        }
      }),
      RUNS,
    );
  });

  if (entry.scaleFree !== undefined) {
    const keys = entry.scaleFree;
    it(`is scale-invariant in ${keys.join(', ')}`, () => {
      fc.assert(
        // Factors are powers of two: fast-check loves moves of one ulp, and under a decimal factor those are re-rounded
        // into different ties (an unchanged close becomes a tiny move), which is rounding noise, not scale dependence.
        // Binary scaling is exact, so any difference here is a real scale dependence.
        fc.property(barsArbitrary(30, 70), fc.integer({ min: -10, max: 10 }), (bars, exponent) => {
          const factor = 2 ** exponent;
          const base = entry.run(bars);
          const other = entry.run(scaled(bars, factor));
          for (const key of keys) {
            base[key]!.forEach((value, index) => {
              const scaledValue = other[key]![index]!;
              // Cumulative volume indicators carry volume units; their prices cancel, so 1e-9 relative to the level.
              const tolerance = 1e-9 * Math.max(1, Math.abs(value));
              if (!(same(value, scaledValue) || Math.abs(value - scaledValue) <= tolerance)) {
                expect.fail(`${key}[${index}]: ${value} vs ${scaledValue} (factor ${factor})`);
              }
            });
          }
        }),
        RUNS,
      );
    });
  }

  it('handles flat prices, zero volume, NaN inputs and short series without Infinity', () => {
    const length = 60;
    const flat: Ohlcv = {
      open: new Float64Array(length).fill(50),
      high: new Float64Array(length).fill(50),
      low: new Float64Array(length).fill(50),
      close: new Float64Array(length).fill(50),
      volume: new Float64Array(length).fill(0),
    };
    const withNaN: Ohlcv = {
      ...flat,
      close: Float64Array.from({ length }, (_v, i) => (i === 30 ? NaN : 50 + Math.sin(i))),
      high: Float64Array.from({ length }, (_v, i) => 52 + Math.sin(i)),
      low: Float64Array.from({ length }, (_v, i) => 48 + Math.sin(i)),
      volume: new Float64Array(length).fill(1000),
    };
    const short: Ohlcv = {
      open: flat.open.subarray(0, 3),
      high: flat.high.subarray(0, 3),
      low: flat.low.subarray(0, 3),
      close: flat.close.subarray(0, 3),
      volume: flat.volume.subarray(0, 3),
    };
    for (const bars of [flat, withNaN, short]) {
      for (const [key, values] of Object.entries(entry.run(bars))) {
        values.forEach((value, index) => {
          if (value === Infinity || value === -Infinity) expect.fail(`${key}[${index}] is ${value}`);
        });
        // On flat data, every output after warm-up is defined (a documented neutral or 0), never NaN.
        if (bars === flat) {
          for (let index = entry.warmUp[key]!; index < length; index++) {
            if (Number.isNaN(values[index]!)) expect.fail(`${key}[${index}] is NaN on flat prices`);
          }
        }
      }
    }
  });
});

describe('documented neutral values and argument errors', () => {
  const flat = new Float64Array(40).fill(10);
  const zero = new Float64Array(40);

  it('flat prices give the neutral value of each oscillator', () => {
    expect(rsi(flat)[39]).toBe(50);
    expect(stochastic(flat, flat, flat).k[39]).toBe(50);
    expect(williamsR(flat, flat, flat)[39]).toBe(-50);
    expect(cci(flat, flat, flat)[39]).toBe(0);
    expect(bollingerBands(flat).percentB[39]).toBe(0.5);
    expect(bollingerBands(flat).bandwidth[39]).toBe(0);
    expect(adx(flat, flat, flat, 5).adx[39]).toBe(0);
    expect(mfi(flat, flat, flat, zero)[39]).toBe(50);
    expect(chaikinMoneyFlow(flat, flat, flat, zero)[39]).toBe(0);
    expect(rollingVwap(flat, flat, flat, zero)[39]).toBe(10);
    expect(parkinsonVolatility(flat, flat)[39]).toBe(0);
    expect(closeToCloseVolatility(flat)[39]).toBe(0);
  });

  it('RSI is 100 when there are only gains, and ROC is NaN on a zero base', () => {
    const rising = Float64Array.from({ length: 30 }, (_v, i) => 10 + i);
    expect(rsi(rising)[29]).toBe(100);
    expect(roc(Float64Array.from([0, 1, 2]), 1)[1]).toBeNaN();
  });

  it('throws InvalidArgumentError for bad periods and mismatched lengths', () => {
    expect(() => rsi(flat, 0)).toThrow(InvalidArgumentError);
    expect(() => macd(flat, { signalPeriod: 1.5 })).toThrow(/1\.5/);
    expect(() => atr(flat, flat, flat.subarray(1))).toThrow(/39/);
    expect(() => bollingerBands(flat, { multiplier: -1 })).toThrow(InvalidArgumentError);
    expect(() => closeToCloseVolatility(flat, 20, { periodsPerYear: 0 })).toThrow(InvalidArgumentError);
    expect(() => stochastic(flat, flat, flat, { period: -3 })).toThrow(/-3/);
  });
});
