import { describe, expect, it } from 'vitest';
import { sliceBars, type Bars } from '@quant/core';
import { TECHNICAL_FEATURE_NAMES, buildMarketContext, computeTechnicalFeatures, type FeatureContext } from '@quant/features';
import { getSymbolInfo, loadBars } from '@quant/sample-data';
import { DRIFT_WINDOW_ROWS, STORED_FEATURE_ROWS, splitStoredMatrix, symbolFeatureRows, type StoredFeatures } from './scan-features.js';

const COLUMNS = TECHNICAL_FEATURE_NAMES.length;
const series = ['AAPL', 'MSFT', 'XOM', 'JPM', 'KO'].map((symbol) => loadBars(symbol, { dataset: 'sp500' }));
const market = buildMarketContext(series, (symbol) => getSymbolInfo(symbol, { dataset: 'sp500' }).sector);
const aapl = series[0]!;
const context: FeatureContext = { ...market, sector: 'Information Technology' };

/** The last `rows` rows of the batch over the whole history, as Float32 (the stored precision). */
function batchRows(bars: Bars, rows: number): Float32Array {
  const matrix = computeTechnicalFeatures(bars, context);
  const out = new Float32Array(rows * COLUMNS);
  for (let column = 0; column < COLUMNS; column++) {
    for (let row = 0; row < rows; row++) out[column * rows + row] = matrix.values[column * matrix.rowCount + matrix.rowCount - rows + row]!;
  }
  return out;
}

/** Equal as Float32 numbers up to the streaming form's rounding (about 1e-12 relative before the Float32 cast). */
function expectSameFeatures(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  let compared = 0;
  for (let index = 0; index < expected.length; index++) {
    const a = actual[index]!;
    const e = expected[index]!;
    if (Number.isNaN(e)) {
      expect(a).toBeNaN();
      continue;
    }
    expect(Math.abs(a - e)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(e)));
    compared++;
  }
  expect(compared).toBeGreaterThan(expected.length * 0.9);
}

describe('symbolFeatureRows', () => {
  it('computes the whole history when nothing is stored, and returns the drift window and a block to store', () => {
    const result = symbolFeatureRows(aapl, undefined, context);
    expect(result.method).toBe('computed');
    expect(result.computedBars).toBe(aapl.dates.length);
    expect(Array.from(result.dates)).toEqual(Array.from(aapl.dates.subarray(-DRIFT_WINDOW_ROWS)));
    expect(Array.from(result.values)).toEqual(Array.from(batchRows(aapl, DRIFT_WINDOW_ROWS)));
    expect(result.block!.dates.length).toBe(STORED_FEATURE_ROWS);
    expect(result.block!.dates[STORED_FEATURE_ROWS - 1]).toBe(aapl.dates[aapl.dates.length - 1]);
  });

  it('computes only the newest bars when earlier rows are stored, equal to a full computation', () => {
    const count = aapl.dates.length;
    // A first scan two bars ago stored its rows.
    const earlier = symbolFeatureRows(sliceBars(aapl, 0, count - 2), undefined, context);
    const stored: StoredFeatures = { dates: earlier.block!.dates, values: earlier.block!.values as Float32Array };

    const result = symbolFeatureRows(aapl, stored, context);
    expect(result.method).toBe('streamed');
    expect(result.computedBars).toBe(2);
    expectSameFeatures(result.values, batchRows(aapl, DRIFT_WINDOW_ROWS));
    // The rows that were stored come back bit for bit; the block now ends at the newest bar.
    const reused = DRIFT_WINDOW_ROWS - 2;
    for (let column = 0; column < COLUMNS; column++) {
      for (let row = 0; row < reused; row++) {
        const storedRow = stored.dates.length - reused + row;
        expect(Object.is(result.values[column * DRIFT_WINDOW_ROWS + row], stored.values[column * stored.dates.length + storedRow])).toBe(true);
      }
    }
    expect(result.block!.dates[result.block!.dates.length - 1]).toBe(aapl.dates[count - 1]);
    expect(result.block!.dates.length).toBe(STORED_FEATURE_ROWS);
    expectSameFeatures(result.block!.values as Float32Array, batchRows(aapl, STORED_FEATURE_ROWS));

    // Scanning the same day again computes nothing and leaves the store alone.
    const again = symbolFeatureRows(aapl, { dates: result.block!.dates, values: result.block!.values as Float32Array }, context);
    expect(again.method).toBe('stored');
    expect(again.computedBars).toBe(0);
    expect(again.block).toBeNull();
    expect(Array.from(again.values)).toEqual(Array.from(result.values));
  });

  it('recomputes everything when more bars are new than streaming pays for, or the stored dates are not the bars', () => {
    const count = aapl.dates.length;
    const earlier = symbolFeatureRows(sliceBars(aapl, 0, count - 10), undefined, context);
    const stored: StoredFeatures = { dates: earlier.block!.dates, values: earlier.block!.values as Float32Array };
    const result = symbolFeatureRows(aapl, stored, context);
    expect(result.method).toBe('computed');
    expect(Array.from(result.values)).toEqual(Array.from(batchRows(aapl, DRIFT_WINDOW_ROWS)));

    // Stored rows on days the bars do not have (a revised history) are not trusted.
    const shifted: StoredFeatures = { dates: stored.dates.map((day) => day + 1), values: stored.values };
    const fresh = symbolFeatureRows(sliceBars(aapl, 0, count - 9), shifted, context);
    expect(fresh.method).toBe('computed');
  });

  it('reads a scan as of an earlier day from the store without moving the stored block back', () => {
    const full = symbolFeatureRows(aapl, undefined, context);
    const stored: StoredFeatures = { dates: full.block!.dates, values: full.block!.values as Float32Array };
    const count = aapl.dates.length;
    const earlier = symbolFeatureRows(sliceBars(aapl, 0, count - 30), stored, context);
    expect(earlier.method).toBe('stored');
    expect(Array.from(earlier.values)).toEqual(Array.from(batchRows(sliceBars(aapl, 0, count - 30), DRIFT_WINDOW_ROWS)));
    // Before the stored rows: computed, and the newer block is left as it is.
    const older = symbolFeatureRows(sliceBars(aapl, 0, count - 100), stored, context);
    expect(older.method).toBe('computed');
    expect(older.block).toBeNull();
  });

  it('splits a stored matrix per symbol', () => {
    const a = symbolFeatureRows(aapl, undefined, context).block!;
    const b = symbolFeatureRows(series[1]!, undefined, { ...market, sector: 'Information Technology' }).block!;
    const rows = a.dates.length + b.dates.length;
    const values = new Float32Array(rows * COLUMNS);
    for (let column = 0; column < COLUMNS; column++) {
      values.set(a.values.subarray(column * a.dates.length, (column + 1) * a.dates.length), column * rows);
      values.set(b.values.subarray(column * b.dates.length, (column + 1) * b.dates.length), column * rows + a.dates.length);
    }
    const split = splitStoredMatrix({
      rowCount: rows,
      values,
      symbols: ['AAPL', 'MSFT'],
      rowSymbols: Int32Array.from({ length: rows }, (_, row) => (row < a.dates.length ? 0 : 1)),
      rowDates: Int32Array.from([...a.dates, ...b.dates]),
    });
    expect(Array.from(split.get('MSFT')!.values)).toEqual(Array.from(b.values));
    expect(Array.from(split.get('AAPL')!.dates)).toEqual(Array.from(a.dates));
  });
});
