import { describe, expect, it } from 'vitest';
import { loadTestSample, loadTrainSample } from './__fixtures__/reference-sample.js';
import { ExtraTreesClassifier, GradientBoostingClassifier, XgBoostClassifier, LightGbmClassifier, RandomForestClassifier, argmaxRows, logLoss, macroF1 } from './index.js';

// A slice of the real reference fold (1,500 training rows, 1,000 test rows spread over the test period, 52 technical
// features). The majority-class baseline scores a macro-F1 of about 0.24 on the full fold; trained with balanced
// class weights, every model should be clearly above it, with a sane log loss.
describe('real data (reference fold sample)', () => {
  const train = loadTrainSample();
  const test = loadTestSample();
  const models = [
    new GradientBoostingClassifier({ rounds: 60, learningRate: 0.3, maxDepth: 4 }),
    new XgBoostClassifier({ rounds: 60, learningRate: 0.1, maxDepth: 4 }),
    new LightGbmClassifier({ rounds: 60, learningRate: 0.1, maxLeaves: 15, minDataInLeaf: 20 }),
    new RandomForestClassifier({ trees: 60, minSamplesLeaf: 5 }),
    new ExtraTreesClassifier({ trees: 60, minSamplesLeaf: 5 }),
  ];
  it.each(models.map((model) => [model.kind, model] as const))('%s beats the majority baseline', (_, model) => {
    model.fit(train.X, train.y, { classWeight: 'balanced' });
    const probabilities = model.predictProba(test.X);
    const score = macroF1(test.y, argmaxRows(probabilities));
    expect(score).toBeGreaterThan(0.3);
    expect(logLoss(test.y, probabilities)).toBeLessThan(1.25);
  });
});
