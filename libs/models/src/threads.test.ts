import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadTrainSample } from './__fixtures__/reference-sample.js';
import { separable, syntheticData } from './__fixtures__/synthetic.js';
import { ExtraTreesClassifier, GradientBoostingClassifier, XgBoostClassifier, LightGbmClassifier, RandomForestClassifier, type Classifier } from './index.js';

// Boosting with threads > 1 shares every large histogram job (build, subtract, find the best split) with
// worker_threads workers by chunks of features; the histograms hold exact integer sums and the chunks' best splits
// are merged in feature order. Forests with threads > 1 grow trees in this thread and the workers; tree i always
// grows from the i-th fork of the generator. Either way the model must be the same bit for bit as with threads: 1.
const train = loadTrainSample(); // 1,500 rows x 52 features: large enough for every parallel path
const makers: [string, (threads: number) => Classifier][] = [
  ['gradient-boosting', (threads) => new GradientBoostingClassifier({ rounds: 8, maxDepth: 5, subsample: 0.8, seed: 3, threads })],
  ['xgboost', (threads) => new XgBoostClassifier({ rounds: 8, maxDepth: 5, subsample: 0.8, colsampleByTree: 0.8, seed: 3, threads })],
  ['lightgbm', (threads) => new LightGbmClassifier({ rounds: 8, maxLeaves: 15, minDataInLeaf: 10, seed: 3, threads })],
  ['lightgbm goss', (threads) => new LightGbmClassifier({ rounds: 30, learningRate: 0.1, maxLeaves: 15, goss: { topRate: 0.2, otherRate: 0.1 }, seed: 3, threads })],
  ['random forest', (threads) => new RandomForestClassifier({ trees: 40, minSamplesLeaf: 5, maxSamples: 0.5, seed: 3, threads })],
  ['extra trees', (threads) => new ExtraTreesClassifier({ trees: 40, minSamplesLeaf: 5, seed: 3, threads })],
];

describe('threads', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each(makers)('%s: threads 1, 2 and 3 give identical models', (_, make) => {
    const single = JSON.stringify(make(1).fit(train.X, train.y).toJSON());
    const parallel = make(2).fit(train.X, train.y);
    expect(JSON.stringify(parallel.toJSON())).toBe(single);
    expect(JSON.stringify(make(3).fit(train.X, train.y).toJSON())).toBe(single);
    const balanced = JSON.stringify(make(1).fit(train.X, train.y, { classWeight: 'balanced' }).toJSON());
    expect(JSON.stringify(make(2).fit(train.X, train.y, { classWeight: 'balanced' }).toJSON())).toBe(balanced);
    expect(balanced).not.toBe(single);
  });

  it.each(makers)('%s: fit stops its workers, also when it throws', (_, make) => {
    // Each started worker receives exactly one setup message and must be terminated by the fit that started it.
    const setups = vi.spyOn(Worker.prototype, 'postMessage');
    const terminations = vi.spyOn(Worker.prototype, 'terminate');
    make(3).fit(train.X, train.y);
    expect(setups.mock.calls.length).toBe(2);
    expect(terminations.mock.calls.length).toBe(2);
    const failing = (): void => {
      throw new Error('stop here');
    };
    expect(() => make(3).fit(train.X, train.y, { onProgress: failing })).toThrow('stop here');
    expect(setups.mock.calls.length).toBe(4);
    expect(terminations.mock.calls.length).toBe(4);
  });

  it('boosting: many parallel jobs with three threads on two cores (threads preempted mid-job) give the same model', () => {
    // 20,000 rows: nodes of different sizes make jobs of different numbers of row chunks, and an oversubscribed
    // machine makes some threads late for a job; neither may change the model.
    const { X, y } = syntheticData(20000, 24, 9, (features) => (features[0]! + features[1]! * features[2]! > 0.8 ? 2 : features[3]! > 0.6 ? 1 : 0));
    const make = (threads: number): LightGbmClassifier => new LightGbmClassifier({ rounds: 15, maxLeaves: 31, minDataInLeaf: 5, seed: 2, threads });
    const single = JSON.stringify(make(1).fit(X, y).toJSON());
    for (let attempt = 0; attempt < 3; attempt++) expect(JSON.stringify(make(3).fit(X, y).toJSON())).toBe(single);
  });

  it('boosting: trees of unbounded depth grow the shared memory while the workers run, with the same model', () => {
    // Some levels have more than 37 nodes with live histograms at once, more than the memory is first sized for.
    const make = (threads: number): XgBoostClassifier =>
      new XgBoostClassifier({ rounds: 3, maxDepth: Infinity, minChildWeight: 0, learningRate: 0.3, seed: 5, threads });
    const single = make(1).fit(train.X, train.y);
    expect(Math.max(...single.getTrees().map((tree) => tree.leafCount()))).toBeGreaterThan(100);
    expect(JSON.stringify(make(2).fit(train.X, train.y).toJSON())).toBe(JSON.stringify(single.toJSON()));
  });

  it('keeps small fits in this thread and does not store the thread count', () => {
    const setups = vi.spyOn(Worker.prototype, 'postMessage');
    const { X, y } = syntheticData(200, 20, 5, separable);
    const boosted = new XgBoostClassifier({ rounds: 3, threads: 2 }).fit(X, y);
    const forest = new RandomForestClassifier({ trees: 3, threads: 2 }).fit(X, y);
    expect(setups).not.toHaveBeenCalled();
    for (const model of [boosted, forest]) expect(Object.keys(model.toJSON()['parameters'] as object)).not.toContain('threads');
  });

  it('rejects a bad thread count and defaults to the available cores, at most 4', () => {
    expect(() => new XgBoostClassifier({ threads: 0 })).toThrow(/threads/);
    expect(() => new LightGbmClassifier({ threads: 1.5 })).toThrow(/threads/);
    expect(() => new ExtraTreesClassifier({ threads: 0 })).toThrow(/threads/);
    const threads = Math.min(4, availableParallelism());
    for (const model of [new RandomForestClassifier(), new ExtraTreesClassifier(), new GradientBoostingClassifier(), new XgBoostClassifier(), new LightGbmClassifier()]) {
      expect(model.parameters.threads).toBe(threads);
    }
  });
});
