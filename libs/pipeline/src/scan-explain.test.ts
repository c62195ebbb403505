import { describe, expect, it } from 'vitest';
import { selectRows } from '@quant/core';
import type { Classifier, ShapValues } from '@quant/models';
import { fittedClassifier, trainingSet } from './__fixtures__/promoted-model.js';
import { classContributions, topFeatures } from './scan-explain.js';

const { matrix } = trainingSet();
const rows = selectRows(matrix, Uint32Array.from({ length: 60 }, (_, index) => index * 26));
// Every class appears, so each class's trees are used.
const classes = Int8Array.from({ length: rows.rowCount }, (_, row) => row % 3);

function fullShap(model: Classifier): ShapValues {
  return (model as unknown as { shapValues(X: typeof rows): ShapValues }).shapValues(rows);
}

describe('classContributions', () => {
  it('equals the full TreeSHAP values of each row class for a boosted model, from that class trees alone', () => {
    const model = fittedClassifier('boosting');
    const { values } = fullShap(model);
    const contributions = classContributions(model, rows, classes);
    const features = rows.columnCount;
    let nonZero = 0;
    for (let row = 0; row < rows.rowCount; row++) {
      for (let feature = 0; feature < features; feature++) {
        const expected = values[(row * features + feature) * 3 + classes[row]!]!;
        expect(contributions[row * features + feature]).toBeCloseTo(expected, 12);
        if (expected !== 0) nonZero++;
      }
    }
    expect(nonZero).toBeGreaterThan(rows.rowCount);
  });

  it('equals the full TreeSHAP values for a forest (three outputs per tree)', () => {
    const model = fittedClassifier('forest');
    const { values } = fullShap(model);
    const contributions = classContributions(model, rows, classes);
    const features = rows.columnCount;
    for (let row = 0; row < rows.rowCount; row += 7) {
      for (let feature = 0; feature < features; feature++) {
        expect(contributions[row * features + feature]).toBe(values[(row * features + feature) * 3 + classes[row]!]!);
      }
    }
  });
});

describe('topFeatures', () => {
  it('names the features with the largest absolute contribution, largest first, with their values', () => {
    const model = fittedClassifier('boosting');
    const contributions = classContributions(model, rows, classes);
    const top = topFeatures(model, rows, classes, 3);
    const features = rows.columnCount;
    top.forEach((entries, row) => {
      expect(entries).toHaveLength(3);
      const magnitudes = Array.from(contributions.subarray(row * features, (row + 1) * features), Math.abs).sort((a, b) => b - a);
      expect(entries.map((entry) => Math.abs(entry.shap))).toEqual(magnitudes.slice(0, 3));
      for (const entry of entries) {
        const column = rows.columns.indexOf(entry.feature);
        const value = rows.values[column * rows.rowCount + row]!;
        expect(entry.value).toBe(Number.isFinite(value) ? value : null);
      }
    });
  });

  it('refuses classes that are not label codes', () => {
    const model = fittedClassifier('boosting');
    expect(() => topFeatures(model, rows, new Int8Array(rows.rowCount).fill(3))).toThrow(/class 3 is not a label code/);
    expect(() => topFeatures(model, rows, new Int8Array(2))).toThrow(/2 classes for 60 rows/);
  });
});
