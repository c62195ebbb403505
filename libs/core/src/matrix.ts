/**
 * A feature matrix: rows are (symbol, date) samples, columns are named features.
 *
 * Storage is column-major (`values[column * rowCount + row]`): features are computed a column at a time, tree models
 * quantise a column at a time, and a column is then a contiguous `subarray` view. Float32 storage is allowed to halve
 * memory for the full universe (470 symbols x 1,259 days x 202 features is 120 million values).
 */
import { dayToIso } from './dates.js';
import { InvalidArgumentError, NotFoundError, describeValue } from './errors.js';

export type MatrixValues = Float64Array | Float32Array;

export interface FeatureMatrix {
  readonly rowCount: number;
  readonly columnCount: number;
  /** Column (feature) names, unique, in storage order. */
  readonly columns: readonly string[];
  /** Column-major values; NaN marks a missing value (warm-up, missing data). */
  readonly values: MatrixValues;
  /** Symbols that rows refer to. */
  readonly symbols: readonly string[];
  /** For each row, an index into `symbols`. */
  readonly rowSymbols: Int32Array;
  /** For each row, its date as days since 1970-01-01. */
  readonly rowDates: Int32Array;
}

export interface FeatureMatrixInit {
  columns: readonly string[];
  values: MatrixValues;
  symbols: readonly string[];
  rowSymbols: Int32Array;
  rowDates: Int32Array;
}

/** Builds a matrix, checking that names are unique and every array has the size the others imply. */
export function createFeatureMatrix(init: FeatureMatrixInit): FeatureMatrix {
  const rowCount = init.rowDates.length;
  const columnCount = init.columns.length;
  if (new Set(init.columns).size !== columnCount) {
    const seen = new Set<string>();
    const duplicate = init.columns.find((name) => (seen.has(name) ? true : (seen.add(name), false)));
    throw new InvalidArgumentError(`feature names must be unique; ${describeValue(duplicate)} appears twice`);
  }
  if (init.rowSymbols.length !== rowCount) {
    throw new InvalidArgumentError(`rowSymbols has ${init.rowSymbols.length} entries but rowDates has ${rowCount}`);
  }
  if (init.values.length !== rowCount * columnCount) {
    throw new InvalidArgumentError(
      `values has ${init.values.length} entries; ${rowCount} rows x ${columnCount} columns need ${rowCount * columnCount}`,
    );
  }
  for (let row = 0; row < rowCount; row++) {
    const symbolIndex = init.rowSymbols[row]!;
    if (symbolIndex < 0 || symbolIndex >= init.symbols.length) {
      throw new InvalidArgumentError(`row ${row} refers to symbol index ${symbolIndex}, but there are ${init.symbols.length} symbols`);
    }
  }
  return {
    rowCount,
    columnCount,
    columns: [...init.columns],
    values: init.values,
    symbols: [...init.symbols],
    rowSymbols: init.rowSymbols,
    rowDates: init.rowDates,
  };
}

/** Index of a column by name; NotFoundError when absent. */
export function columnIndex(matrix: FeatureMatrix, name: string): number {
  const index = matrix.columns.indexOf(name);
  if (index < 0) throw new NotFoundError(`no feature named ${describeValue(name)} in the matrix`);
  return index;
}

/** One column as a view (no copy), by index or name. */
export function getColumn(matrix: FeatureMatrix, column: number | string): MatrixValues {
  const index = typeof column === 'string' ? columnIndex(matrix, column) : column;
  if (!Number.isInteger(index) || index < 0 || index >= matrix.columnCount) {
    throw new InvalidArgumentError(`column ${describeValue(column)} is outside 0..${matrix.columnCount - 1}`);
  }
  return matrix.values.subarray(index * matrix.rowCount, (index + 1) * matrix.rowCount);
}

/** The value at (row, column). */
export function getValue(matrix: FeatureMatrix, row: number, column: number): number {
  return matrix.values[column * matrix.rowCount + row]!;
}

