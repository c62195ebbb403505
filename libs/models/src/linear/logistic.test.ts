import { createRandom } from '@quant/core';
import { describe, expect, it } from 'vitest';
import { loadTestSample, loadTrainSample } from '../__fixtures__/reference-sample.js';
import { imbalancedData } from '../__fixtures__/imbalanced.js';
import { matrixFrom, separable, syntheticData, xor } from '../__fixtures__/synthetic.js';
import { LogisticRegressionClassifier, Standardizer, accuracy, argmaxRows, logLoss, macroF1, modelFromJSON, recall } from '../index.js';

describe('LogisticRegressionClassifier', () => {
  const train = syntheticData(600, 3, 11, separable);
  const test = syntheticData(400, 3, 12, separable);

  it('separates classes that are intervals of one feature', () => {
    const model = new LogisticRegressionClassifier({ C: 100 }).fit(train.X, train.y);
    expect(model.converged).toBe(true);
    expect(accuracy(test.y, model.predict(test.X))).toBeGreaterThan(0.95);
    const importance = model.featureImportance();
    expect(importance.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(importance[0]).toBeGreaterThan(0.8);
  });

  it('cannot learn XOR (a linear model)', () => {
    const xorTrain = syntheticData(800, 3, 21, xor);
    const xorTest = syntheticData(400, 3, 22, xor);
    const model = new LogisticRegressionClassifier().fit(xorTrain.X, xorTrain.y);
    expect(accuracy(xorTest.y, model.predict(xorTest.X))).toBeLessThan(0.65);
  });

  it('meets the optimality conditions of C x weighted loss + 1/2 ||W||^2', () => {
    const weights = Float64Array.from({ length: 600 }, (_, row) => 0.5 + (row % 4));
    const C = 0.3;
    const classWeight = [1, 2, 0.5] as const;
    const model = new LogisticRegressionClassifier({ C, tolerance: 1e-8 }).fit(train.X, train.y, { sampleWeight: weights, classWeight });
    expect(model.converged).toBe(true);
    const probabilities = model.predictProba(train.X);
    const Z = Standardizer.fit(train.X).transform(train.X);
    const { coefficients } = model.coefficients();
    // The fit stops at max |gradient| <= 1e-8 of the objective divided by C x total weight.
    let totalWeight = 0;
    for (let row = 0; row < 600; row++) totalWeight += weights[row]! * classWeight[train.y[row]!]!;
    const bound = 1e-8 * totalWeight * 1.0001;
    for (let label = 0; label < 3; label++) {
      // Intercept (not penalised): sum_i w_i (p_ik - [y_i = k]) = 0. Coefficient j: sum_i w_i (p_ik - [y_i = k]) z_ij + W_kj / C = 0.
      const residual = (row: number): number => weights[row]! * classWeight[train.y[row]!]! * (probabilities[row * 3 + label]! - (train.y[row] === label ? 1 : 0));
      let interceptGradient = 0;
      for (let row = 0; row < 600; row++) interceptGradient += residual(row);
      expect(Math.abs(interceptGradient)).toBeLessThan(bound);
      for (let feature = 0; feature < 3; feature++) {
        let gradient = coefficients[label]![feature]! / C;
        for (let row = 0; row < 600; row++) gradient += residual(row) * Z[row * 3 + feature]!;
        expect(Math.abs(gradient)).toBeLessThan(bound);
      }
    }
  });

  it('treats an integer sample weight like repeated rows', () => {
    const counts = Int32Array.from({ length: 600 }, (_, row) => 1 + (row % 3));
    const repeated: number[] = [];
    counts.forEach((count, row) => {
      for (let copy = 0; copy < count; copy++) repeated.push(row);
    });
    const repeatedX = matrixFrom(repeated.length, 3, (row, column) => train.X.values[column * 600 + repeated[row]!]!);
    const repeatedY = Int8Array.from(repeated, (row) => train.y[row]!);
    // A weak penalty: the standardisation (unweighted) differs between the two fits, and so would a strong penalty.
    const weighted = new LogisticRegressionClassifier({ C: 1e6, tolerance: 1e-9 }).fit(train.X, train.y, { sampleWeight: Float64Array.from(counts) });
    const copies = new LogisticRegressionClassifier({ C: 1e6, tolerance: 1e-9 }).fit(repeatedX, repeatedY);
    const first = weighted.predictProba(test.X);
    const second = copies.predictProba(test.X);
    for (let index = 0; index < first.length; index++) expect(first[index]).toBeCloseTo(second[index]!, 3);
  });

  it('finds the rare classes only with class weights', () => {
    const imbalancedTrain = imbalancedData(3000, 5);
    const imbalancedTest = imbalancedData(3000, 6);
    const plain = new LogisticRegressionClassifier().fit(imbalancedTrain.X, imbalancedTrain.y);
    const balanced = new LogisticRegressionClassifier().fit(imbalancedTrain.X, imbalancedTrain.y, { classWeight: 'balanced' });
    const explicit = new LogisticRegressionClassifier().fit(imbalancedTrain.X, imbalancedTrain.y, { classWeight: [8, 1, 8] });
    expect(recall(imbalancedTest.y, plain.predict(imbalancedTest.X), 2)).toBeLessThan(0.2);
    expect(recall(imbalancedTest.y, balanced.predict(imbalancedTest.X), 2)).toBeGreaterThan(0.6);
    expect(recall(imbalancedTest.y, explicit.predict(imbalancedTest.X), 0)).toBeGreaterThan(0.6);
  });

  it('works on a single feature and on collinear probability inputs (a stacking meta-learner)', () => {
    const single = matrixFrom(600, 1, (row) => train.X.values[row]!);
    const oneFeature = new LogisticRegressionClassifier({ C: 100 }).fit(single, train.y);
    expect(oneFeature.featureImportance()).toEqual(Float64Array.of(1));
    expect(accuracy(train.y, oneFeature.predict(single))).toBeGreaterThan(0.95);

    // Three base models' probabilities (each row of three sums to 1, so the columns are collinear), one of them
    // informative: the penalty keeps the fit well defined and the meta-learner follows the good model.
    const random = createRandom(3);
    const stacked = matrixFrom(600, 9, (row, column) => {
      const model = Math.floor(column / 3);
      const label = column % 3;
      if (model === 0) return train.y[row] === label ? 0.7 : 0.15;
      return 1 / 3 + (label === 2 ? 0 : (random.next() - 0.5) * 0.2);
    });
    const meta = new LogisticRegressionClassifier().fit(stacked, train.y);
    expect(meta.converged).toBe(true);
    expect(accuracy(train.y, meta.predict(stacked))).toBe(1);
    const importance = meta.featureImportance();
    expect(importance[0]! + importance[1]! + importance[2]!).toBeGreaterThan(0.9);
  });

  it('imputes missing values with the training mean', () => {
    const withMissing = matrixFrom(600, 3, (row, column) => (column === 1 && row % 4 === 0 ? Number.NaN : train.X.values[column * 600 + row]!));
    const model = new LogisticRegressionClassifier().fit(withMissing, train.y);
    const allMissing = model.predictProba(matrixFrom(2, 3, () => Number.NaN));
    const atMeans = model.predictProba(matrixFrom(2, 3, (_, column) => Standardizer.fit(withMissing).mean[column]!));
    expect(allMissing).toEqual(atMeans);
  });

  it('is deterministic and round-trips through JSON with identical probabilities', () => {
    const first = new LogisticRegressionClassifier().fit(train.X, train.y);
    const second = new LogisticRegressionClassifier().fit(train.X, train.y);
    expect(JSON.stringify(second.toJSON())).toBe(JSON.stringify(first.toJSON()));
    const restored = modelFromJSON(JSON.parse(JSON.stringify(first.toJSON())));
    expect(restored).toBeInstanceOf(LogisticRegressionClassifier);
    expect(restored.predictProba(test.X)).toEqual(first.predictProba(test.X));
    expect(restored.featureImportance()).toEqual(first.featureImportance());
  });

  it('refuses bad hyperparameters and damaged JSON', () => {
    expect(() => new LogisticRegressionClassifier({ C: 0 })).toThrow(/C must be in/);
    expect(() => new LogisticRegressionClassifier({ maxIterations: 0 })).toThrow(/maxIterations must be an integer >= 1, got 0/);
    expect(() => new LogisticRegressionClassifier({ tolerance: Number.NaN })).toThrow(/tolerance/);
    const json = new LogisticRegressionClassifier().fit(train.X, train.y).toJSON();
    expect(() => modelFromJSON({ ...json, coefficients: [1, 2] })).toThrow(/"coefficients": 9 finite numbers/);
    expect(() => modelFromJSON({ ...json, standardizer: { mean: [0], scale: [0] } })).toThrow(/finite positive scales/);
  });

  it('beats the majority baseline on the real reference-fold sample', () => {
    const realTrain = loadTrainSample();
    const realTest = loadTestSample();
    // 1,500 rows from a few weeks of one period: a strong penalty is needed (C = 1 overfits: test log loss 1.95).
    // The majority class scores macro-F1 0.237 and log loss 1.244 (training priors) on this test sample.
    const model = new LogisticRegressionClassifier({ C: 0.01 }).fit(realTrain.X, realTrain.y);
    const probabilities = model.predictProba(realTest.X);
    expect(macroF1(realTest.y, argmaxRows(probabilities))).toBeGreaterThan(0.4);
    expect(logLoss(realTest.y, probabilities)).toBeLessThan(1.15);
  });
});
