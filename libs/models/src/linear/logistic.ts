/**
 * Multinomial (softmax) logistic regression with an L2 penalty, fitted by L-BFGS.
 *
 * Objective, as scikit-learn's LogisticRegression(multi_class='multinomial', penalty='l2'):
 *
 *     minimise  C x sum_i w_i x (-log p_i[y_i]) + 1/2 x sum_{k,j} W_kj^2,   p_i = softmax(b + W z_i)
 *
 * where z_i is the standardised row (see standardize.ts: training mean and standard deviation, missing values at
 * the mean), w_i = sample weight x class weight, W holds one coefficient row per class (the full 3 x d
 * parametrisation: the penalty makes it identifiable) and the intercepts b are not penalised. `C` is scikit-learn's
 * inverse regularisation strength (larger C = weaker penalty). L-BFGS minimises the same objective divided by
 * C x sum_i w_i (a mean loss of order 1, whose gradient tolerance does not depend on the row count); the
 * minimiser is the same.
 *
 * Gradient: d/dW_kj = (1/S) sum_i w_i (p_ik - [y_i = k]) z_ij + W_kj / (C S), d/db_k = (1/S) sum_i w_i (p_ik - [y_i = k]),
 * S = sum_i w_i. Each objective evaluation is two matrix products on the WebAssembly SIMD kernel (margins Z W' + b,
 * gradient R' Z; see design.ts) and a softmax pass; no randomness and fixed summation orders, so fits are bit-for-bit
 * reproducible.
 */
import { FormatError, StateError, type FeatureMatrix } from '@quant/core';
import {
  CLASS_COUNT,
  readNumber,
  requireInteger,
  requireRange,
  resolveRowWeights,
  validatePredictionData,
  validateTrainingData,
  type Classifier,
  type FitOptions,
  type ModelJson,
} from '../interface.js';
import { argmaxRows } from '../metrics.js';
import { Standardizer } from '../standardize.js';
import { DESIGN_OUTPUTS, KernelDesign } from './design.js';
import { minimizeLbfgs } from './lbfgs.js';
import { choleskySolve, covarianceFactor, normaliseToSum, readFloat64, readParameters, softmaxThree } from './shared.js';

export interface LogisticRegressionParameters {
  /** Inverse L2 regularisation strength, as scikit-learn's C (the penalty is 1/2 ||W||^2 against C x the weighted loss). */
  C: number;
  /** Stop when the largest gradient entry of the mean objective is at most this. */
  tolerance: number;
  maxIterations: number;
}

const FORMAT_VERSION = 1;
/** L-BFGS correction pairs. */
const MEMORY = 10;
/** Typical p (1 - p) of the softmax Hessian, which weighs the data term against the penalty in the preconditioner. */
const TYPICAL_CURVATURE = 0.25;

export class LogisticRegressionClassifier implements Classifier {
  static readonly kind = 'logistic-regression';
  static readonly formatVersion = FORMAT_VERSION;
  readonly kind = LogisticRegressionClassifier.kind;
  readonly parameters: LogisticRegressionParameters;
  private standardizer: Standardizer | undefined;
  /** Coefficients on standardised inputs, feature-major: coefficient of feature j for class k at j * 3 + k. */
  private weights: Float64Array = new Float64Array(0);
  private intercepts: Float64Array = new Float64Array(CLASS_COUNT);
  /** L-BFGS iterations of the last fit, and whether it reached the gradient tolerance. */
  iterations = 0;
  converged = false;

  constructor(parameters: Partial<LogisticRegressionParameters> = {}) {
    this.parameters = { C: 1, tolerance: 1e-6, maxIterations: 500, ...parameters };
    const p = this.parameters;
    requireRange('C', p.C, Number.MIN_VALUE, Number.MAX_VALUE);
    requireRange('tolerance', p.tolerance, Number.MIN_VALUE, Number.MAX_VALUE);
    requireInteger('maxIterations', p.maxIterations, 1);
  }

