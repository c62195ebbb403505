import { describe, expect, it } from 'vitest';
import { createBars, sliceBars } from '@quant/core';
import { buildMarketContext } from '@quant/features';
import { getSymbolInfo, getUniverse, loadBars } from '@quant/sample-data';
import { computeBatches } from './scan-parallel.js';

const symbols = getUniverse('sp500').symbols.slice(0, 40);
const series = symbols.map((symbol) => loadBars(symbol, { dataset: 'sp500', onIssue: () => undefined }));
const sectorOf = (symbol: string) => getSymbolInfo(symbol, { dataset: 'sp500' }).sector;
const context = buildMarketContext(series, sectorOf);
// Short histories keep the test quick; the rows are the same whatever the length.
const tasks = series.map((bars) => ({ bars: sliceBars(bars, Math.max(0, bars.dates.length - 400)), sector: sectorOf(bars.symbol), stored: undefined }));

describe('computeBatches', () => {
  it('gives the same rows on a worker thread as on the calling thread, in task order', async () => {
    const single = await computeBatches(tasks, context, { threads: 1, windowRows: 20, storedRows: 63 });
    const progress: number[] = [];
    const parallel = await computeBatches(tasks, context, { threads: 2, windowRows: 20, storedRows: 63, onProgress: (completed) => progress.push(completed) });
    expect(single.byWorkers).toBe(0);
    expect(parallel.workers).toBe(1);
    expect(parallel.byWorkers).toBeGreaterThan(0);
    expect(progress).toEqual(tasks.map((_, index) => index + 1));
    expect(parallel.rows.map((rows) => rows.symbol)).toEqual(tasks.map((task) => task.bars.symbol));
    parallel.rows.forEach((rows, index) => {
      const expected = single.rows[index]!;
      expect(Array.from(rows.dates)).toEqual(Array.from(expected.dates));
      expect(Array.from(rows.values)).toEqual(Array.from(expected.values));
      expect(Array.from(rows.block!.values)).toEqual(Array.from(expected.block!.values));
      expect(rows.method).toBe('computed');
    });
  }, 60_000);

  it('streams the newest bar on the workers too when earlier rows are stored', async () => {
    const earlier = await computeBatches(
      tasks.map((task) => ({ ...task, bars: sliceBars(task.bars, 0, task.bars.dates.length - 1) })),
      context,
      { threads: 1, windowRows: 20, storedRows: 63 },
    );
    const withStore = tasks.map((task, index) => ({ ...task, stored: { dates: earlier.rows[index]!.block!.dates, values: earlier.rows[index]!.block!.values as Float32Array } }));
    const single = await computeBatches(withStore, context, { threads: 1, windowRows: 20, storedRows: 63 });
    const parallel = await computeBatches(withStore, context, { threads: 2, windowRows: 20, storedRows: 63 });
    expect(parallel.byWorkers).toBeGreaterThan(0);
    parallel.rows.forEach((rows, index) => {
      expect(rows.method).toBe('streamed');
      expect(rows.computedBars).toBe(1);
      expect(Array.from(rows.values)).toEqual(Array.from(single.rows[index]!.values));
    });
  }, 60_000);

  it('reports a symbol that cannot be computed, whichever thread had it', async () => {
    const empty = createBars({ symbol: 'EMPTY', dates: [], open: [], high: [], low: [], close: [], volume: [] });
    const broken = [...tasks.slice(0, 30), { bars: empty, sector: null, stored: undefined }];
    await expect(computeBatches(broken, context, { threads: 2, windowRows: 20, storedRows: 63 })).rejects.toThrow(/EMPTY: no bars to compute features from/);
  }, 60_000);
});
