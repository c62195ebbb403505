import { createRandom } from '@quant/core';
import { describe, expect, it } from 'vitest';
import { imbalancedData } from '../__fixtures__/imbalanced.js';
import { loadTestSample, loadTrainSample } from '../__fixtures__/reference-sample.js';
import { separable, syntheticData, xor } from '../__fixtures__/synthetic.js';
import { LinearSvmClassifier, Standardizer, accuracy, argmaxRows, logLoss, macroF1, modelFromJSON, recall } from '../index.js';
import { KernelDesign } from './design.js';
import { solveDual, solvePrimal } from './svm.js';

describe('LinearSvmClassifier', () => {
  const train = syntheticData(600, 3, 11, separable);
  const test = syntheticData(400, 3, 12, separable);
  const xorTrain = syntheticData(800, 3, 21, xor);
  const xorTest = syntheticData(400, 3, 22, xor);

  it.each(['squared-hinge', 'hinge'] as const)('separates classes that are intervals of one feature (%s loss)', (loss) => {
    const model = new LinearSvmClassifier({ C: 1, loss }).fit(train.X, train.y);
    expect(model.converged).toBe(true);
    const probabilities = model.predictProba(test.X);
    expect(accuracy(test.y, argmaxRows(probabilities))).toBeGreaterThan(0.95);
    // One-vs-rest cannot separate HOLD (a band of x0) from the rest with one hyperplane, so its sigmoid is vague.
    expect(logLoss(test.y, probabilities)).toBeLessThan(0.4);
    expect(model.featureImportance()[0]).toBeGreaterThan(0.8);
  });

  it('solves the squared-hinge problem to the same optimum in the primal (L-BFGS) and in the dual (coordinate descent)', () => {
    const design = Standardizer.fit(train.X).transform(train.X);
    const rows = Int32Array.from({ length: 600 }, (_, row) => row);
    const weights = Float64Array.from({ length: 600 }, (_, row) => 0.5 + (row % 3));
    const parameters = { ...new LinearSvmClassifier({ C: 0.5, tolerance: 1e-8, maxIterations: 20_000 }).parameters };
    const primal = solvePrimal(new KernelDesign(design, 600, 3), rows, train.y, weights, parameters, undefined);
    expect(primal.converged).toBe(true);
    for (const label of [0, 1, 2]) {
      const dual = solveDual(design, 3, rows, train.y, label, weights, parameters, createRandom(1));
      expect(dual.converged).toBe(true);
      for (let index = 0; index < 4; index++) expect(primal.weights[label * 4 + index]).toBeCloseTo(dual.weights[index]!, 5);
    }
  });

  it('cannot learn XOR with the linear kernel, but can with random Fourier features', () => {
    const linear = new LinearSvmClassifier().fit(xorTrain.X, xorTrain.y);
    expect(accuracy(xorTest.y, linear.predict(xorTest.X))).toBeLessThan(0.65);
    const rbf = new LinearSvmClassifier({ kernel: 'rbf', components: 200, C: 10, seed: 3 }).fit(xorTrain.X, xorTrain.y);
    expect(accuracy(xorTest.y, rbf.predict(xorTest.X))).toBeGreaterThan(0.9);
    // x2 is noise: the kernel model's sensitivity to it is the smallest.
    const importance = rbf.featureImportance();
    expect(importance[2]).toBeLessThan(Math.min(importance[0]!, importance[1]!));
  });

  it('finds the rare classes only with class weights', () => {
    const imbalancedTrain = imbalancedData(3000, 5);
    const imbalancedTest = imbalancedData(3000, 6);
    const plain = new LinearSvmClassifier().fit(imbalancedTrain.X, imbalancedTrain.y);
    const balanced = new LinearSvmClassifier().fit(imbalancedTrain.X, imbalancedTrain.y, { classWeight: 'balanced' });
    expect(recall(imbalancedTest.y, plain.predict(imbalancedTest.X), 2)).toBeLessThan(0.2);
    expect(recall(imbalancedTest.y, balanced.predict(imbalancedTest.X), 2)).toBeGreaterThan(0.6);
  });

  it.each(['linear', 'rbf'] as const)('is deterministic for a seed and round-trips through JSON (%s kernel)', (kernel) => {
    const make = (seed: number): LinearSvmClassifier => new LinearSvmClassifier({ kernel, components: 50, loss: kernel === 'rbf' ? 'hinge' : 'squared-hinge', seed });
    const first = make(7).fit(xorTrain.X, xorTrain.y);
    const second = make(7).fit(xorTrain.X, xorTrain.y);
    expect(JSON.stringify(second.toJSON())).toBe(JSON.stringify(first.toJSON()));
    const restored = modelFromJSON(JSON.parse(JSON.stringify(first.toJSON())));
    expect(restored).toBeInstanceOf(LinearSvmClassifier);
    expect(restored.predictProba(xorTest.X)).toEqual(first.predictProba(xorTest.X));
    expect(restored.featureImportance()).toEqual(first.featureImportance());
    if (kernel === 'rbf') expect(JSON.stringify(make(8).fit(xorTrain.X, xorTrain.y).toJSON())).not.toBe(JSON.stringify(first.toJSON()));
  });

  it('refuses bad hyperparameters, too few rows for the folds and damaged JSON', () => {
    expect(() => new LinearSvmClassifier({ C: -1 })).toThrow(/C must be in/);
    expect(() => new LinearSvmClassifier({ calibrationFolds: 1 })).toThrow(/calibrationFolds must be an integer >= 2, got 1/);
    expect(() => new LinearSvmClassifier({ loss: 'log' as 'hinge' })).toThrow(/loss must be 'squared-hinge' or 'hinge', got "log"/);
    expect(() => new LinearSvmClassifier({ kernel: 'poly' as 'rbf' })).toThrow(/kernel must be/);
    expect(() => new LinearSvmClassifier({ gamma: 0 })).toThrow(/gamma/);
    expect(() => new LinearSvmClassifier().fit(syntheticData(2, 3, 1, separable).X, Int8Array.of(0, 1))).toThrow(/needs at least 3 rows, got 2/);
    const json = new LinearSvmClassifier().fit(train.X, train.y).toJSON();
    expect(() => modelFromJSON({ ...json, folds: [] })).toThrow(/"folds": 3 fold models/);
    const folds = json['folds'] as { weights: number[]; calibration: number[][] }[];
    expect(() => modelFromJSON({ ...json, folds: folds.map((fold) => ({ ...fold, calibration: [[1, 2]] })) })).toThrow(/three \[slope, offset\] pairs/);
  });

  it('beats the majority baseline on the real reference-fold sample', () => {
    const realTrain = loadTrainSample();
    const realTest = loadTestSample();
    // The majority class scores macro-F1 0.237 and log loss 1.244 (training priors) on this test sample.
    const model = new LinearSvmClassifier({ C: 0.05 }).fit(realTrain.X, realTrain.y);
    const probabilities = model.predictProba(realTest.X);
    expect(macroF1(realTest.y, argmaxRows(probabilities))).toBeGreaterThan(0.35);
    expect(logLoss(realTest.y, probabilities)).toBeLessThan(1.1);
  });
});