  /** `validation` in the options is not used (the fit is convex: there is nothing to stop early). */
  fit(X: FeatureMatrix, y: Int8Array, options: FitOptions = {}): this {
    validateTrainingData(X, y);
    const rowWeights = resolveRowWeights(y, options.sampleWeight, options.classWeight);
    const standardizer = Standardizer.fit(X);
    const Z = standardizer.transform(X);
    const rowCount = X.rowCount;
    const featureCount = X.columnCount;

    // Rows of weight 0 contribute nothing (zero residuals); the preconditioner leaves them out.
    let total = 0;
    let kept = 0;
    const rows = new Int32Array(rowCount);
    for (let row = 0; row < rowCount; row++) {
      if (rowWeights[row]! > 0) {
        rows[kept++] = row;
        total += rowWeights[row]!;
      }
    }
    const activeRows = rows.subarray(0, kept);
    const lossScale = 1 / total;
    const penaltyScale = 1 / (this.parameters.C * total);
    const interceptOffset = featureCount * CLASS_COUNT;
    // The two products of each evaluation (margins, gradient) run on the SIMD kernel; see design.ts.
    const design = new KernelDesign(Z, rowCount, featureCount);
    const margins = design.margins;
    const residuals = design.residuals;

    const objective = (parameters: Float64Array, gradient: Float64Array): number => {
      design.computeMargins(parameters, CLASS_COUNT, CLASS_COUNT, 1, interceptOffset, 1);
      let loss = 0;
      let g0 = 0;
      let g1 = 0;
      let g2 = 0;
      for (let row = 0; row < rowCount; row++) {
        const base = row * DESIGN_OUTPUTS;
        const weight = rowWeights[row]! * lossScale;
        const label = y[row]!;
        const labelMargin = margins[base + label]!;
        const logSum = softmaxThree(margins, base);
        loss += weight * (logSum - labelMargin);
        const r0 = weight * (margins[base]! - (label === 0 ? 1 : 0));
        const r1 = weight * (margins[base + 1]! - (label === 1 ? 1 : 0));
        const r2 = weight * (margins[base + 2]! - (label === 2 ? 1 : 0));
        residuals[base] = r0;
        residuals[base + 1] = r1;
        residuals[base + 2] = r2;
        g0 += r0;
        g1 += r1;
        g2 += r2;
      }
      const products = design.computeGradient();
      const width = design.paddedWidth;
      let penalty = 0;
      for (let feature = 0; feature < featureCount; feature++) {
        for (let label = 0; label < CLASS_COUNT; label++) {
          const slot = feature * CLASS_COUNT + label;
          const coefficient = parameters[slot]!;
          penalty += coefficient * coefficient;
          gradient[slot] = products[label * width + feature]! + penaltyScale * coefficient;
        }
      }
      gradient[interceptOffset] = g0;
      gradient[interceptOffset + 1] = g1;
      gradient[interceptOffset + 2] = g2;
      return loss + 0.5 * penaltyScale * penalty;
    };

    const p = this.parameters;
    const result = minimizeLbfgs(objective, new Float64Array(interceptOffset + CLASS_COUNT), {
      tolerance: p.tolerance,
      maxIterations: p.maxIterations,
      memory: MEMORY,
      precondition: covariancePreconditioner(Z, featureCount, activeRows, rowWeights, penaltyScale),
      onIteration: options.onProgress === undefined ? undefined : (iteration) => options.onProgress!({ completed: iteration, total: p.maxIterations }),
    });
    this.standardizer = standardizer;
    this.weights = result.x.slice(0, interceptOffset);
    this.intercepts = result.x.slice(interceptOffset);
    this.iterations = result.iterations;
    this.converged = result.converged;
    return this;
  }

  private requireFitted(): Standardizer {
    if (this.standardizer === undefined) throw new StateError(`${this.kind} is not fitted: call fit() or load it with modelFromJSON()`);
    return this.standardizer;
  }

  /** Row-major `rows x 3` margins b + W z (the log-odds before the softmax). */
  decisionFunction(X: FeatureMatrix): Float64Array {
    const standardizer = this.requireFitted();
    validatePredictionData(X, standardizer.columnCount);
    const Z = standardizer.transform(X);
    const featureCount = standardizer.columnCount;
    const margins = new Float64Array(X.rowCount * CLASS_COUNT);
    const weights = this.weights;
    for (let row = 0; row < X.rowCount; row++) {
      const base = row * featureCount;
      let z0 = this.intercepts[0]!;
      let z1 = this.intercepts[1]!;
      let z2 = this.intercepts[2]!;
      for (let feature = 0, slot = 0; feature < featureCount; feature++, slot += 3) {
        const value = Z[base + feature]!;
        z0 += value * weights[slot]!;
        z1 += value * weights[slot + 1]!;
        z2 += value * weights[slot + 2]!;
      }
      margins[row * CLASS_COUNT] = z0;
      margins[row * CLASS_COUNT + 1] = z1;
      margins[row * CLASS_COUNT + 2] = z2;
    }
    return margins;
  }

  predictProba(X: FeatureMatrix): Float64Array {
    const probabilities = this.decisionFunction(X);
    for (let base = 0; base < probabilities.length; base += CLASS_COUNT) softmaxThree(probabilities, base);
    return probabilities;
  }

