/**
 * The majority baseline: weighted class frequencies, predictions, JSON round trip, errors.
 */
import { BUY, HOLD, SELL, StateError, createFeatureMatrix } from '@quant/core';
import { describe, expect, it } from 'vitest';
import { MajorityClassifier } from './majority.js';

function matrix(rowCount: number, columnCount = 2) {
  return createFeatureMatrix({
    columns: Array.from({ length: columnCount }, (_, index) => `f${index}`),
    values: new Float64Array(rowCount * columnCount).fill(1),
    symbols: ['A'],
    rowSymbols: new Int32Array(rowCount),
    rowDates: Int32Array.from({ length: rowCount }, (_, row) => row),
  });
}

describe('MajorityClassifier', () => {
  const y = Int8Array.from([HOLD, HOLD, HOLD, SELL, BUY]);

  it('predicts the majority class with the training frequencies as probabilities', () => {
    const model = new MajorityClassifier().fit(matrix(5), y);
    expect(Array.from(model.predictProba(matrix(2)))).toEqual([0.2, 0.6, 0.2, 0.2, 0.6, 0.2]);
    expect(Array.from(model.predict(matrix(3)))).toEqual([HOLD, HOLD, HOLD]);
    expect(model.majorityClass()).toBe(HOLD);
    expect(Array.from(model.featureImportance())).toEqual([0.5, 0.5]);
  });

  it('weighs rows by sample and class weights', () => {
    const weighted = new MajorityClassifier().fit(matrix(5), y, { sampleWeight: Float64Array.from([1, 1, 1, 4, 1]) });
    expect(Array.from(weighted.predictProba(matrix(1)))).toEqual([0.5, 0.375, 0.125]);
    expect(weighted.majorityClass()).toBe(SELL);
    const balanced = new MajorityClassifier().fit(matrix(5), y, { classWeight: 'balanced' });
    const probabilities = balanced.predictProba(matrix(1));
    for (const probability of probabilities) expect(probability).toBeCloseTo(1 / 3, 15);
    // On a tie the lowest code wins.
    expect(balanced.majorityClass()).toBe(SELL);
  });

  it('round-trips through JSON and refuses bad stored data', () => {
    const model = new MajorityClassifier().fit(matrix(5), y);
    const restored = MajorityClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(Array.from(restored.predictProba(matrix(2)))).toEqual(Array.from(model.predictProba(matrix(2))));
    expect(() => MajorityClassifier.fromJSON({ kind: 'majority', formatVersion: 1, columnCount: 2, frequencies: [0.5, 0.5] })).toThrow(/frequencies/);
    expect(() => MajorityClassifier.fromJSON({ kind: 'lightgbm', formatVersion: 1 })).toThrow(/expected a majority model/);
  });

  it('refuses to predict before fit and checks the columns', () => {
    expect(() => new MajorityClassifier().predict(matrix(1))).toThrow(StateError);
    const model = new MajorityClassifier().fit(matrix(5), y);
    expect(() => model.predictProba(matrix(1, 3))).toThrow(/trained on 2 columns/);
    expect(() => new MajorityClassifier().fit(matrix(2), Int8Array.from([1, -1]))).toThrow(/no label/);
  });
});
