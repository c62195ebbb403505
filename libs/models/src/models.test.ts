import { describe, expect, it } from 'vitest';
import { matrixFrom, separable, syntheticData, xor } from './__fixtures__/synthetic.js';
import {
  BinMapper,
  ExtraTreesClassifier,
  GradientBoostingClassifier,
  XgBoostClassifier,
  LightGbmClassifier,
  RandomForestClassifier,
  accuracy,
  modelFromJSON,
  recall,
  type Classifier,
} from './index.js';

type Maker = (seed?: number) => Classifier & { getTrees(): readonly import('./index.js').Tree[] };

const makers: [string, Maker][] = [
  ['gradient boosting', (seed = 1) => new GradientBoostingClassifier({ rounds: 40, learningRate: 0.5, maxDepth: 4, minDataInLeaf: 5, seed })],
  ['xgboost', (seed = 1) => new XgBoostClassifier({ rounds: 30, learningRate: 0.3, maxDepth: 4, minChildWeight: 1, seed })],
  ['lightgbm', (seed = 1) => new LightGbmClassifier({ rounds: 30, learningRate: 0.3, maxLeaves: 8, minDataInLeaf: 5, seed })],
  ['lightgbm goss', (seed = 1) => new LightGbmClassifier({ rounds: 30, learningRate: 0.3, maxLeaves: 8, minDataInLeaf: 5, goss: { topRate: 0.3, otherRate: 0.2 }, seed })],
  // Leaves of at least 5 rows: class weights then change leaf frequencies, not only the choice of splits.
  ['random forest', (seed = 1) => new RandomForestClassifier({ trees: 25, minSamplesLeaf: 5, seed })],
  ['extra trees', (seed = 1) => new ExtraTreesClassifier({ trees: 25, minSamplesLeaf: 5, seed })],
];

describe.each(makers)('%s', (_, make) => {
  const train = syntheticData(600, 4, 11, separable);
  const test = syntheticData(400, 4, 12, separable);

  it('reaches ~100% accuracy on separable data, with rows of probabilities summing to 1', () => {
    const model = make().fit(train.X, train.y);
    const probabilities = model.predictProba(test.X);
    for (let row = 0; row < 400; row++) {
      expect(probabilities[row * 3]! + probabilities[row * 3 + 1]! + probabilities[row * 3 + 2]!).toBeCloseTo(1, 12);
    }
    expect(accuracy(test.y, model.predict(test.X))).toBeGreaterThan(0.97);
    const importance = model.featureImportance();
    expect(importance.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 12);
    expect(importance[0]).toBeGreaterThan(0.5);
  });

  it('learns XOR', () => {
    const xorTrain = syntheticData(800, 3, 21, xor);
    const xorTest = syntheticData(400, 3, 22, xor);
    const model = make().fit(xorTrain.X, xorTrain.y);
    expect(accuracy(xorTest.y, model.predict(xorTest.X))).toBeGreaterThan(0.9);
  });

  it('is deterministic for a seed and round-trips through JSON with identical probabilities', () => {
    const first = make(7).fit(train.X, train.y);
    const second = make(7).fit(train.X, train.y);
    expect(JSON.stringify(second.toJSON())).toBe(JSON.stringify(first.toJSON()));
    const restored = modelFromJSON(JSON.parse(JSON.stringify(first.toJSON())));
    expect(restored.kind).toBe(first.kind);
    expect(restored.predictProba(test.X)).toEqual(first.predictProba(test.X));
    expect(restored.featureImportance()).toEqual(first.featureImportance());
  });

  it('handles missing values in training and prediction', () => {
    // x0 decides the class; where x0 is missing, x1 carries the class instead.
    const withMissing = matrixFrom(600, 4, (row, column) => {
      const value = train.X.values[column * 600 + row]!;
      if (column === 0 && row % 5 === 0) return Number.NaN;
      if (column === 1) return row % 5 === 0 ? train.X.values[row]! : value;
      return value;
    });
    const model = make().fit(withMissing, train.y);
    const probabilities = model.predictProba(withMissing);
    expect(probabilities.every((value) => Number.isFinite(value))).toBe(true);
    expect(accuracy(train.y, model.predict(withMissing))).toBeGreaterThan(0.9);
    const allMissing = matrixFrom(3, 4, () => Number.NaN);
    expect(model.predictProba(allMissing).every((value) => Number.isFinite(value))).toBe(true);
  });

  it('predicts the same leaves from raw values as from bins', () => {
    const model = make().fit(train.X, train.y);
    const mapper = BinMapper.fit(train.X, { seed: 1 });
    const data = matrixFrom(400, 4, (row, column) => (row % 7 === column ? Number.NaN : test.X.values[column * 400 + row]!));
    // Bin with the model's own edges: re-fit the mapper exactly as fit() does (same data, same seed).
    const bins = mapper.transform(data);
    for (const tree of model.getTrees().slice(0, 6)) {
      for (let row = 0; row < 400; row++) expect(tree.leafOfRaw(data.values, 400, row)).toBe(tree.leafOfBinned(bins, 400, row));
    }
  });

  it("raises minority recall with classWeight 'balanced'", () => {
    // Class 2 is rare (about 5%) and noisy: unweighted models mostly ignore it.
    const imbalanced = syntheticData(1500, 3, 31, (features) => (features[0]! > 0.9 && features[1]! > 0.5 ? 2 : features[2]! > 0.5 ? 1 : 0));
    const plain = make().fit(imbalanced.X, imbalanced.y);
    const balanced = make().fit(imbalanced.X, imbalanced.y, { classWeight: 'balanced' });
    const holdout = syntheticData(1500, 3, 32, (features) => (features[0]! > 0.9 && features[1]! > 0.5 ? 2 : features[2]! > 0.5 ? 1 : 0));
    const plainRecall = recall(holdout.y, plain.predict(holdout.X), 2);
    const balancedRecall = recall(holdout.y, balanced.predict(holdout.X), 2);
    expect(balancedRecall).toBeGreaterThanOrEqual(plainRecall);
    expect(balancedRecall).toBeGreaterThan(0.6);
  });
});

