import { describe, expect, it } from 'vitest';
import { matrixFrom, syntheticData } from '../__fixtures__/synthetic.js';
import { ExtraTreesClassifier, GradientBoostingClassifier, XgBoostClassifier, LightGbmClassifier, RandomForestClassifier } from '../index.js';
import { treeShap } from './shap.js';
import { TreeBuffer, type Tree } from './tree.js';

/** E[f(x) | x_S] with cover weighting (the path-dependent value function TreeSHAP explains). */
function conditionalValue(tree: Tree, x: number[], known: Set<number>, node = 0, output = 0): number {
  const feature = tree.feature[node]!;
  if (feature < 0) return tree.value[node * tree.outputCount + output]!;
  const left = tree.left[node]!;
  const right = tree.right[node]!;
  if (known.has(feature)) {
    const value = x[feature]!;
    const goesLeft = Number.isNaN(value) ? tree.defaultLeft[node] === 1 : value <= tree.threshold[node]!;
    return conditionalValue(tree, x, known, goesLeft ? left : right, output);
  }
  const cover = tree.cover[node]!;
  return (
    (tree.cover[left]! / cover) * conditionalValue(tree, x, known, left, output) +
    (tree.cover[right]! / cover) * conditionalValue(tree, x, known, right, output)
  );
}

/** Shapley values by enumerating all 2^M coalitions. */
function bruteForceShapley(tree: Tree, x: number[], output = 0): number[] {
  const featureCount = x.length;
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const phi = new Array<number>(featureCount).fill(0);
  for (let feature = 0; feature < featureCount; feature++) {
    for (let mask = 0; mask < 1 << featureCount; mask++) {
      if (mask & (1 << feature)) continue;
      const known = new Set<number>();
      for (let other = 0; other < featureCount; other++) if (mask & (1 << other)) known.add(other);
      const size = known.size;
      const weight = (factorial(size) * factorial(featureCount - size - 1)) / factorial(featureCount);
      const without = conditionalValue(tree, x, known, 0, output);
      known.add(feature);
      phi[feature]! += weight * (conditionalValue(tree, x, known, 0, output) - without);
    }
  }
  return phi;
}

/** A hand-built tree on 3 features that splits twice on feature 0 along one path (exercises path unwinding). */
function handBuiltTree(): Tree {
  const buffer = new TreeBuffer(1);
  const covers = [100, 60, 40, 25, 35, 10, 15, 20, 15];
  const values = [0, 0, 0, 0.3, -0.2, 0.9, -0.7, 0.1, 0.5];
  covers.forEach((cover, node) => {
    buffer.addNode(cover);
    buffer.setValue(node, 0, values[node]!);
  });
  buffer.setSplit(0, 0, 0, 0.5, false, 1, 2, 1); // x0 <= 0.5
  buffer.setSplit(1, 1, 0, 0.3, true, 3, 4, 1); // x1 <= 0.3, missing left
  buffer.setSplit(2, 0, 0, 0.8, false, 5, 6, 1); // x0 <= 0.8 (feature 0 again)
  buffer.setSplit(6, 2, 0, 0.1, false, 7, 8, 1); // x2 <= 0.1
  return buffer.finish();
}

describe('TreeSHAP', () => {
  it('agrees with brute-force Shapley values on a hand-built tree with a repeated feature', () => {
    const tree = handBuiltTree();
    const rows = [
      [0.2, 0.1, 0.5],
      [0.9, 0.9, 0.05],
      [0.7, Number.NaN, 0.2],
      [0.95, 0.2, 0.9],
    ];
    const X = matrixFrom(rows.length, 3, (row, column) => rows[row]![column]!);
    const shap = treeShap([tree], new Int32Array(1), X, 1);
    rows.forEach((x, row) => {
      const expected = bruteForceShapley(tree, x);
      for (let feature = 0; feature < 3; feature++) expect(shap.values[(row * 3 + feature) * 3]!).toBeCloseTo(expected[feature]!, 12);
    });
  });

  it('agrees with brute force on fitted trees with 4 features (boosted and forest)', () => {
    const { X, y } = syntheticData(300, 4, 81, (f) => (f[0]! + f[1]! * f[2]! > 0.7 ? 2 : f[3]! > 0.6 ? 1 : 0));
    const boosted = new XgBoostClassifier({ rounds: 1, maxDepth: 4, minChildWeight: 0, subsample: 1, colsampleByTree: 1 }).fit(X, y);
    const forest = new RandomForestClassifier({ trees: 1, maxDepth: 5, maxFeatures: 'all' }).fit(X, y);
    const probe = syntheticData(5, 4, 82, () => 0).X;
    for (const [tree, outputCount] of [[boosted.getTrees()[2]!, 1], [forest.getTrees()[0]!, 3]] as const) {
      const shap = treeShap([tree], new Int32Array([0]), probe, 1);
      for (let row = 0; row < 5; row++) {
        const x = [0, 1, 2, 3].map((feature) => probe.values[feature * 5 + row]!);
        for (let output = 0; output < outputCount; output++) {
          const expected = bruteForceShapley(tree, x, output);
          for (let feature = 0; feature < 4; feature++) expect(shap.values[(row * 4 + feature) * 3 + output]!).toBeCloseTo(expected[feature]!, 10);
        }
      }
    }
  });

  it('is additive: base + contributions = raw margin (boosting) and averaged probability (forests)', () => {
    const { X, y } = syntheticData(400, 5, 91, (f) => (f[0]! > 0.6 ? 2 : f[1]! + f[2]! > 1 ? 1 : 0));
    const probe = matrixFrom(30, 5, (row, column) => (row % 6 === column ? Number.NaN : X.values[column * 400 + row]!));
    const models = [
      new GradientBoostingClassifier({ rounds: 20, learningRate: 0.5, maxDepth: 5 }).fit(X, y),
      new XgBoostClassifier({ rounds: 20, learningRate: 0.3, maxDepth: 5 }).fit(X, y),
      new LightGbmClassifier({ rounds: 20, learningRate: 0.3, maxLeaves: 12, minDataInLeaf: 5 }).fit(X, y),
      new RandomForestClassifier({ trees: 10, minSamplesLeaf: 3 }).fit(X, y),
      new ExtraTreesClassifier({ trees: 10, minSamplesLeaf: 3 }).fit(X, y),
    ];
    for (const model of models) {
      const shap = model.shapValues(probe);
      const target = 'predictMargin' in model ? model.predictMargin(probe) : model.predictProba(probe);
      for (let row = 0; row < 30; row++) {
        for (let label = 0; label < 3; label++) {
          let total = shap.base[label]!;
          for (let feature = 0; feature < 5; feature++) total += shap.values[(row * 5 + feature) * 3 + label]!;
          expect(Math.abs(total - target[row * 3 + label]!)).toBeLessThan(1e-9);
        }
      }
    }
  });
});
