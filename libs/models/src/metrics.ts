/**
 * Classification metrics used by the models (early stopping, out-of-bag score) and by their tests and benchmarks.
 */
import { InvalidArgumentError } from '@quant/core';
import { CLASS_COUNT } from './interface.js';

/** Probabilities are clipped to [EPSILON, 1 - EPSILON] before the logarithm, as scikit-learn does. */
const EPSILON = 1e-15;

/** Mean negative log-likelihood of the true labels under row-major `rows x 3` probabilities. */
export function logLoss(y: Int8Array, probabilities: Float64Array): number {
  if (probabilities.length !== y.length * CLASS_COUNT) {
    throw new InvalidArgumentError(`logLoss needs ${y.length * CLASS_COUNT} probabilities for ${y.length} labels, got ${probabilities.length}`);
  }
  let total = 0;
  for (let row = 0; row < y.length; row++) {
    const base = row * CLASS_COUNT;
    const sum = probabilities[base]! + probabilities[base + 1]! + probabilities[base + 2]!;
    const probability = probabilities[base + y[row]!]! / sum;
    total -= Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, probability)));
  }
  return total / y.length;
}

/** The most probable class of each row (the lowest code on ties). */
export function argmaxRows(probabilities: Float64Array): Int8Array {
  const rowCount = probabilities.length / CLASS_COUNT;
  const predicted = new Int8Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const base = row * CLASS_COUNT;
    let best = 0;
    for (let label = 1; label < CLASS_COUNT; label++) if (probabilities[base + label]! > probabilities[base + best]!) best = label;
    predicted[row] = best;
  }
  return predicted;
}

/** Fraction of rows whose predicted class is the true one. */
export function accuracy(y: Int8Array, predicted: Int8Array): number {
  let correct = 0;
  for (let row = 0; row < y.length; row++) if (y[row] === predicted[row]) correct++;
  return correct / y.length;
}

/** Unweighted mean over the three classes of F1 (a class never predicted and never true scores 0, as in scikit-learn). */
export function macroF1(y: Int8Array, predicted: Int8Array): number {
  let total = 0;
  for (let label = 0; label < CLASS_COUNT; label++) {
    let truePositive = 0;
    let falsePositive = 0;
    let falseNegative = 0;
    for (let row = 0; row < y.length; row++) {
      const isTrue = y[row] === label;
      const isPredicted = predicted[row] === label;
      if (isTrue && isPredicted) truePositive++;
      else if (isPredicted) falsePositive++;
      else if (isTrue) falseNegative++;
    }
    const denominator = 2 * truePositive + falsePositive + falseNegative;
    total += denominator === 0 ? 0 : (2 * truePositive) / denominator;
  }
  return total / CLASS_COUNT;
}

/** Recall of one class: true positives over rows of that class. */
export function recall(y: Int8Array, predicted: Int8Array, label: number): number {
  let positives = 0;
  let found = 0;
  for (let row = 0; row < y.length; row++) {
    if (y[row] === label) {
      positives++;
      if (predicted[row] === label) found++;
    }
  }
  return positives === 0 ? 0 : found / positives;
}
