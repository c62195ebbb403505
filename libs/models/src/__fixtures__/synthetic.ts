/** Small synthetic data sets for the model tests. */
import { createFeatureMatrix, createRandom, type FeatureMatrix } from '@quant/core';

/** A column-major matrix from a function of (row, column). */
export function matrixFrom(rowCount: number, columnCount: number, value: (row: number, column: number) => number): FeatureMatrix {
  const values = new Float64Array(rowCount * columnCount);
  for (let column = 0; column < columnCount; column++) {
    for (let row = 0; row < rowCount; row++) values[column * rowCount + row] = value(row, column);
  }
  return createFeatureMatrix({
    columns: Array.from({ length: columnCount }, (_, index) => `x${index}`),
    values,
    symbols: ['TEST'],
    rowSymbols: new Int32Array(rowCount),
    rowDates: new Int32Array(rowCount),
  });
}

/** Uniform features in [0, 1); the label is decided by `label(row features)`. */
export function syntheticData(
  rowCount: number,
  columnCount: number,
  seed: number,
  label: (features: number[]) => number,
): { X: FeatureMatrix; y: Int8Array } {
  const random = createRandom(seed);
  const rows = Array.from({ length: rowCount }, () => Array.from({ length: columnCount }, () => random.next()));
  const X = matrixFrom(rowCount, columnCount, (row, column) => rows[row]![column]!);
  const y = Int8Array.from(rows, (features) => label(features));
  return { X, y };
}

/** Three classes separated by x0: below 1/3, 1/3..2/3, above. */
export const separable = (features: number[]): number => (features[0]! < 1 / 3 ? 0 : features[0]! < 2 / 3 ? 1 : 2);

/** XOR of x0 > 0.5 and x1 > 0.5: class 2 when they differ, 0 otherwise (no single split helps). */
export const xor = (features: number[]): number => ((features[0]! > 0.5) !== (features[1]! > 0.5) ? 2 : 0);
