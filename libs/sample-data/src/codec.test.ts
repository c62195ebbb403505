import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormatError } from '@quant/core';
import { decodeSeries, encodeSeries, PRICE_COLUMNS, type DecimalSeries } from './codec.js';

const decimalText = fc
  .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 9_999_999 }))
  .map(([whole, decimals, fraction]) => (decimals === 0 ? String(whole) : `${whole}.${String(fraction % 10 ** decimals).padStart(decimals, '0')}`));

const series = fc.integer({ min: 1, max: 60 }).chain((rows) =>
  fc.record({
    dates: fc.array(fc.integer({ min: 1, max: 5 }), { minLength: rows, maxLength: rows }).map((gaps) => {
      let day = 15_000;
      return gaps.map((gap) => (day += gap));
    }),
    columns: fc.record(
      Object.fromEntries(PRICE_COLUMNS.map((name) => [name, fc.array(decimalText, { minLength: rows, maxLength: rows })])) as Record<
        (typeof PRICE_COLUMNS)[number],
        fc.Arbitrary<string[]>
      >,
    ),
  }),
);

describe('codec', () => {
  it('round-trips any decimal series exactly: each decoded value is parseFloat of its text', () => {
    fc.assert(
      fc.property(series, (input: DecimalSeries) => {
        const decoded = decodeSeries(encodeSeries(input), 'property');
        expect(Array.from(decoded.dates)).toEqual(input.dates);
        for (const name of PRICE_COLUMNS) expect(Array.from(decoded.columns[name])).toEqual(input.columns[name].map(Number.parseFloat));
      }),
      { numRuns: 200 },
    );
  });

  it('stores values that do not fit a scaled integer as raw float64, still exactly', () => {
    const input: DecimalSeries = {
      dates: [1, 2],
      columns: { open: ['0.003', '0.005'], high: ['1', '2'], low: ['1', '2'], close: ['1', '2'], adjustedClose: ['1805760800000000000000', '-0.1187'], volume: ['0', '5'] },
    };
    const decoded = decodeSeries(encodeSeries(input), 'raw');
    expect(Array.from(decoded.columns.adjustedClose)).toEqual([1805760800000000000000, -0.1187]);
    expect(Array.from(decoded.columns.open)).toEqual([0.003, 0.005]);
  });

  it('refuses corrupt or truncated blocks with a FormatError', () => {
    const block = encodeSeries({ dates: [1], columns: { open: ['1'], high: ['1'], low: ['1'], close: ['1'], adjustedClose: ['1'], volume: ['1'] } });
    expect(() => decodeSeries(block.subarray(0, block.length - 3), 'truncated')).toThrowError(FormatError);
    expect(() => decodeSeries(Uint8Array.from([1, 2, 3]), 'garbage')).toThrowError(/garbage/);
    expect(() => encodeSeries({ dates: [1], columns: { open: ['1e5'], high: ['1'], low: ['1'], close: ['1'], adjustedClose: ['1'], volume: ['1'] } })).toThrowError(
      /not a plain decimal/,
    );
  });
});
