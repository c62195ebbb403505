import { FormatError, IncompatibleVersionError, InvalidArgumentError, StateError } from '@quant/core';
import { describe, expect, it } from 'vitest';
import { matrixFrom, separable, syntheticData } from './__fixtures__/synthetic.js';
import { ExtraTreesClassifier, GradientBoostingClassifier, XgBoostClassifier, LightGbmClassifier, RandomForestClassifier, modelFromJSON, registeredModelKinds } from './index.js';

const makers = [
  () => new GradientBoostingClassifier({ rounds: 3 }),
  () => new XgBoostClassifier({ rounds: 3 }),
  () => new LightGbmClassifier({ rounds: 3 }),
  () => new RandomForestClassifier({ trees: 3 }),
  () => new ExtraTreesClassifier({ trees: 3 }),
];

describe('input validation', () => {
  const { X, y } = syntheticData(60, 3, 1, separable);

  it.each(makers.map((make) => [make().kind, make] as const))('%s refuses bad training input with a clear error', (_, make) => {
    expect(() => make().fit(X, y.subarray(0, 59))).toThrow(/60 rows but there are 59 labels/);
    const unlabelled = y.slice();
    unlabelled[7] = -1;
    expect(() => make().fit(X, unlabelled)).toThrow(InvalidArgumentError);
    expect(() => make().fit(X, unlabelled)).toThrow(/row 7 is -1 \(no label/);
    const outOfRange = y.slice();
    outOfRange[3] = 3;
    expect(() => make().fit(X, outOfRange)).toThrow(/row 3 is 3/);
    const weights = new Float64Array(60).fill(1);
    weights[5] = Number.NaN;
    expect(() => make().fit(X, y, { sampleWeight: weights })).toThrow(/sampleWeight of row 5 is NaN/);
    weights[5] = -1;
    expect(() => make().fit(X, y, { sampleWeight: weights })).toThrow(/row 5 is -1/);
    expect(() => make().fit(X, y, { sampleWeight: new Float64Array(3) })).toThrow(/3 entries but there are 60 rows/);
    expect(() => make().fit(X, y, { sampleWeight: new Float64Array(60) })).toThrow(/sum to 0/);
    expect(() => make().fit(X, y, { classWeight: [1, Number.POSITIVE_INFINITY, 1] })).toThrow(/class weight Infinity/);
  });

  it.each(makers.map((make) => [make().kind, make] as const))('%s refuses prediction before fit and on the wrong columns', (_, make) => {
    expect(() => make().predictProba(X)).toThrow(StateError);
    const model = make().fit(X, y);
    expect(() => model.predictProba(matrixFrom(4, 2, () => 0))).toThrow(/trained on 3 columns, but the matrix has 2/);
  });

  it('refuses bad hyperparameters', () => {
    expect(() => new XgBoostClassifier({ learningRate: 0 })).toThrow(/learningRate/);
    expect(() => new XgBoostClassifier({ subsample: 1.5 })).toThrow(/subsample/);
    expect(() => new LightGbmClassifier({ maxLeaves: 1 })).toThrow(/maxLeaves/);
    expect(() => new LightGbmClassifier({ goss: { topRate: 0.8, otherRate: 0.5 } })).toThrow(/topRate \+ goss.otherRate/);
    expect(() => new RandomForestClassifier({ trees: 0 })).toThrow(/trees must be an integer >= 1, got 0/);
    expect(() => new RandomForestClassifier({ maxFeatures: -2 })).toThrow(/maxFeatures/);
    expect(() => new ExtraTreesClassifier({ minSamplesLeaf: 0.5 })).toThrow(/minSamplesLeaf/);
  });

  it('modelFromJSON names unknown kinds and format versions', () => {
    expect(registeredModelKinds()).toEqual(['extra-trees', 'gradient-boosting', 'lightgbm', 'linear-svm', 'logistic-regression', 'mlp', 'naive-bayes', 'random-forest', 'xgboost']);
    expect(() => modelFromJSON({ kind: 'svm', formatVersion: 1 })).toThrow(FormatError);
    expect(() => modelFromJSON({ kind: 'svm', formatVersion: 1 })).toThrow(/unknown model kind "svm"/);
    expect(() => modelFromJSON('nonsense')).toThrow(/JSON object/);
    const json = new RandomForestClassifier({ trees: 2 }).fit(X, y).toJSON();
    expect(() => modelFromJSON({ ...json, formatVersion: 99 })).toThrow(IncompatibleVersionError);
    expect(() => modelFromJSON({ ...json, formatVersion: 99 })).toThrow(/format version 99/);
    expect(() => modelFromJSON({ ...json, trees: [] })).toThrow(/non-empty "trees"/);
    // Version 1 of "gradient-boosting" was the XGBoost-style model (now kind "xgboost"): refused, not misread.
    const firstOrder = new GradientBoostingClassifier({ rounds: 2 }).fit(X, y).toJSON();
    expect(firstOrder.formatVersion).toBe(2);
    expect(() => modelFromJSON({ ...firstOrder, formatVersion: 1 })).toThrow(/"gradient-boosting" has format version 1; this code reads version 2/);
  });
});