  predict(X: FeatureMatrix): Int8Array {
    return argmaxRows(this.predictProba(X));
  }

  /**
   * Coefficients on the standardised inputs: `coefficients[k][j]` is class k's weight of feature j per training
   * standard deviation (the raw-unit coefficient times the feature's standard deviation).
   */
  coefficients(): { coefficients: Float64Array[]; intercepts: Float64Array } {
    this.requireFitted();
    const featureCount = this.weights.length / CLASS_COUNT;
    const coefficients = Array.from({ length: CLASS_COUNT }, (_, label) => Float64Array.from({ length: featureCount }, (_, feature) => this.weights[feature * CLASS_COUNT + label]!));
    return { coefficients, intercepts: this.intercepts.slice() };
  }

  /**
   * sum over classes of |coefficient| on standardised inputs (= |raw coefficient| x standard deviation), normalised
   * to sum to 1: how far one standard deviation of the feature moves the class margins. Cheap and exact for this
   * model; `permutationImportance` measures the effect on a metric instead.
   */
  featureImportance(): Float64Array {
    this.requireFitted();
    const featureCount = this.weights.length / CLASS_COUNT;
    const importance = new Float64Array(featureCount);
    for (let feature = 0; feature < featureCount; feature++) {
      for (let label = 0; label < CLASS_COUNT; label++) importance[feature]! += Math.abs(this.weights[feature * CLASS_COUNT + label]!);
    }
    return normaliseToSum(importance);
  }

  toJSON(): ModelJson {
    const standardizer = this.requireFitted();
    return {
      kind: this.kind,
      formatVersion: FORMAT_VERSION,
      parameters: { ...this.parameters },
      standardizer: standardizer.toJSON(),
      coefficients: Array.from(this.weights),
      intercepts: Array.from(this.intercepts),
      iterations: this.iterations,
      converged: this.converged,
    };
  }

  static fromJSON(json: ModelJson): LogisticRegressionClassifier {
    const model = new LogisticRegressionClassifier(readParameters<LogisticRegressionParameters>(json, LogisticRegressionClassifier.kind));
    const standardizer = Standardizer.fromJSON(json['standardizer']);
    model.weights = readFloat64(json, 'coefficients', standardizer.columnCount * CLASS_COUNT, model.kind);
    model.intercepts = readFloat64(json, 'intercepts', CLASS_COUNT, model.kind);
    model.iterations = readNumber(json, 'iterations');
    if (typeof json['converged'] !== 'boolean') throw new FormatError(`a stored ${model.kind} needs a boolean "converged"`);
    model.converged = json['converged'];
    model.standardizer = standardizer;
    return model;
  }
}

/**
 * Preconditioner for L-BFGS: the Hessian of the mean objective with respect to one class's coefficients and
 * intercept is sum_i w_i p_ik (1 - p_ik) z~_i z~_i' / S + lambda diag(1, ..., 1, 0) with z~ = (z, 1). Replacing
 * p (1 - p) by a typical 0.25 gives M = E_w[z~ z~'] + (lambda / 0.25) diag(1, ..., 1, 0), the same for every class,
 * factorised once. Correlated features (price ratios over similar windows) make the plain problem badly conditioned
 * (317 L-BFGS iterations to a gradient of 1e-4 on the reference fold); with M^-1 as the initial inverse Hessian,
 * 28 reach 1e-6. Undefined when M is not positive definite at working precision (L-BFGS then runs without it).
 */
function covariancePreconditioner(
  Z: Float64Array,
  featureCount: number,
  activeRows: Int32Array,
  rowWeights: Float64Array,
  penaltyScale: number,
): ((vector: Float64Array) => void) | undefined {
  const size = featureCount + 1;
  const factor = covarianceFactor(Z, featureCount, activeRows, rowWeights, penaltyScale / TYPICAL_CURVATURE, false);
  if (factor === undefined) return undefined;
  const block = new Float64Array(size);
  const interceptOffset = featureCount * CLASS_COUNT;
  return (vector) => {
    for (let label = 0; label < CLASS_COUNT; label++) {
      for (let feature = 0; feature < featureCount; feature++) block[feature] = vector[feature * CLASS_COUNT + label]!;
      block[featureCount] = vector[interceptOffset + label]!;
      choleskySolve(factor, size, block);
      for (let feature = 0; feature < featureCount; feature++) vector[feature * CLASS_COUNT + label] = block[feature]!;
      vector[interceptOffset + label] = block[featureCount]!;
    }
  };
}
