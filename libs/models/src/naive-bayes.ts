/**
 * Gaussian naive Bayes, as scikit-learn's GaussianNB: each feature is, given the class, an independent normal
 * N(mean_kj, var_kj), and
 *
 *     log P(k | x) = log prior_k - 1/2 sum_j [log(2 pi var_kj) + (x_j - mean_kj)^2 / var_kj] - log Z(x).
 *
 * Means, variances (divisor: the class's weight total) and priors are weighted by sample x class weight, so
 * 'balanced' class weights give equal priors. Variance smoothing: epsilon = varSmoothing x the largest variance of
 * any feature over all rows is added to every variance (scikit-learn's var_smoothing, default 1e-9), which keeps
 * constant features finite.
 *
 * Missing values (NaN) are left out, not imputed: in training a class's statistics of feature j come from its rows
 * where j is present, and in prediction a missing feature drops out of the sum (it is marginalised, which is exact
 * under the model's independence assumption). ±Infinity is refused.
 */
import { FormatError, InvalidArgumentError, StateError, describeValue, type FeatureMatrix } from '@quant/core';
import {
  CLASS_COUNT,
  requireRange,
  resolveRowWeights,
  validatePredictionData,
  validateTrainingData,
  type Classifier,
  type FitOptions,
  type ModelJson,
} from './interface.js';
import { normaliseToSum, readFloat64, readParameters, softmaxThree } from './linear/shared.js';
import { argmaxRows } from './metrics.js';

export interface NaiveBayesParameters {
  /** Share of the largest feature variance added to every variance (scikit-learn's var_smoothing; > 0, so that a constant feature keeps a finite density). */
  varSmoothing: number;
}

const FORMAT_VERSION = 1;
const LOG_TWO_PI = Math.log(2 * Math.PI);

export class GaussianNaiveBayesClassifier implements Classifier {
  static readonly kind = 'naive-bayes';
  static readonly formatVersion = FORMAT_VERSION;
  readonly kind = GaussianNaiveBayesClassifier.kind;
  readonly parameters: NaiveBayesParameters;
  /** Class priors (weighted shares of the training rows). */
  private priors: Float64Array = new Float64Array(0);
  /** Class-major: mean of feature j in class k at k * features + j. */
  private means: Float64Array = new Float64Array(0);
  /** Class-major smoothed variances. */
  private variances: Float64Array = new Float64Array(0);
  private columnCount = 0;

  constructor(parameters: Partial<NaiveBayesParameters> = {}) {
    this.parameters = { varSmoothing: 1e-9, ...parameters };
    requireRange('varSmoothing', this.parameters.varSmoothing, Number.MIN_VALUE, Number.MAX_VALUE);
  }

  /** `validation` in the options is not used (the fit is closed-form). */
  fit(X: FeatureMatrix, y: Int8Array, options: FitOptions = {}): this {
    validateTrainingData(X, y);
    const rowWeights = resolveRowWeights(y, options.sampleWeight, options.classWeight);
    const { rowCount, columnCount, values } = X;
    const classTotals = new Float64Array(CLASS_COUNT);
    for (let row = 0; row < rowCount; row++) classTotals[y[row]!]! += rowWeights[row]!;
    const total = classTotals[0]! + classTotals[1]! + classTotals[2]!;
    const priors = Float64Array.from(classTotals, (value) => value / total);
    const means = new Float64Array(CLASS_COUNT * columnCount);
    const variances = new Float64Array(CLASS_COUNT * columnCount);
    const weightSums = new Float64Array(CLASS_COUNT);
    const sums = new Float64Array(CLASS_COUNT);
    let largestVariance = 0;
    for (let column = 0; column < columnCount; column++) {
      const offset = column * rowCount;
      // Two passes per column: weighted class means, then weighted squared deviations (stable for large offsets).
      weightSums.fill(0);
      sums.fill(0);
      let count = 0;
      let plainSum = 0;
      for (let row = 0; row < rowCount; row++) {
        const value = values[offset + row]!;
        if (value !== value) continue;
        if (value === Infinity || value === -Infinity) {
          throw new InvalidArgumentError(`feature ${describeValue(X.columns[column])} of row ${row} is ${describeValue(value)}; naive Bayes accepts finite values or NaN (missing)`);
        }
        const label = y[row]!;
        weightSums[label]! += rowWeights[row]!;
        sums[label]! += rowWeights[row]! * value;
        plainSum += value;
        count++;
      }
      const plainMean = count > 0 ? plainSum / count : 0;
      for (let label = 0; label < CLASS_COUNT; label++) {
        means[label * columnCount + column] = weightSums[label]! > 0 ? sums[label]! / weightSums[label]! : plainMean;
      }
      sums.fill(0);
      let plainSquares = 0;
      for (let row = 0; row < rowCount; row++) {
        const value = values[offset + row]!;
        if (value !== value) continue;
        const label = y[row]!;
        const deviation = value - means[label * columnCount + column]!;
        sums[label]! += rowWeights[row]! * deviation * deviation;
        plainSquares += (value - plainMean) * (value - plainMean);
      }
      for (let label = 0; label < CLASS_COUNT; label++) {
        variances[label * columnCount + column] = weightSums[label]! > 0 ? sums[label]! / weightSums[label]! : 0;
      }
      if (count > 0) largestVariance = Math.max(largestVariance, plainSquares / count);
    }
    // scikit-learn's epsilon. When every feature is constant (all variances 0), the class likelihoods are equal
    // whatever the variance, so any positive one gives the right answer (the priors).
    const epsilon = largestVariance > 0 ? this.parameters.varSmoothing * largestVariance : 1;
    for (let index = 0; index < variances.length; index++) variances[index]! += epsilon;
    this.priors = priors;
    this.means = means;
    this.variances = variances;
    this.columnCount = columnCount;
    options.onProgress?.({ completed: 1, total: 1 });
    return this;
  }

