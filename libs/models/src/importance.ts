/**
 * Permutation feature importance (Breiman 2001; scikit-learn's permutation_importance): the drop in a model's score
 * when one feature's values are shuffled across the rows, which breaks the feature's link with the labels while
 * keeping its distribution. Works for any `Classifier`, on held-out data, at the cost of features x repeats
 * predictions. The models' own `featureImportance()` is a cheap, data-free alternative (split gain for trees,
 * |coefficient| x standard deviation for linear models, input sensitivity for the MLP).
 */
import { InvalidArgumentError, createFeatureMatrix, createRandom, describeValue, type FeatureMatrix } from '@quant/core';
import { requireInteger, validateTrainingData, type Classifier } from './interface.js';
import { normaliseToSum } from './linear/shared.js';
import { argmaxRows, logLoss, macroF1 } from './metrics.js';

/** A score of row-major `rows x 3` probabilities against labels, higher = better. */
export type ProbabilityScore = (y: Int8Array, probabilities: Float64Array) => number;

export interface PermutationImportanceOptions {
  /** Seed of the shuffles (default 0). */
  seed?: number;
  /** Shuffles per feature (default 5). */
  repeats?: number;
  /** 'log-loss' (default; scored as minus the log loss), 'macro-f1', or a score where higher is better. */
  metric?: 'log-loss' | 'macro-f1' | ProbabilityScore;
}

export interface PermutationImportance {
  /** Score of the unshuffled data. */
  readonly baseline: number;
  /** Mean over repeats of baseline - score with the feature shuffled (can be negative: noise). */
  readonly mean: Float64Array;
  /** Standard deviation of that drop over the repeats (divisor repeats). */
  readonly standardDeviation: Float64Array;
  /** The mean drops clipped at 0 and scaled to sum to 1 (uniform when none is positive), like featureImportance(). */
  readonly normalised: Float64Array;
}

function resolveScore(metric: PermutationImportanceOptions['metric']): ProbabilityScore {
  if (metric === undefined || metric === 'log-loss') return (y, probabilities) => -logLoss(y, probabilities);
  if (metric === 'macro-f1') return (y, probabilities) => macroF1(y, argmaxRows(probabilities));
  if (typeof metric === 'function') return metric;
  throw new InvalidArgumentError(`metric must be 'log-loss', 'macro-f1' or a function, got ${describeValue(metric)}`);
}

export function permutationImportance(model: Classifier, X: FeatureMatrix, y: Int8Array, options: PermutationImportanceOptions = {}): PermutationImportance {
  validateTrainingData(X, y, 'permutation importance data');
  const repeats = options.repeats ?? 5;
  requireInteger('repeats', repeats, 1);
  const seed = options.seed ?? 0;
  requireInteger('seed', seed, -(2 ** 31));
  const score = resolveScore(options.metric);
  const random = createRandom(seed);
  const { rowCount, columnCount } = X;
  const values = X.values.slice();
  const shuffled = createFeatureMatrix({ columns: X.columns, values, symbols: X.symbols, rowSymbols: X.rowSymbols, rowDates: X.rowDates });
  const baseline = score(y, model.predictProba(X));
  const mean = new Float64Array(columnCount);
  const standardDeviation = new Float64Array(columnCount);
  const order = new Int32Array(rowCount);
  for (let column = 0; column < columnCount; column++) {
    const offset = column * rowCount;
    const original = X.values.subarray(offset, offset + rowCount);
    let sum = 0;
    let squares = 0;
    for (let repeat = 0; repeat < repeats; repeat++) {
      for (let row = 0; row < rowCount; row++) order[row] = row;
      random.shuffle(order);
      for (let row = 0; row < rowCount; row++) values[offset + row] = original[order[row]!]!;
      const drop = baseline - score(y, model.predictProba(shuffled));
      sum += drop;
      squares += drop * drop;
    }
    values.set(original, offset);
    mean[column] = sum / repeats;
    standardDeviation[column] = Math.sqrt(Math.max(0, squares / repeats - mean[column]! * mean[column]!));
  }
  const normalised = normaliseToSum(Float64Array.from(mean, (value) => Math.max(0, value)));
  return { baseline, mean, standardDeviation, normalised };
}
