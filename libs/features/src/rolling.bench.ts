/**
 * Throughput of a few primitives and indicators over every sp500 symbol (470 x ~1,259 bars). Bars are loaded once,
 * outside the timed functions. Run with `npx vitest bench --run`.
 */
import type { Bars } from '@quant/core';
import { listSymbols, loadBars } from '@quant/sample-data';
import { bench, describe } from 'vitest';
import { rollingMax, rollingMean, rollingPercentRank, rollingRegression, rollingStd } from './rolling.js';
import { rsi, macd } from './indicators/momentum.js';
import { adx } from './indicators/trend.js';
import { atr, bollingerBands } from './indicators/volatility.js';

const universe: Bars[] = listSymbols('sp500').map((symbol) => loadBars(symbol, { onIssue: () => {} }));

function each(compute: (bars: Bars) => unknown): () => void {
  return () => {
    for (const bars of universe) compute(bars);
  };
}

describe(`${universe.length} sp500 symbols`, () => {
  bench('rollingMean(20)', each((bars) => rollingMean(bars.close, 20)));
  bench('rollingStd(20)', each((bars) => rollingStd(bars.close, 20)));
  bench('rollingMax(252)', each((bars) => rollingMax(bars.high, 252)));
  bench('rollingPercentRank(252)', each((bars) => rollingPercentRank(bars.close, 252)));
  bench('rollingRegression(60)', each((bars) => rollingRegression(bars.close, 60)));
  bench('rsi(14)', each((bars) => rsi(bars.close, 14)));
  bench('macd(12,26,9)', each((bars) => macd(bars.close)));
  bench('atr(14)', each((bars) => atr(bars.high, bars.low, bars.close, 14)));
  bench('adx(14)', each((bars) => adx(bars.high, bars.low, bars.close, 14)));
  bench('bollingerBands(20,2)', each((bars) => bollingerBands(bars.close)));
});
