// The Classifier contract for the non-tree models (linear, SVM, naive Bayes, MLP): input validation, state errors,
// probability rows, registry round trips.
import { FormatError, IncompatibleVersionError, InvalidArgumentError, StateError } from '@quant/core';
import { describe, expect, it } from 'vitest';
import { matrixFrom, separable, syntheticData } from './__fixtures__/synthetic.js';
import { GaussianNaiveBayesClassifier, LinearSvmClassifier, LogisticRegressionClassifier, MlpClassifier, modelFromJSON, type Classifier } from './index.js';

const makers: [string, () => Classifier][] = [
  ['logistic-regression', () => new LogisticRegressionClassifier()],
  ['linear-svm', () => new LinearSvmClassifier()],
  ['linear-svm', () => new LinearSvmClassifier({ kernel: 'rbf', components: 20, loss: 'hinge' })],
  ['naive-bayes', () => new GaussianNaiveBayesClassifier()],
  ['mlp', () => new MlpClassifier({ hiddenLayers: [8], maxEpochs: 20, learningRate: 0.05, batchSize: 16 })],
];

describe.each(makers)('%s contract', (kind, make) => {
  const { X, y } = syntheticData(90, 3, 1, separable);

  it('has its registry kind', () => {
    expect(make().kind).toBe(kind);
  });

  it('refuses bad training input with a clear error', () => {
    expect(() => make().fit(X, y.subarray(0, 89))).toThrow(/90 rows but there are 89 labels/);
    const unlabelled = y.slice();
    unlabelled[7] = -1;
    expect(() => make().fit(X, unlabelled)).toThrow(InvalidArgumentError);
    expect(() => make().fit(X, unlabelled)).toThrow(/row 7 is -1 \(no label/);
    const weights = new Float64Array(90).fill(1);
    weights[5] = Number.NaN;
    expect(() => make().fit(X, y, { sampleWeight: weights })).toThrow(/sampleWeight of row 5 is NaN/);
    expect(() => make().fit(X, y, { sampleWeight: new Float64Array(90) })).toThrow(/sum to 0/);
    expect(() => make().fit(X, y, { classWeight: [1, -1, 1] })).toThrow(/class weight -1/);
    const infinite = matrixFrom(90, 3, (row, column) => (row === 4 && column === 2 ? Number.POSITIVE_INFINITY : X.values[column * 90 + row]!));
    expect(() => make().fit(infinite, y)).toThrow(/feature "x2" of row 4 is Infinity/);
  });

  it('refuses prediction before fit, on the wrong columns and on infinite values', () => {
    expect(() => make().predictProba(X)).toThrow(StateError);
    expect(() => make().toJSON()).toThrow(StateError);
    const model = make().fit(X, y);
    expect(() => model.predictProba(matrixFrom(4, 2, () => 0))).toThrow(/trained on 3 columns, but the matrix has 2/);
    expect(() => model.predictProba(matrixFrom(4, 3, (row) => (row === 2 ? Number.NEGATIVE_INFINITY : 0)))).toThrow(/row 2 is -Infinity/);
  });

  it('gives rows of probabilities summing to 1 and importances summing to 1', () => {
    const model = make().fit(X, y);
    const probabilities = model.predictProba(X);
    expect(probabilities.length).toBe(270);
    for (let row = 0; row < 90; row++) {
      expect(probabilities[row * 3]! + probabilities[row * 3 + 1]! + probabilities[row * 3 + 2]!).toBeCloseTo(1, 12);
    }
    expect(model.predict(X).length).toBe(90);
    const importance = model.featureImportance();
    expect(importance.length).toBe(3);
    expect(importance.every((value) => value >= 0)).toBe(true);
    expect(importance.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
  });

  it('fits when a class is absent from the training labels, giving it (almost) no probability', () => {
    const twoClasses = Int8Array.from(y, (label) => (label === 2 ? 1 : label));
    const probabilities = make().fit(X, twoClasses).predictProba(X);
    expect(probabilities.every((value) => Number.isFinite(value))).toBe(true);
    for (let row = 0; row < 90; row++) expect(probabilities[row * 3 + 2]).toBeLessThan(0.05);
  });

  it('round-trips through the registry; other format versions are refused', () => {
    const json = make().fit(X, y).toJSON();
    expect(json.kind).toBe(kind);
    const restored = modelFromJSON(JSON.parse(JSON.stringify(json)));
    expect(restored.predictProba(X)).toEqual(modelFromJSON(json).predictProba(X));
    expect(() => modelFromJSON({ ...json, formatVersion: 99 })).toThrow(IncompatibleVersionError);
    expect(() => modelFromJSON({ ...json, parameters: 'none' })).toThrow(FormatError);
  });
});
