/**
 * The common contract of every classifier in @quant/models, input validation shared by all of them, and the
 * registry that turns stored JSON back into a model.
 *
 * Classes are the label codes of @quant/core: SELL 0, HOLD 1, BUY 2. Probabilities are row-major `rows x 3`.
 */
import {
  FormatError,
  InvalidArgumentError,
  LABEL_COUNT,
  describeValue,
  type FeatureMatrix,
} from '@quant/core';

/** Number of classes every model predicts (SELL, HOLD, BUY). */
export const CLASS_COUNT = LABEL_COUNT;

/** Per-class weights, or 'balanced' (weight of class c = rows / (3 x rows of class c), as in scikit-learn). */
export type ClassWeight = readonly [number, number, number] | 'balanced';

/** Progress of a fit: `completed` of `total` steps (boosting rounds, trees), with the validation loss when known. */
export interface FitProgress {
  readonly completed: number;
  readonly total: number;
  readonly validationLoss?: number;
}

export interface FitOptions {
  /** One non-negative finite weight per row. */
  sampleWeight?: Float64Array;
  classWeight?: ClassWeight;
  /** Held-out rows for early stopping (boosting) or monitoring. */
  validation?: { X: FeatureMatrix; y: Int8Array };
  onProgress?: (progress: FitProgress) => void;
}

/** Stored form of a model: plain JSON, with its kind and the version of the kind's format. */
export interface ModelJson {
  readonly kind: string;
  readonly formatVersion: number;
  readonly [key: string]: unknown;
}

export interface Classifier {
  /** The registry name of the model kind. */
  readonly kind: string;
  fit(X: FeatureMatrix, y: Int8Array, options?: FitOptions): this;
  /** Row-major `rows x 3` class probabilities; each row sums to 1. */
  predictProba(X: FeatureMatrix): Float64Array;
  /** Most probable class of each row. */
  predict(X: FeatureMatrix): Int8Array;
  /** One non-negative value per feature column, summing to 1 (total split gain, normalised). */
  featureImportance(): Float64Array;
  toJSON(): ModelJson;
}

/** Checks a training matrix and its labels; returns nothing, throws InvalidArgumentError naming the problem. */
export function validateTrainingData(X: FeatureMatrix, y: Int8Array, what = 'training data'): void {
  if (!(y instanceof Int8Array)) throw new InvalidArgumentError(`labels must be an Int8Array, got ${describeValue(y)}`);
  if (X.rowCount !== y.length) {
    throw new InvalidArgumentError(`${what}: the matrix has ${X.rowCount} rows but there are ${y.length} labels`);
  }
  if (X.rowCount === 0) throw new InvalidArgumentError(`${what}: cannot fit on 0 rows`);
  if (X.columnCount === 0) throw new InvalidArgumentError(`${what}: cannot fit on a matrix with 0 columns`);
  for (let row = 0; row < y.length; row++) {
    const label = y[row]!;
    if (label < 0 || label >= CLASS_COUNT) {
      const reason = label === -1 ? ' (no label: drop unlabelled rows before fitting)' : '';
      throw new InvalidArgumentError(`${what}: label of row ${row} is ${describeValue(label)}${reason}; expected 0, 1 or 2`);
    }
  }
}

/**
 * Combined per-row weights: sample weight x class weight. Validates both. The result has one finite, non-negative
 * weight per row and a positive total.
 */
export function resolveRowWeights(y: Int8Array, sampleWeight?: Float64Array, classWeight?: ClassWeight): Float64Array {
  const rowCount = y.length;
  const weights = new Float64Array(rowCount);
  if (sampleWeight !== undefined) {
    if (!(sampleWeight instanceof Float64Array)) {
      throw new InvalidArgumentError(`sampleWeight must be a Float64Array, got ${describeValue(sampleWeight)}`);
    }
    if (sampleWeight.length !== rowCount) {
      throw new InvalidArgumentError(`sampleWeight has ${sampleWeight.length} entries but there are ${rowCount} rows`);
    }
    for (let row = 0; row < rowCount; row++) {
      const weight = sampleWeight[row]!;
      if (!Number.isFinite(weight) || weight < 0) {
        throw new InvalidArgumentError(`sampleWeight of row ${row} is ${describeValue(weight)}; weights must be finite and >= 0`);
      }
      weights[row] = weight;
    }
  } else {
    weights.fill(1);
  }
  let perClass: [number, number, number] = [1, 1, 1];
  if (classWeight === 'balanced') {
    const counts = [0, 0, 0];
    for (let row = 0; row < rowCount; row++) counts[y[row]!]! += 1;
    perClass = counts.map((count) => (count > 0 ? rowCount / (CLASS_COUNT * count) : 0)) as [number, number, number];
  } else if (classWeight !== undefined) {
    if (!Array.isArray(classWeight) || classWeight.length !== CLASS_COUNT) {
      throw new InvalidArgumentError(`classWeight must be 'balanced' or three numbers, got ${describeValue(classWeight)}`);
    }
    for (const weight of classWeight) {
      if (!Number.isFinite(weight) || weight < 0) {
        throw new InvalidArgumentError(`class weight ${describeValue(weight)} must be finite and >= 0`);
      }
    }
    perClass = [classWeight[0], classWeight[1], classWeight[2]];
  }
  let total = 0;
  for (let row = 0; row < rowCount; row++) {
    const weight = weights[row]! * perClass[y[row]!]!;
    weights[row] = weight;
    total += weight;
  }
  if (!(total > 0)) throw new InvalidArgumentError('the sample and class weights sum to 0: nothing to fit');
  return weights;
}

/** Checks that a prediction matrix has the columns the model was trained on. */
export function validatePredictionData(X: FeatureMatrix, columnCount: number): void {
  if (X.columnCount !== columnCount) {
    throw new InvalidArgumentError(`the model was trained on ${columnCount} columns, but the matrix has ${X.columnCount}`);
  }
}

/** Reads a required finite number from stored JSON. */
export function readNumber(json: Readonly<Record<string, unknown>>, key: string): number {
  const value = json[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new FormatError(`stored model field ${describeValue(key)} must be a finite number, got ${describeValue(value)}`);
  }
  return value;
}

/** Reads a required array of numbers from stored JSON. */
export function readNumberArray(json: Readonly<Record<string, unknown>>, key: string): number[] {
  const value = json[key];
  if (!Array.isArray(value) || value.some((entry) => typeof entry !== 'number')) {
    throw new FormatError(`stored model field ${describeValue(key)} must be an array of numbers`);
  }
  return value as number[];
}

/** Positive-integer hyperparameter check. */
export function requireInteger(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new InvalidArgumentError(`${name} must be an integer >= ${minimum}, got ${describeValue(value)}`);
  }
}

/** Number-range hyperparameter check (inclusive bounds). */
export function requireRange(name: string, value: number, minimum: number, maximum: number): void {
  if (!Number.isFinite(value) || value < minimum || value > maximum) {
    throw new InvalidArgumentError(`${name} must be in [${minimum}, ${maximum}], got ${describeValue(value)}`);
  }
}