  private requireFitted(): void {
    if (this.columnCount === 0) throw new StateError(`${this.kind} is not fitted: call fit() or load it with modelFromJSON()`);
  }

  /** Row-major `rows x 3` joint log-likelihoods log prior_k + log p(x | k) (over the present features). */
  jointLogLikelihood(X: FeatureMatrix): Float64Array {
    this.requireFitted();
    validatePredictionData(X, this.columnCount);
    const { rowCount, columnCount, values } = X;
    const scores = new Float64Array(rowCount * CLASS_COUNT);
    for (let label = 0; label < CLASS_COUNT; label++) {
      const logPrior = Math.log(this.priors[label]!); // -Infinity for a class absent from training: probability 0
      for (let row = 0; row < rowCount; row++) scores[row * CLASS_COUNT + label] = logPrior;
    }
    for (let column = 0; column < columnCount; column++) {
      const offset = column * rowCount;
      for (let label = 0; label < CLASS_COUNT; label++) {
        const mean = this.means[label * columnCount + column]!;
        const variance = this.variances[label * columnCount + column]!;
        const inverse = 0.5 / variance;
        const constant = 0.5 * (LOG_TWO_PI + Math.log(variance));
        for (let row = 0; row < rowCount; row++) {
          const value = values[offset + row]!;
          if (value !== value) continue;
          if (value === Infinity || value === -Infinity) {
            throw new InvalidArgumentError(`feature ${describeValue(X.columns[column])} of row ${row} is ${describeValue(value)}; naive Bayes accepts finite values or NaN (missing)`);
          }
          const deviation = value - mean;
          scores[row * CLASS_COUNT + label]! -= constant + deviation * deviation * inverse;
        }
      }
    }
    return scores;
  }

  predictProba(X: FeatureMatrix): Float64Array {
    const probabilities = this.jointLogLikelihood(X);
    for (let base = 0; base < probabilities.length; base += CLASS_COUNT) softmaxThree(probabilities, base);
    return probabilities;
  }

  predict(X: FeatureMatrix): Int8Array {
    return argmaxRows(this.predictProba(X));
  }

  /**
   * Between-class over within-class variance of each feature under the fitted model (a one-way ANOVA F ratio up to
   * constants): sum_k prior_k (mean_kj - mean_j)^2 / sum_k prior_k var_kj, normalised to sum to 1. How far apart the
   * classes' normals of the feature are; cheap. `permutationImportance` measures the effect on a metric instead.
   */
  featureImportance(): Float64Array {
    this.requireFitted();
    const columnCount = this.columnCount;
    const importance = new Float64Array(columnCount);
    for (let column = 0; column < columnCount; column++) {
      let overallMean = 0;
      let within = 0;
      for (let label = 0; label < CLASS_COUNT; label++) {
        overallMean += this.priors[label]! * this.means[label * columnCount + column]!;
        within += this.priors[label]! * this.variances[label * columnCount + column]!;
      }
      let between = 0;
      for (let label = 0; label < CLASS_COUNT; label++) {
        const deviation = this.means[label * columnCount + column]! - overallMean;
        between += this.priors[label]! * deviation * deviation;
      }
      importance[column] = between / within;
    }
    return normaliseToSum(importance);
  }

  toJSON(): ModelJson {
    this.requireFitted();
    return {
      kind: this.kind,
      formatVersion: FORMAT_VERSION,
      parameters: { ...this.parameters },
      columnCount: this.columnCount,
      priors: Array.from(this.priors),
      means: Array.from(this.means),
      variances: Array.from(this.variances),
    };
  }

  static fromJSON(json: ModelJson): GaussianNaiveBayesClassifier {
    const model = new GaussianNaiveBayesClassifier(readParameters<NaiveBayesParameters>(json, GaussianNaiveBayesClassifier.kind));
    const columnCount = json['columnCount'];
    if (typeof columnCount !== 'number' || !Number.isInteger(columnCount) || columnCount < 1) {
      throw new FormatError(`a stored ${model.kind} needs a positive integer "columnCount", got ${describeValue(columnCount)}`);
    }
    model.priors = readFloat64(json, 'priors', CLASS_COUNT, model.kind);
    model.means = readFloat64(json, 'means', CLASS_COUNT * columnCount, model.kind);
    model.variances = readFloat64(json, 'variances', CLASS_COUNT * columnCount, model.kind);
    if (model.variances.some((value) => !(value > 0)) || model.priors.some((value) => value < 0)) {
      throw new FormatError(`a stored ${model.kind} needs positive variances and non-negative priors`);
    }
    model.columnCount = columnCount;
    return model;
  }
}
