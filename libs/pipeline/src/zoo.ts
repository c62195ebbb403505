/**
 * The model zoo of a training run: a name for each base model and its settings per profile.
 *
 * `full` uses the settings of the reference fold (docs/benchmarks.md), `fast` trades a little accuracy for time so
 * that the default run (82 symbols, every model, 3 walk-forward folds with stacking) stays within 5 minutes on 2
 * cores: fewer trees and rounds, a larger learning rate to make up for the rounds, shallower boosted trees and a
 * third of the 179 columns per boosted tree (the features come in correlated families, so a third still sees
 * every family). Forests are capped at depth 10: TreeSHAP, which explains every score the scanner prints, costs
 * leaves x depth^2 per tree and row, and deeper trees add little once leaves hold 20 samples.
 */
import type { Classifier } from '@quant/models';
import {
  ExtraTreesClassifier,
  GaussianNaiveBayesClassifier,
  GradientBoostingClassifier,
  XgBoostClassifier,
  LightGbmClassifier,
  LinearSvmClassifier,
  LogisticRegressionClassifier,
  MlpClassifier,
  RandomForestClassifier,
} from '@quant/models';
import type { ModelProfile } from './options.js';

export const MODEL_NAMES = [
  'random-forest',
  'extra-trees',
  'gradient-boosting',
  'xgboost',
  'lightgbm',
  'neural-network',
  'logistic-regression',
  'linear-svm',
  'naive-bayes',
] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** What a model needs besides its settings. */
export interface ModelContext {
  readonly seed: number;
  readonly threads: number;
  readonly profile: ModelProfile;
}

/** A fresh, unfitted model. Models of one name differ only by seed. */
export function createModel(name: ModelName, context: ModelContext): Classifier {
  const { seed, threads } = context;
  const full = context.profile === 'full';
  switch (name) {
    case 'random-forest':
      return new RandomForestClassifier({ trees: full ? 300 : 50, minSamplesLeaf: 20, maxDepth: full ? Infinity : 10, maxFeatures: 'sqrt', maxSamples: 0.3, seed, threads });
    case 'extra-trees':
      return new ExtraTreesClassifier({ trees: full ? 300 : 50, minSamplesLeaf: 20, maxDepth: full ? Infinity : 10, maxFeatures: 'sqrt', seed, threads });
    case 'gradient-boosting':
      // First-order (Friedman): gradient steps are smaller than Newton steps, hence the larger learning rates.
      return new GradientBoostingClassifier(
        full
          ? { rounds: 300, maxDepth: 5, learningRate: 0.15, subsample: 0.8, minDataInLeaf: 50, seed, threads }
          : { rounds: 60, maxDepth: 4, learningRate: 0.4, subsample: 0.8, colsampleByTree: 0.3, minDataInLeaf: 50, seed, threads },
      );
    case 'xgboost':
      return new XgBoostClassifier(
        full
          ? { rounds: 300, maxDepth: 6, learningRate: 0.05, subsample: 0.8, colsampleByTree: 0.8, minChildWeight: 5, seed, threads }
          : { rounds: 60, maxDepth: 4, learningRate: 0.15, subsample: 0.8, colsampleByTree: 0.3, minChildWeight: 5, seed, threads },
      );
    case 'lightgbm':
      return new LightGbmClassifier(
        full
          ? { rounds: 300, learningRate: 0.05, maxLeaves: 31, minDataInLeaf: 50, lambda: 1, seed, threads }
          : { rounds: 60, learningRate: 0.15, maxLeaves: 15, minDataInLeaf: 50, lambda: 1, colsampleByTree: 0.3, seed, threads },
      );
    case 'neural-network':
      // The reference MLP: (64, 32), weight decay 1e-3, Adam, batch 256, early stopping on the most recent rows.
      return new MlpClassifier({ hiddenLayers: [64, 32], alpha: 1e-3, batchSize: 256, maxEpochs: full ? 200 : 40, seed });
    case 'logistic-regression':
      return new LogisticRegressionClassifier({ C: 1 });
    case 'linear-svm':
      // The reference: LinearSVC C = 0.05, sigmoid-calibrated on 3 folds.
      return new LinearSvmClassifier({ C: 0.05, calibrationFolds: 3, seed });
    case 'naive-bayes':
      return new GaussianNaiveBayesClassifier();
  }
}

/** Whether exact TreeSHAP applies to the model kind. */
export function isTreeModel(name: string): boolean {
  return name === 'random-forest' || name === 'extra-trees' || name === 'xgboost' || name === 'lightgbm' || name === 'gradient-boosting';
}
