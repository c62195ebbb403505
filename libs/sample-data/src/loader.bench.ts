/** Speed budget (issue: loading every symbol takes under 1 second). Run: npx vitest bench --run (in libs/sample-data). */
import { bench, describe } from 'vitest';
import { loadBars, listSymbols } from './index.js';

describe('embedded dataset', () => {
  bench('load all 637 symbols (sp500 + allcap + etf, 820,000 bars)', () => {
    for (const dataset of ['sp500', 'allcap', 'etf'] as const) {
      for (const symbol of listSymbols(dataset)) loadBars(symbol, { dataset, onIssue: () => {} });
    }
  }, { iterations: 5, warmupIterations: 1 });

  bench('load AAPL (1,259 bars)', () => {
    loadBars('AAPL');
  });
});
