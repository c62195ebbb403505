/**
 * The majority baseline: predicts the most frequent training class for every row, with the training class
 * frequencies as probabilities (scikit-learn's DummyClassifier with strategy "prior"). Its log loss is the entropy of
 * the training labels measured on the test labels, the floor any useful model must beat.
 */
import { FormatError, StateError, describeValue, type FeatureMatrix } from '@quant/core';
import {
  CLASS_COUNT,
  resolveRowWeights,
  validatePredictionData,
  validateTrainingData,
  type Classifier,
  type FitOptions,
  type ModelJson,
} from '@quant/models';

const FORMAT_VERSION = 1;

export class MajorityClassifier implements Classifier {
  static readonly kind = 'majority';
  static readonly formatVersion = FORMAT_VERSION;
  readonly kind = MajorityClassifier.kind;
  /** Weighted training class frequencies (SELL, HOLD, BUY); empty before fit. */
  private frequencies = new Float64Array(0);
  private columnCount = 0;

  /** Counts the (sample- and class-weighted) training labels; ignores the features except for their count. */
  fit(X: FeatureMatrix, y: Int8Array, options: FitOptions = {}): this {
    validateTrainingData(X, y, 'majority baseline training data');
    const weights = resolveRowWeights(y, options.sampleWeight, options.classWeight);
    const totals = new Float64Array(CLASS_COUNT);
    let sum = 0;
    for (let row = 0; row < y.length; row++) {
      totals[y[row]!]! += weights[row]!;
      sum += weights[row]!;
    }
    for (let label = 0; label < CLASS_COUNT; label++) totals[label]! /= sum;
    this.frequencies = totals;
    this.columnCount = X.columnCount;
    return this;
  }

  /** The training class frequencies, for every row. */
  predictProba(X: FeatureMatrix): Float64Array {
    this.requireFitted();
    validatePredictionData(X, this.columnCount);
    const probabilities = new Float64Array(X.rowCount * CLASS_COUNT);
    for (let row = 0; row < X.rowCount; row++) probabilities.set(this.frequencies, row * CLASS_COUNT);
    return probabilities;
  }

  /** The majority class (the lowest code on a tie), for every row. */
  predict(X: FeatureMatrix): Int8Array {
    this.requireFitted();
    validatePredictionData(X, this.columnCount);
    return new Int8Array(X.rowCount).fill(this.majorityClass());
  }

  /** The most frequent training class. */
  majorityClass(): number {
    this.requireFitted();
    let best = 0;
    for (let label = 1; label < CLASS_COUNT; label++) if (this.frequencies[label]! > this.frequencies[best]!) best = label;
    return best;
  }

  /** The model uses no feature; the interface asks for a distribution, so every feature gets an equal share. */
  featureImportance(): Float64Array {
    this.requireFitted();
    return new Float64Array(this.columnCount).fill(1 / this.columnCount);
  }

  toJSON(): ModelJson {
    this.requireFitted();
    return { kind: MajorityClassifier.kind, formatVersion: FORMAT_VERSION, columnCount: this.columnCount, frequencies: Array.from(this.frequencies) };
  }

  static fromJSON(json: ModelJson): MajorityClassifier {
    if (json.kind !== MajorityClassifier.kind) throw new FormatError(`expected a ${MajorityClassifier.kind} model, got kind ${describeValue(json.kind)}`);
    const { columnCount, frequencies } = json as { columnCount?: unknown; frequencies?: unknown };
    if (!Number.isInteger(columnCount) || (columnCount as number) < 1) {
      throw new FormatError(`stored majority model field "columnCount" must be an integer >= 1, got ${describeValue(columnCount)}`);
    }
    if (
      !Array.isArray(frequencies) ||
      frequencies.length !== CLASS_COUNT ||
      frequencies.some((value) => typeof value !== 'number' || !(value >= 0 && value <= 1))
    ) {
      throw new FormatError(`stored majority model field "frequencies" must be ${CLASS_COUNT} numbers in [0, 1], got ${describeValue(frequencies)}`);
    }
    const model = new MajorityClassifier();
    model.columnCount = columnCount as number;
    model.frequencies = Float64Array.from(frequencies as number[]);
    return model;
  }

  private requireFitted(): void {
    if (this.frequencies.length === 0) throw new StateError('the majority baseline is not fitted yet: call fit() first');
  }
}
