import { createRandom } from '@quant/core';
import { describe, expect, it } from 'vitest';
import { matrixFrom } from './__fixtures__/synthetic.js';
import { BinMapper, MISSING_BIN } from './binning.js';

describe('BinMapper', () => {
  const random = createRandom(3);
  const X = matrixFrom(5000, 3, (row, column) => {
    if (column === 1) return row % 4; // four distinct values
    if (column === 2 && row % 10 === 0) return Number.NaN;
    return random.nextGaussian();
  });

  it('uses at most 255 value bins and reserves 255 for missing values', () => {
    const mapper = BinMapper.fit(X);
    const bins = mapper.transform(X);
    expect(mapper.binCount(0)).toBeLessThanOrEqual(255);
    expect(mapper.binCount(0)).toBeGreaterThan(200);
    expect(mapper.binCount(1)).toBe(4);
    for (let row = 0; row < 5000; row++) {
      expect(bins[2 * 5000 + row] === MISSING_BIN).toBe(row % 10 === 0);
      expect(bins[row]).toBeLessThan(255);
    }
  });

  it('learns the same edges from float32 columns (radix sort) as from the same values in float64', () => {
    const columns = 4;
    const rows = 3000;
    const values32 = new Float32Array(rows * columns);
    for (let row = 0; row < rows; row++) {
      values32[row] = random.nextGaussian() * 1e3; // negatives and positives
      values32[rows + row] = row % 9 === 0 ? Number.NaN : Math.round(random.nextGaussian() * 3) * 0.5; // few distinct, NaN
      values32[2 * rows + row] = row % 3 === 0 ? -0 : row % 3 === 1 ? 0 : -1e-30; // signed zeros and a tiny negative
      values32[3 * rows + row] = random.next() < 0.5 ? -Infinity : random.next() * 1e30;
    }
    const float32 = { ...X, rowCount: rows, columnCount: columns, values: values32 };
    const float64 = { ...float32, values: Float64Array.from(values32) };
    const fromFloat32 = BinMapper.fit(float32);
    const fromFloat64 = BinMapper.fit(float64);
    expect(fromFloat32.toJSON()).toEqual(fromFloat64.toJSON());
    expect(fromFloat32.transform(float32)).toEqual(fromFloat64.transform(float64));
    expect(fromFloat32.binCount(0)).toBeGreaterThan(200);
  });

  it('bins by the edges: bin <= b exactly when value <= edges[b]', () => {
    const mapper = BinMapper.fit(X, { maxBins: 16 });
    const bins = mapper.transform(X);
    for (let column = 0; column < 3; column++) {
      const edges = mapper.edges[column]!;
      let mismatches = 0;
      for (let row = 0; row < 5000; row++) {
        const value = X.values[column * 5000 + row]!;
        const bin = bins[column * 5000 + row]!;
        if (Number.isNaN(value)) continue;
        for (let edge = 0; edge < edges.length; edge++) if (bin <= edge !== value <= edges[edge]!) mismatches++;
      }
      expect(mismatches).toBe(0);
    }
  });

  it('gives roughly equal-frequency bins and is deterministic on a subsample', () => {
    const mapper = BinMapper.fit(X, { maxBins: 10, sampleSize: 1000, seed: 5 });
    const again = BinMapper.fit(X, { maxBins: 10, sampleSize: 1000, seed: 5 });
    expect(mapper.toJSON()).toEqual(again.toJSON());
    const counts = new Array<number>(10).fill(0);
    const bins = mapper.transform(X);
    for (let row = 0; row < 5000; row++) counts[bins[row]!]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(300);
  });

  it('maps unseen values beyond the training range to the end bins', () => {
    const mapper = BinMapper.fit(X);
    const bins = mapper.transform(matrixFrom(2, 3, (row) => (row === 0 ? -1e9 : 1e9)));
    expect(bins[0]).toBe(0);
    expect(bins[1]).toBe(mapper.binCount(0) - 1);
    expect(BinMapper.fromJSON(mapper.toJSON()).edges[0]).toEqual(mapper.edges[0]);
  });
});
