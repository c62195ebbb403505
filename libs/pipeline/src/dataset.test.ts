import { describe, expect, it } from 'vitest';
import { BUY, HOLD, NO_LABEL, SELL } from '@quant/core';
import { assembleTrainingSet, classCounts, sampleRows, type SymbolSamples } from './dataset.js';

describe('sampleRows', () => {
  it('keeps labelled rows after the warm-up, every stride-th one', () => {
    // Rises 1% a day: every day reaches +10% in 10 days (BUY) except the last 14, which have no label.
    const closes = Float64Array.from({ length: 60 }, (_, day) => 100 * 1.01 ** day);
    const { rows, labels } = sampleRows(closes, { holdDays: 14, target: 0.1, stop: 0.05 }, { sampleStride: 3, warmupRows: 10 });
    expect([...rows]).toEqual([10, 13, 16, 19, 22, 25, 28, 31, 34, 37, 40, 43]);
    expect([...labels].every((label) => label === BUY)).toBe(true);
    expect([...labels]).not.toContain(NO_LABEL);
  });
});

describe('assembleTrainingSet', () => {
  const block = (symbol: string, dates: number[], column: number[], rows: number[], labels: number[]): SymbolSamples => ({
    features: { symbol, dates: Int32Array.from(dates), columns: ['a', 'b'], values: Float32Array.from([...column, ...column.map((value) => value * 10)]) },
    rows: Int32Array.from(rows),
    labels: Int8Array.from(labels),
  });

  it('orders rows by date, then by symbol, and keeps each row with its own features and label', () => {
    const set = assembleTrainingSet([
      block('X', [1, 2, 3], [0.1, 0.2, 0.3], [0, 2], [SELL, BUY]),
      block('Y', [2, 3, 4], [5, 6, 7], [0, 1, 2], [HOLD, HOLD, SELL]),
    ]);
    expect([...set.matrix.rowDates]).toEqual([1, 2, 3, 3, 4]);
    expect([...set.matrix.rowSymbols]).toEqual([0, 1, 0, 1, 1]);
    expect([...set.labels]).toEqual([SELL, HOLD, BUY, HOLD, SELL]);
    expect([...set.barRows]).toEqual([0, 0, 2, 1, 2]);
    expect([...set.matrix.values.subarray(0, 5)].map((value) => Number(value.toFixed(3)))).toEqual([0.1, 5, 0.3, 6, 7]);
    expect(classCounts(set.labels)).toEqual([2, 2, 1]);
  });

  it('refuses symbols with different feature columns', () => {
    const other: SymbolSamples = { ...block('Z', [1], [1], [0], [HOLD]), features: { symbol: 'Z', dates: Int32Array.of(1), columns: ['a', 'c'], values: Float32Array.of(1, 1) } };
    expect(() => assembleTrainingSet([block('X', [1], [1], [0], [HOLD]), other])).toThrow(/Z: its feature columns differ/);
  });
});
