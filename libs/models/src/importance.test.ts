import { describe, expect, it } from 'vitest';
import { separable, syntheticData } from './__fixtures__/synthetic.js';
import { LogisticRegressionClassifier, accuracy, permutationImportance } from './index.js';

describe('permutationImportance', () => {
  const train = syntheticData(600, 3, 11, separable);
  const test = syntheticData(400, 3, 12, separable);
  const model = new LogisticRegressionClassifier({ C: 100 }).fit(train.X, train.y);

  it('finds the one feature that decides the class, and leaves the data unchanged', () => {
    const before = test.X.values.slice();
    const result = permutationImportance(model, test.X, test.y, { seed: 1 });
    expect(test.X.values).toEqual(before);
    expect(result.baseline).toBeGreaterThan(-0.2); // minus the log loss of a nearly perfect model
    expect(result.mean[0]).toBeGreaterThan(1);
    expect(Math.abs(result.mean[1]!)).toBeLessThan(0.05);
    expect(Math.abs(result.mean[2]!)).toBeLessThan(0.05);
    expect(result.standardDeviation[0]).toBeGreaterThan(0);
    expect(result.normalised.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(result.normalised[0]).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed and takes other metrics', () => {
    const first = permutationImportance(model, test.X, test.y, { seed: 3, repeats: 2 });
    expect(permutationImportance(model, test.X, test.y, { seed: 3, repeats: 2 })).toEqual(first);
    expect(permutationImportance(model, test.X, test.y, { seed: 4, repeats: 2 }).mean).not.toEqual(first.mean);
    const f1 = permutationImportance(model, test.X, test.y, { metric: 'macro-f1', repeats: 2 });
    expect(f1.mean[0]).toBeGreaterThan(0.4);
    const custom = permutationImportance(model, test.X, test.y, { metric: (y, probabilities) => accuracy(y, model.predict(test.X)) + 0 * probabilities.length, repeats: 1 });
    expect(custom.mean).toEqual(new Float64Array(3)); // this score ignores the shuffled probabilities
    expect(custom.normalised).toEqual(Float64Array.of(1 / 3, 1 / 3, 1 / 3));
  });

  it('refuses bad input', () => {
    expect(() => permutationImportance(model, test.X, test.y.subarray(0, 10))).toThrow(/400 rows but there are 10 labels/);
    expect(() => permutationImportance(model, test.X, test.y, { repeats: 0 })).toThrow(/repeats must be an integer >= 1, got 0/);
    expect(() => permutationImportance(model, test.X, test.y, { metric: 'auc' as 'macro-f1' })).toThrow(/metric must be/);
  });
});