/** The symbol and ISO date that a row describes. */
export function rowKey(matrix: FeatureMatrix, row: number): { symbol: string; date: string } {
  if (!Number.isInteger(row) || row < 0 || row >= matrix.rowCount) {
    throw new InvalidArgumentError(`row ${describeValue(row)} is outside 0..${matrix.rowCount - 1}`);
  }
  return { symbol: matrix.symbols[matrix.rowSymbols[row]!]!, date: dayToIso(matrix.rowDates[row]!) };
}

/** A new matrix with the given rows, in the given order (copies values). */
export function selectRows(matrix: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const count = rows.length;
  const source = matrix.values;
  const values = source instanceof Float32Array ? new Float32Array(count * matrix.columnCount) : new Float64Array(count * matrix.columnCount);
  const rowSymbols = new Int32Array(count);
  const rowDates = new Int32Array(count);
  for (let index = 0; index < count; index++) {
    const row = rows[index]!;
    if (!Number.isInteger(row) || row < 0 || row >= matrix.rowCount) {
      throw new InvalidArgumentError(`row ${describeValue(row)} is outside 0..${matrix.rowCount - 1}`);
    }
    rowSymbols[index] = matrix.rowSymbols[row]!;
    rowDates[index] = matrix.rowDates[row]!;
  }
  for (let column = 0; column < matrix.columnCount; column++) {
    const from = column * matrix.rowCount;
    const to = column * count;
    for (let index = 0; index < count; index++) values[to + index] = source[from + rows[index]!]!;
  }
  return { ...matrix, rowCount: count, values, rowSymbols, rowDates };
}

/** A new matrix with the named columns, in the given order (copies values). */
export function selectColumns(matrix: FeatureMatrix, columns: readonly string[]): FeatureMatrix {
  const indices = columns.map((name) => columnIndex(matrix, name));
  const values = matrix.values instanceof Float32Array
    ? new Float32Array(matrix.rowCount * indices.length)
    : new Float64Array(matrix.rowCount * indices.length);
  indices.forEach((index, position) => values.set(getColumn(matrix, index), position * matrix.rowCount));
  return createFeatureMatrix({ columns, values, symbols: matrix.symbols, rowSymbols: matrix.rowSymbols, rowDates: matrix.rowDates });
}

/**
 * Stacks matrices with identical columns, one under the other. Symbols are merged by name, so rows keep pointing at
 * the right symbol.
 */
export function concatRows(matrices: readonly FeatureMatrix[]): FeatureMatrix {
  if (matrices.length === 0) throw new InvalidArgumentError('concatRows needs at least one matrix');
  const columns = matrices[0]!.columns;
  for (const matrix of matrices) {
    if (matrix.columns.length !== columns.length || matrix.columns.some((name, index) => name !== columns[index])) {
      throw new InvalidArgumentError('concatRows needs matrices with the same columns in the same order');
    }
  }
  const rowCount = matrices.reduce((sum, matrix) => sum + matrix.rowCount, 0);
  const useFloat32 = matrices.every((matrix) => matrix.values instanceof Float32Array);
  const values = useFloat32 ? new Float32Array(rowCount * columns.length) : new Float64Array(rowCount * columns.length);
  const symbols: string[] = [];
  const symbolIndex = new Map<string, number>();
  const rowSymbols = new Int32Array(rowCount);
  const rowDates = new Int32Array(rowCount);
  let offset = 0;
  for (const matrix of matrices) {
    const remap = matrix.symbols.map((symbol) => {
      let index = symbolIndex.get(symbol);
      if (index === undefined) {
        index = symbols.length;
        symbols.push(symbol);
        symbolIndex.set(symbol, index);
      }
      return index;
    });
    for (let row = 0; row < matrix.rowCount; row++) {
      rowSymbols[offset + row] = remap[matrix.rowSymbols[row]!]!;
      rowDates[offset + row] = matrix.rowDates[row]!;
    }
    for (let column = 0; column < columns.length; column++) {
      values.set(getColumn(matrix, column), column * rowCount + offset);
    }
    offset += matrix.rowCount;
  }
  return { rowCount, columnCount: columns.length, columns: [...columns], values, symbols, rowSymbols, rowDates };
}
