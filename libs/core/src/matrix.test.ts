import { describe, expect, it } from 'vitest';
import { columnIndex, concatRows, createFeatureMatrix, getColumn, getValue, rowKey, selectColumns, selectRows } from './matrix.js';
import { NotFoundError } from './errors.js';

// 3 rows x 2 columns, column-major: a = [1, 2, 3], b = [10, 20, 30]
const sample = () =>
  createFeatureMatrix({
    columns: ['a', 'b'],
    values: Float64Array.from([1, 2, 3, 10, 20, 30]),
    symbols: ['AAA', 'BBB'],
    rowSymbols: Int32Array.from([0, 0, 1]),
    rowDates: Int32Array.from([100, 101, 100]),
  });

describe('feature matrix', () => {
  it('stores columns contiguously and gives views', () => {
    const matrix = sample();
    expect(Array.from(getColumn(matrix, 'b'))).toEqual([10, 20, 30]);
    expect(getValue(matrix, 2, 0)).toBe(3);
    expect(rowKey(matrix, 2)).toEqual({ symbol: 'BBB', date: '1970-04-11' });
    expect(getColumn(matrix, 0).buffer).toBe(matrix.values.buffer);
  });

  it('validates names and sizes', () => {
    expect(() =>
      createFeatureMatrix({ columns: ['a', 'a'], values: new Float64Array(2), symbols: ['X'], rowSymbols: Int32Array.from([0]), rowDates: Int32Array.from([0]) }),
    ).toThrowError(/"a" appears twice/);
    expect(() =>
      createFeatureMatrix({ columns: ['a'], values: new Float64Array(3), symbols: ['X'], rowSymbols: Int32Array.from([0, 0]), rowDates: Int32Array.from([0, 1]) }),
    ).toThrowError(/2 rows x 1 columns need 2/);
    expect(() => columnIndex(sample(), 'zzz')).toThrowError(NotFoundError);
  });

  it('selects rows and columns', () => {
    const rows = selectRows(sample(), [2, 0]);
    expect(Array.from(rows.values)).toEqual([3, 1, 30, 10]);
    expect(rowKey(rows, 0).symbol).toBe('BBB');
    const columns = selectColumns(sample(), ['b']);
    expect(columns.columns).toEqual(['b']);
    expect(Array.from(columns.values)).toEqual([10, 20, 30]);
  });

  it('concatenates rows and remaps symbols by name', () => {
    const other = createFeatureMatrix({
      columns: ['a', 'b'],
      values: Float64Array.from([4, 40]),
      symbols: ['BBB'],
      rowSymbols: Int32Array.from([0]),
      rowDates: Int32Array.from([101]),
    });
    const joined = concatRows([sample(), other]);
    expect(joined.rowCount).toBe(4);
    expect(Array.from(getColumn(joined, 'a'))).toEqual([1, 2, 3, 4]);
    expect(Array.from(getColumn(joined, 'b'))).toEqual([10, 20, 30, 40]);
    expect(rowKey(joined, 3)).toEqual({ symbol: 'BBB', date: '1970-04-12' });
    expect(joined.symbols).toEqual(['AAA', 'BBB']);
  });
});
