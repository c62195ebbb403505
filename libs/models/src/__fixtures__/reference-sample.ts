/**
 * A small slice of the reference walk-forward fold (see /work/shared/data/reference-fold/manifest.json): the first
 * 1,500 training rows and every 60th test row (1,000 rows spread over the test period), 52 technical features (float32, row-major) with labels
 * 0 SELL / 1 HOLD / 2 BUY. Copied here so that tests never read outside the package.
 */
import { readFileSync } from 'node:fs';
import { createFeatureMatrix, type FeatureMatrix } from '@quant/core';

export const SAMPLE_FEATURE_COUNT = 52;

function load(name: string): { X: FeatureMatrix; y: Int8Array } {
  const bytes = readFileSync(new URL(`./${name}.f32`, import.meta.url));
  const rowMajor = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const labelBytes = readFileSync(new URL(`./${name}.i8`, import.meta.url));
  const y = new Int8Array(labelBytes.buffer, labelBytes.byteOffset, labelBytes.byteLength).slice();
  return { X: fromRowMajor(rowMajor, y.length, SAMPLE_FEATURE_COUNT), y };
}

/** A FeatureMatrix (column-major) from row-major float32 values. */
export function fromRowMajor(rowMajor: Float32Array, rowCount: number, columnCount: number): FeatureMatrix {
  const values = new Float32Array(rowCount * columnCount);
  for (let row = 0; row < rowCount; row++) {
    for (let column = 0; column < columnCount; column++) values[column * rowCount + row] = rowMajor[row * columnCount + column]!;
  }
  return createFeatureMatrix({
    columns: Array.from({ length: columnCount }, (_, index) => `feature_${index}`),
    values,
    symbols: ['SAMPLE'],
    rowSymbols: new Int32Array(rowCount),
    rowDates: new Int32Array(rowCount),
  });
}

export function loadTrainSample(): { X: FeatureMatrix; y: Int8Array } {
  return load('train-sample');
}

export function loadTestSample(): { X: FeatureMatrix; y: Int8Array } {
  return load('test-sample');
}