describe('boosting specifics', () => {
  it('a stump cannot learn XOR but depth-2 trees can', () => {
    const train = syntheticData(800, 3, 21, xor);
    const test = syntheticData(400, 3, 22, xor);
    const stump = new XgBoostClassifier({ rounds: 30, learningRate: 0.3, maxDepth: 1, subsample: 1, colsampleByTree: 1 }).fit(train.X, train.y);
    const deeper = new XgBoostClassifier({ rounds: 30, learningRate: 0.3, maxDepth: 2, subsample: 1, colsampleByTree: 1 }).fit(train.X, train.y);
    expect(accuracy(test.y, stump.predict(test.X))).toBeLessThan(0.7);
    expect(accuracy(test.y, deeper.predict(test.X))).toBeGreaterThan(0.9);
  });

  it('stops early on a validation set and keeps the best round', () => {
    const noisy = (features: number[]): number => (features[0]! + 0.6 * features[1]! > 0.8 ? 2 : 0);
    const train = syntheticData(400, 5, 41, (features) => (features[4]! < 0.3 ? 1 : noisy(features)));
    const validation = syntheticData(400, 5, 42, (features) => (features[4]! < 0.3 ? 1 : noisy(features)));
    const progress: number[] = [];
    const model = new XgBoostClassifier({ rounds: 400, learningRate: 0.5, maxDepth: 6, minChildWeight: 0, earlyStoppingRounds: 10 });
    model.fit(train.X, train.y, { validation, onProgress: (step) => progress.push(step.completed) });
    expect(progress.length).toBeLessThan(400);
    expect(model.roundsTrained).toBe(progress.length - 10);
    const best = Math.min(...model.validationLoss);
    expect(model.validationLoss[model.roundsTrained - 1]).toBe(best);
    expect(model.getTrees().length).toBe(3 * model.roundsTrained);
  });

  it('splits on quantised gradients but refits leaf values and covers from the exact gradients', () => {
    // One round from the prior margins: every row has the same probabilities p, gradient p_k - [y = k] and hessian
    // 2 p_k (1 - p_k); a leaf's value must be -G / (H + lambda) x learning rate over its rows, to float precision
    // (quantised sums would be off in the fourth digit or so), and its cover H.
    const { X, y } = syntheticData(900, 3, 71, (features) => (features[0]! + features[1]! > 1.2 ? 2 : features[2]! > 0.7 ? 1 : 0));
    const lambda = 0.7;
    const learningRate = 0.3;
    const model = new XgBoostClassifier({ rounds: 1, maxDepth: 3, lambda, learningRate, subsample: 1, colsampleByTree: 1, minChildWeight: 1 }).fit(X, y);
    const counts = [0, 0, 0];
    for (const label of y) counts[label]! += 1;
    const logPrior = counts.map((count) => Math.log(count / y.length));
    const exponentials = logPrior.map((value) => Math.exp(value));
    const total = exponentials.reduce((sum, value) => sum + value, 0);
    const probabilities = exponentials.map((value) => value / total);
    model.getTrees().forEach((tree, label) => {
      const gradient = new Map<number, number>();
      const hessian = new Map<number, number>();
      for (let row = 0; row < y.length; row++) {
        const leaf = tree.leafOfRaw(X.values, y.length, row);
        const p = probabilities[label]!;
        gradient.set(leaf, (gradient.get(leaf) ?? 0) + p - (y[row] === label ? 1 : 0));
        hessian.set(leaf, (hessian.get(leaf) ?? 0) + 2 * p * (1 - p));
      }
      expect(tree.leafCount()).toBeGreaterThan(1);
      for (const [leaf, leafGradient] of gradient) {
        expect(tree.value[leaf]).toBeCloseTo((-leafGradient / (hessian.get(leaf)! + lambda)) * learningRate, 12);
        expect(tree.cover[leaf]).toBeCloseTo(hessian.get(leaf)!, 9);
      }
    });
  });

  it('first-order boosting fits least-squares trees to the residuals: leaf = learning rate x weighted mean residual', () => {
    // One round from the prior margins with uneven sample weights: the hessian is the row weight, so each leaf's
    // value must be learningRate x sum w (y_k - p_k) / sum w over its rows and its cover sum w (Friedman 2001).
    const { X, y } = syntheticData(900, 3, 73, (features) => (features[0]! + features[1]! > 1.2 ? 2 : features[2]! > 0.7 ? 1 : 0));
    const sampleWeight = Float64Array.from({ length: 900 }, (_, row) => 0.5 + ((row * 37) % 16) / 10);
    const learningRate = 0.4;
    const model = new GradientBoostingClassifier({ rounds: 1, maxDepth: 3, learningRate, subsample: 1, minDataInLeaf: 1 }).fit(X, y, { sampleWeight });
    const prior = [0, 0, 0];
    for (let row = 0; row < 900; row++) prior[y[row]!]! += sampleWeight[row]!;
    const priorTotal = prior[0]! + prior[1]! + prior[2]!;
    const probabilities = prior.map((value) => value / priorTotal);
    model.getTrees().forEach((tree, label) => {
      const residual = new Map<number, number>();
      const weight = new Map<number, number>();
      for (let row = 0; row < 900; row++) {
        const leaf = tree.leafOfRaw(X.values, 900, row);
        const w = sampleWeight[row]!;
        residual.set(leaf, (residual.get(leaf) ?? 0) + w * ((y[row] === label ? 1 : 0) - probabilities[label]!));
        weight.set(leaf, (weight.get(leaf) ?? 0) + w);
      }
      expect(tree.leafCount()).toBeGreaterThan(1);
      for (const [leaf, leafResidual] of residual) {
        expect(tree.value[leaf]).toBeCloseTo((leafResidual / weight.get(leaf)!) * learningRate, 12);
        expect(tree.cover[leaf]).toBeCloseTo(weight.get(leaf)!, 9);
      }
    });
    // Second-order boosting on the same data weighs rows by p (1 - p): different leaf values.
    const secondOrder = new XgBoostClassifier({ rounds: 1, maxDepth: 3, learningRate, subsample: 1, colsampleByTree: 1, lambda: 0, minChildWeight: 0 }).fit(X, y, { sampleWeight });
    expect(secondOrder.getTrees()[0]!.value).not.toEqual(model.getTrees()[0]!.value);
  });

  it('grows at most maxLeaves leaves leaf-wise, and depth-limited trees depth-wise', () => {
    const { X, y } = syntheticData(1000, 4, 51, (features) => Math.floor(features[0]! * 3) % 3);
    const leafWise = new LightGbmClassifier({ rounds: 2, maxLeaves: 5, minDataInLeaf: 1 }).fit(X, y);
    for (const tree of leafWise.getTrees()) expect(tree.leafCount()).toBeLessThanOrEqual(5);
    const depthWise = new XgBoostClassifier({ rounds: 2, maxDepth: 2, minChildWeight: 0 }).fit(X, y);
    for (const tree of depthWise.getTrees()) expect(tree.leafCount()).toBeLessThanOrEqual(4);
  });
});

describe('random forest specifics', () => {
  it('reports an out-of-bag score', () => {
    const train = syntheticData(600, 4, 11, separable);
    const model = new RandomForestClassifier({ trees: 30, maxSamples: 0.5 }).fit(train.X, train.y);
    expect(model.oobScore).toBeGreaterThan(0.95);
    expect(model.oobLogLoss).toBeLessThan(0.3);
    const extra = new ExtraTreesClassifier({ trees: 5 }).fit(train.X, train.y);
    expect(Number.isNaN(extra.oobScore)).toBe(true);
  });

  it('respects minSamplesLeaf', () => {
    const { X, y } = syntheticData(500, 4, 61, (features) => Math.floor(features[1]! * 3));
    const model = new RandomForestClassifier({ trees: 5, minSamplesLeaf: 40, bootstrap: false });
    model.fit(X, y);
    // Without bootstrap, covers are row counts: every leaf has at least 40 rows.
    for (const tree of model.getTrees()) {
      for (let node = 0; node < tree.nodeCount; node++) if (tree.feature[node]! < 0) expect(tree.cover[node]).toBeGreaterThanOrEqual(40);
    }
  });
});
