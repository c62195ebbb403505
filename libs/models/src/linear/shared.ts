/** Small helpers shared by the non-tree models (linear models, SVM, naive Bayes, MLP). */
import { FormatError, describeValue } from '@quant/core';
import type { ModelJson } from '../interface.js';
import { weightedSecondMoments } from './design.js';

/** Scales non-negative values to sum to 1; uniform when they are all 0 (nothing distinguishes the features). */
export function normaliseToSum(values: Float64Array): Float64Array {
  let total = 0;
  for (const value of values) total += value;
  if (total > 0 && Number.isFinite(total)) for (let index = 0; index < values.length; index++) values[index]! /= total;
  else values.fill(1 / values.length);
  return values;
}

/** The "parameters" object of a stored model. */
export function readParameters<T>(json: ModelJson, kind: string): Partial<T> {
  const stored = json['parameters'];
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) {
    throw new FormatError(`a stored ${kind} needs a "parameters" object, got ${describeValue(stored)}`);
  }
  return { ...(stored as Partial<T>) };
}

/** A stored array of numbers with an exact length. */
export function readFloat64(json: Readonly<Record<string, unknown>>, key: string, length: number, kind: string): Float64Array {
  const value = json[key];
  if (!Array.isArray(value) || value.length !== length || value.some((entry) => typeof entry !== 'number' || !Number.isFinite(entry))) {
    throw new FormatError(`a stored ${kind} needs ${describeValue(key)}: ${length} finite numbers`);
  }
  return Float64Array.from(value as number[]);
}

/**
 * In-place softmax of three margins at `base`, returning log(sum(exp(margins))). The largest margin's exponential is
 * exactly 1 after the shift, so only two are computed (this is the hot spot of the linear models' objectives).
 */
export function softmaxThree(margins: Float64Array, base: number): number {
  const m0 = margins[base]!;
  const m1 = margins[base + 1]!;
  const m2 = margins[base + 2]!;
  let e0: number;
  let e1: number;
  let e2: number;
  let top: number;
  if (m0 >= m1 && m0 >= m2) {
    top = m0;
    e0 = 1;
    e1 = Math.exp(m1 - top);
    e2 = Math.exp(m2 - top);
  } else if (m1 >= m2) {
    top = m1;
    e0 = Math.exp(m0 - top);
    e1 = 1;
    e2 = Math.exp(m2 - top);
  } else {
    top = m2;
    e0 = Math.exp(m0 - top);
    e1 = Math.exp(m1 - top);
    e2 = 1;
  }
  const sum = e0 + e1 + e2;
  const inverse = 1 / sum;
  margins[base] = e0 * inverse;
  margins[base + 1] = e1 * inverse;
  margins[base + 2] = e2 * inverse;
  return top + Math.log(sum);
}

/**
 * In-place Cholesky factorisation A = L L' of a symmetric positive definite row-major `size x size` matrix (only
 * the lower triangle is read; L is written there). Returns false when a pivot is not positive (A not SPD at
 * working precision).
 */
export function choleskyFactor(matrix: Float64Array, size: number): boolean {
  for (let column = 0; column < size; column++) {
    let pivot = matrix[column * size + column]!;
    for (let k = 0; k < column; k++) pivot -= matrix[column * size + k]! * matrix[column * size + k]!;
    if (!(pivot > 0)) return false;
    const diagonal = Math.sqrt(pivot);
    matrix[column * size + column] = diagonal;
    for (let row = column + 1; row < size; row++) {
      let sum = matrix[row * size + column]!;
      for (let k = 0; k < column; k++) sum -= matrix[row * size + k]! * matrix[column * size + k]!;
      matrix[row * size + column] = sum / diagonal;
    }
  }
  return true;
}

/** Solves L L' x = b in place (b becomes x) with the factor from `choleskyFactor`. */
export function choleskySolve(factor: Float64Array, size: number, vector: Float64Array): void {
  for (let row = 0; row < size; row++) {
    let sum = vector[row]!;
    for (let k = 0; k < row; k++) sum -= factor[row * size + k]! * vector[k]!;
    vector[row] = sum / factor[row * size + row]!;
  }
  for (let row = size - 1; row >= 0; row--) {
    let sum = vector[row]!;
    for (let k = row + 1; k < size; k++) sum -= factor[k * size + row]! * vector[k]!;
    vector[row] = sum / factor[row * size + row]!;
  }
}

/**
 * Rows (evenly spaced) from which a preconditioner's covariance is estimated: it only has to be roughly right, so at
 * most 20,000 rows and at most about 1e9 multiply-adds (rows x width^2, 0.2 s on the SIMD kernel), at least 2,000.
 */
const PRECONDITIONER_ROWS = 20_000;
const PRECONDITIONER_WORK = 1e9;
const PRECONDITIONER_MIN_ROWS = 2000;

/**
 * Cholesky factor of M = E_w[x~ x~'] + ridge x diag(1, ..., 1, r) over `rows` of a row-major design (x~ = (x, 1),
 * r = 1 when the intercept is regularised, else 0), estimated on evenly spaced rows (see PRECONDITIONER_ROWS): the
 * shape of the Hessian of a linear model's mean loss with an L2 penalty, used to precondition L-BFGS. A jitter of
 * 1e-10 x the mean diagonal keeps it positive definite. Undefined when the factorisation fails anyway.
 */
export function covarianceFactor(
  design: Float64Array,
  width: number,
  rows: Int32Array,
  rowWeights: Float64Array,
  ridge: number,
  regulariseIntercept: boolean,
): Float64Array | undefined {
  const size = width + 1;
  const affordable = Math.max(PRECONDITIONER_MIN_ROWS, Math.floor(PRECONDITIONER_WORK / (size * size)));
  const sampled = Math.min(rows.length, PRECONDITIONER_ROWS, affordable);
  const sample = new Int32Array(sampled);
  let weightTotal = 0;
  for (let index = 0; index < sampled; index++) {
    sample[index] = rows[Math.floor((index * rows.length) / sampled)]!;
    weightTotal += rowWeights[sample[index]!]!;
  }
  if (!(weightTotal > 0)) return undefined;
  const matrix = weightedSecondMoments(design, width, sample, rowWeights);
  let trace = 0;
  for (let index = 0; index < size; index++) trace += matrix[index * size + index]!;
  const jitter = 1e-10 * (trace / size);
  for (let index = 0; index < size; index++) matrix[index * size + index]! += jitter + (index < width || regulariseIntercept ? ridge : 0);
  return choleskyFactor(matrix, size) ? matrix : undefined;
}
