import { describe, expect, it } from 'vitest';
import { getColumn, sliceBars } from '@quant/core';
import { barAt } from './__fixtures__/bars.js';
import { getSymbolInfo, loadBars, loadUniverse } from '@quant/sample-data';
import { buildMarketContext, computeTechnicalFeatures, TECHNICAL_FEATURES, TechnicalFeatureStream } from './index.js';

const universe = loadUniverse('sp500').bars;
const market = buildMarketContext(universe, (symbol) => getSymbolInfo(symbol).sector);

function expectRowsEqual(symbol: string, streamed: Float64Array, batch: (column: number) => number, row: number): void {
  TECHNICAL_FEATURES.forEach((feature, column) => {
    const want = batch(column);
    const got = streamed[column]!;
    const same = Number.isNaN(want) ? Number.isNaN(got) : Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
    if (!same) throw new Error(`${symbol} row ${row} ${feature.name}: stream ${got}, batch ${want}`);
  });
}


describe('TechnicalFeatureStream', () => {
  it('gives, bar after bar, the same 179 values as the batch form on real data', () => {
    for (const symbol of ['AAPL', 'XOM']) {
      const bars = loadBars(symbol);
      const context = { ...market, sector: getSymbolInfo(symbol).sector };
      const batch = computeTechnicalFeatures(bars, context);
      const start = 1100;
      const stream = new TechnicalFeatureStream(sliceBars(bars, 0, start), context);
      expectRowsEqual(symbol, stream.latest(), (column) => getColumn(batch, column)[start - 1]!, start - 1);
      for (let row = start; row < bars.dates.length; row++) {
        const streamed = stream.push(barAt(bars, row));
        expectRowsEqual(symbol, streamed, (column) => getColumn(batch, column)[row]!, row);
      }
      expect(stream.length).toBe(1259);
    }
  });

  it('builds up from an empty history through the warm-up, matching the batch at every bar', () => {
    const bars = sliceBars(loadBars('MSFT'), 0, 320);
    const batch = computeTechnicalFeatures(bars);
    const stream = new TechnicalFeatureStream(sliceBars(bars, 0, 0));
    expect(() => stream.latest()).toThrowError(/no bars yet/);
    for (let row = 0; row < bars.dates.length; row++) {
      expectRowsEqual('MSFT', stream.push(barAt(bars, row)), (column) => getColumn(batch, column)[row]!, row);
    }
  });

  it('refuses bars out of order or with bad values, naming them', () => {
    const bars = sliceBars(loadBars('AAPL'), 0, 300);
    const stream = new TechnicalFeatureStream(bars);
    expect(() => stream.push({ ...barAt(bars, 299) })).toThrowError('AAPL: a pushed bar must come after 2017-07-24; got 2017-07-24');
    expect(() => stream.push({ ...barAt(bars, 299), date: bars.dates[299]! + 3, close: Number.NaN })).toThrowError(/close must be finite and positive, got NaN/);
    expect(() => new TechnicalFeatureStream(bars, {}, { tailLength: 100 })).toThrowError(/at least 253/);
    expect(stream.length).toBe(300);
  });
});
