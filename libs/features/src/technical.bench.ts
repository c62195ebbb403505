/**
 * Speed budget of issue 5: all 179 features for the 470 S&P 500 symbols x 1,259 days of the embedded data in under
 * 5 seconds on one core. Run: npx vitest bench --run src/technical.bench.ts (in libs/features).
 */
import { bench, describe } from 'vitest';
import { getSymbolInfo, loadUniverse } from '@quant/sample-data';
import { sliceBars } from '@quant/core';
import { barAt } from './__fixtures__/bars.js';
import { buildMarketContext, computeTechnicalFeatures, TechnicalFeatureStream } from './index.js';

// All 470, including the three whose bars fail data checks (their features are computed all the same; bad inputs
// give NaN, never a crash).
const universe = loadUniverse('sp500', { keepInvalid: true }).bars;
const sectors = universe.map((bars) => getSymbolInfo(bars.symbol).sector);
const values = universe.reduce((sum, bars) => sum + bars.dates.length, 0) * 179;

describe(`technical features: 470 symbols, ${values.toLocaleString('en-US')} values`, () => {
  bench('market context (equal-weighted market and 11 sector indices)', () => {
    buildMarketContext(universe, (symbol) => getSymbolInfo(symbol).sector);
  }, { iterations: 5 });

  const context = buildMarketContext(universe, (symbol) => getSymbolInfo(symbol).sector);
  bench('computeTechnicalFeatures for every symbol (179 columns)', () => {
    universe.forEach((bars, index) => computeTechnicalFeatures(bars, { ...context, sector: sectors[index] }));
  }, { iterations: 5, warmupIterations: 1 });
});

describe('streaming form', () => {
  const context = buildMarketContext(universe, (symbol) => getSymbolInfo(symbol).sector);
  const aapl = { ...context, sector: 'Information Technology' };
  const bars = universe.find((series) => series.symbol === 'AAPL')!;
  const start = 1000;
  let stream = new TechnicalFeatureStream(sliceBars(bars, 0, start), aapl);
  let next = start;
  bench('push one bar onto a 1,000-1,258-bar AAPL history (179 features of the new bar)', () => {
    if (next === bars.dates.length) {
      stream = new TechnicalFeatureStream(sliceBars(bars, 0, start), aapl);
      next = start;
    }
    stream.push(barAt(bars, next));
    next++;
  }, { iterations: 200 });
  bench('batch: all 1,259 rows of AAPL', () => {
    computeTechnicalFeatures(bars, aapl);
  }, { iterations: 200 });
});
