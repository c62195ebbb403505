/**
 * Linear support vector machine, one-vs-rest, with calibrated probabilities; optionally on random Fourier features
 * (an approximate RBF kernel).
 *
 * Training (per class k, labels s_i = +1 for class k and -1 otherwise): the dual coordinate descent of Hsieh, Chang,
 * Lin, Keerthi & Sundararajan (2008), "A dual coordinate descent method for large-scale linear SVM", Algorithm 1 with
 * shrinking, as in LIBLINEAR's solve_l2r_l1l2_svc (scikit-learn's LinearSVC). It solves
 *
 *     min_w 1/2 ||w||^2 + sum_i C_i max(0, 1 - s_i w.x_i)^2   (squared hinge, the default; D_ii = 1 / (2 C_i), U = Inf)
 *     min_w 1/2 ||w||^2 + sum_i C_i max(0, 1 - s_i w.x_i)     (hinge; D_ii = 0, U = C_i)
 *
 * with C_i = C x sample weight x class weight, through its dual: visit the rows in a seeded random order, and for
 * row i set alpha_i <- min(max(alpha_i - G / Q_ii, 0), U) with G = s_i w.x_i - 1 + D_ii alpha_i and
 * Q_ii = x_i.x_i + D_ii, keeping w = sum_i alpha_i s_i x_i. Each update costs O(features), so an epoch is O(rows x
 * features): it scales to 100,000 rows. Stop when the projected gradient's spread max - min over an epoch is at most
 * `tolerance` (LIBLINEAR's eps). As in LIBLINEAR, x carries a constant 1 whose weight is the intercept (regularised,
 * scikit-learn's intercept_scaling = 1). Inputs are standardised first (see standardize.ts).
 *
 * Probabilities: as scikit-learn's CalibratedClassifierCV(method='sigmoid', cv=`calibrationFolds`, ensemble=True).
 * The rows are split into stratified folds (each class's rows in order, cut into equal consecutive parts, like
 * StratifiedKFold without shuffling); for each fold, the three one-vs-rest SVMs are trained on the other folds and a
 * Platt sigmoid per class is fitted on their decision values on the held-out fold (see platt.ts). A fold's
 * probabilities are its three sigmoids normalised to sum to 1; the model's are the mean over folds. Unlike
 * scikit-learn, the sigmoids are fitted with the same row weights as the SVMs (sample x class weight), so class
 * weights shift the predicted probabilities as they do for the other models instead of being calibrated away.
 *
 * Kernel 'rbf': the SVM runs on `components` random Fourier features of the standardised inputs (Rahimi & Recht
 * 2007, see random-features.ts) approximating exp(-gamma ||z - z'||^2); gamma 'scale' is 1 / features, which is
 * scikit-learn's gamma='scale' on standardised inputs. The training design matrix then holds rows x components
 * float64 values (e.g. 100,000 x 300 = 240 MB).
 */
import { FormatError, InvalidArgumentError, StateError, createRandom, describeValue, type FeatureMatrix, type Random } from '@quant/core';
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
import { fitPlatt, plattProbability, type PlattScaling } from './platt.js';
import { RandomFourierFeatures } from './random-features.js';
import { DESIGN_OUTPUTS, KernelDesign } from './design.js';
import { minimizeLbfgs } from './lbfgs.js';
import { choleskySolve, covarianceFactor, normaliseToSum, readFloat64, readParameters } from './shared.js';

export interface LinearSvmParameters {
  /** Cost of margin violations, as scikit-learn's / LIBLINEAR's C (the penalty is 1/2 ||w||^2 against C x the loss). */
  C: number;
  loss: 'squared-hinge' | 'hinge';
  /** Stop when the projected gradient's spread over an epoch is at most this (LIBLINEAR's eps). */
  tolerance: number;
  /** Epochs (passes over the rows) per binary problem. */
  maxIterations: number;
  /** Folds for the sigmoid calibration (>= 2). */
  calibrationFolds: number;
  kernel: 'linear' | 'rbf';
  /** RBF width on standardised inputs; 'scale' = 1 / features. */
  gamma: number | 'scale';
  /** Random Fourier features for kernel 'rbf'. */
  components: number;
  seed: number;
}

const FORMAT_VERSION = 1;

interface FoldModel {
  /** Class k's weights at k * (D + 1), the intercept last. */
  readonly weights: Float64Array;
  readonly calibration: readonly PlattScaling[];
}

export class LinearSvmClassifier implements Classifier {
  static readonly kind = 'linear-svm';
  static readonly formatVersion = FORMAT_VERSION;
  readonly kind = LinearSvmClassifier.kind;
  readonly parameters: LinearSvmParameters;
  private standardizer: Standardizer | undefined;
  private randomFeatures: RandomFourierFeatures | undefined;
  private folds: FoldModel[] = [];
  /** Largest epoch count over the binary problems of the last fit, and whether all met the tolerance. */
  iterations = 0;
  converged = false;

  constructor(parameters: Partial<LinearSvmParameters> = {}) {
    this.parameters = {
      C: 1,
      loss: 'squared-hinge',
      tolerance: 1e-4,
      maxIterations: 1000,
      calibrationFolds: 3,
      kernel: 'linear',
      gamma: 'scale',
      components: 300,
      seed: 0,
      ...parameters,
    };
    const p = this.parameters;
    requireRange('C', p.C, Number.MIN_VALUE, Number.MAX_VALUE);
    if (p.loss !== 'squared-hinge' && p.loss !== 'hinge') throw new InvalidArgumentError(`loss must be 'squared-hinge' or 'hinge', got ${describeValue(p.loss)}`);
    requireRange('tolerance', p.tolerance, Number.MIN_VALUE, Number.MAX_VALUE);
    requireInteger('maxIterations', p.maxIterations, 1);
    requireInteger('calibrationFolds', p.calibrationFolds, 2);
    if (p.kernel !== 'linear' && p.kernel !== 'rbf') throw new InvalidArgumentError(`kernel must be 'linear' or 'rbf', got ${describeValue(p.kernel)}`);
    if (p.gamma !== 'scale') requireRange('gamma', p.gamma, Number.MIN_VALUE, Number.MAX_VALUE);
    requireInteger('components', p.components, 1);
    requireInteger('seed', p.seed, -(2 ** 31));
  }

  fit(X: FeatureMatrix, y: Int8Array, options: FitOptions = {}): this {
    validateTrainingData(X, y);
    const rowWeights = resolveRowWeights(y, options.sampleWeight, options.classWeight);
    const p = this.parameters;
    if (X.rowCount < p.calibrationFolds) {
      throw new InvalidArgumentError(`${this.kind} with ${p.calibrationFolds} calibration folds needs at least ${p.calibrationFolds} rows, got ${X.rowCount}`);
    }
    const random = createRandom(p.seed);
    const standardizer = Standardizer.fit(X);
    const randomFeatures =
      p.kernel === 'rbf' ? new RandomFourierFeatures(X.columnCount, p.components, p.gamma === 'scale' ? 1 / X.columnCount : p.gamma, random.nextUint32() | 0) : undefined;
    const standardized = standardizer.transform(X);
    const design = randomFeatures === undefined ? standardized : randomFeatures.transform(standardized, X.rowCount);
    const width = randomFeatures === undefined ? X.columnCount : p.components;

    const foldOfRow = stratifiedFolds(y, p.calibrationFolds);
    const weightedRows: number[] = [];
    for (let row = 0; row < y.length; row++) if (rowWeights[row]! > 0) weightedRows.push(row);
    // Squared hinge: the design in the SIMD kernel's memory and one preconditioner for all folds and classes.
    const kernelDesign = p.loss === 'squared-hinge' ? new KernelDesign(design, X.rowCount, width) : undefined;
    const factor = kernelDesign === undefined ? undefined : covarianceFactor(design, width, Int32Array.from(weightedRows), rowWeights, 1 / (p.C * weightedTotal(rowWeights)), true);
    const folds: FoldModel[] = [];
    let iterations = 0;
    let converged = true;
    const total = p.calibrationFolds * CLASS_COUNT;
    for (let fold = 0; fold < p.calibrationFolds; fold++) {
      const trainRows: number[] = [];
      const heldOutRows: number[] = [];
      for (let row = 0; row < y.length; row++) {
        if (rowWeights[row]! <= 0) continue;
        (foldOfRow[row] === fold ? heldOutRows : trainRows).push(row);
      }
      if (trainRows.length === 0 || heldOutRows.length === 0) {
        throw new InvalidArgumentError(`${this.kind}: calibration fold ${fold} has no weighted rows to ${trainRows.length === 0 ? 'train on' : 'calibrate on'}; use fewer calibrationFolds or more rows`);
      }
      const training = Int32Array.from(trainRows);
      const weights = new Float64Array(CLASS_COUNT * (width + 1));
      const calibration: PlattScaling[] = [];
      // Squared hinge: the three one-vs-rest problems in one L-BFGS run (see solvePrimal).
      if (kernelDesign !== undefined) {
        const solution = solvePrimal(kernelDesign, training, y, rowWeights, p, factor);
        weights.set(solution.weights);
        iterations = Math.max(iterations, solution.epochs);
        converged &&= solution.converged;
      }
      for (let label = 0; label < CLASS_COUNT; label++) {
        if (kernelDesign === undefined) {
          const solution = solveDual(design, width, training, y, label, rowWeights, p, random.fork());
          weights.set(solution.weights, label * (width + 1));
          iterations = Math.max(iterations, solution.epochs);
          converged &&= solution.converged;
        }
        const decision = new Float64Array(heldOutRows.length);
        const positive = new Uint8Array(heldOutRows.length);
        const heldOutWeight = new Float64Array(heldOutRows.length);
        heldOutRows.forEach((row, index) => {
          decision[index] = decisionValue(design, width, row, weights, label * (width + 1));
          positive[index] = y[row] === label ? 1 : 0;
          heldOutWeight[index] = rowWeights[row]!;
        });
        calibration.push(fitPlatt(decision, positive, heldOutWeight));
        options.onProgress?.({ completed: fold * CLASS_COUNT + label + 1, total });
      }
      folds.push({ weights, calibration });
    }
    this.standardizer = standardizer;
    this.randomFeatures = randomFeatures;
    this.folds = folds;
    this.iterations = iterations;
    this.converged = converged;
    return this;
  }

  private requireFitted(): Standardizer {
    if (this.standardizer === undefined) throw new StateError(`${this.kind} is not fitted: call fit() or load it with modelFromJSON()`);
    return this.standardizer;
  }

  private get width(): number {
    return this.randomFeatures?.componentCount ?? this.requireFitted().columnCount;
  }

  predictProba(X: FeatureMatrix): Float64Array {
    const standardizer = this.requireFitted();
    validatePredictionData(X, standardizer.columnCount);
    const standardized = standardizer.transform(X);
    const design = this.randomFeatures === undefined ? standardized : this.randomFeatures.transform(standardized, X.rowCount);
    const width = this.width;
    const rowCount = X.rowCount;
    const probabilities = new Float64Array(rowCount * CLASS_COUNT);
    const foldShare = 1 / this.folds.length;
    const foldProbabilities = new Float64Array(CLASS_COUNT);
    for (let row = 0; row < rowCount; row++) {
      for (const fold of this.folds) {
        let sum = 0;
        for (let label = 0; label < CLASS_COUNT; label++) {
          const probability = plattProbability(fold.calibration[label]!, decisionValue(design, width, row, fold.weights, label * (width + 1)));
          foldProbabilities[label] = probability;
          sum += probability;
        }
        for (let label = 0; label < CLASS_COUNT; label++) {
          // All three sigmoids at 0 (underflow): no information, as scikit-learn, the uniform distribution.
          probabilities[row * CLASS_COUNT + label]! += foldShare * (sum > 0 ? foldProbabilities[label]! / sum : 1 / CLASS_COUNT);
        }
      }
    }
    return probabilities;
  }

  predict(X: FeatureMatrix): Int8Array {
    return argmaxRows(this.predictProba(X));
  }

  /**
   * Linear kernel: sum over folds and classes of |w_kj| on standardised inputs (= |raw weight| x standard
   * deviation), normalised to sum to 1. RBF kernel: the same sum of the bound on |d decision / d z_j|,
   * sum_m |w_km| sqrt(2 / D) |omega_mj|, over the random features m. `permutationImportance` measures the effect
   * on a metric instead.
   */
  featureImportance(): Float64Array {
    const standardizer = this.requireFitted();
    const featureCount = standardizer.columnCount;
    const width = this.width;
    const importance = new Float64Array(featureCount);
    const randomFeatures = this.randomFeatures;
    for (const fold of this.folds) {
      for (let label = 0; label < CLASS_COUNT; label++) {
        const offset = label * (width + 1);
        if (randomFeatures === undefined) {
          for (let feature = 0; feature < featureCount; feature++) importance[feature]! += Math.abs(fold.weights[offset + feature]!);
        } else {
          const scale = Math.sqrt(2 / width);
          for (let component = 0; component < width; component++) {
            const weight = scale * Math.abs(fold.weights[offset + component]!);
            for (let feature = 0; feature < featureCount; feature++) {
              importance[feature]! += weight * Math.abs(randomFeatures.frequencies[component * featureCount + feature]!);
            }
          }
        }
      }
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
      // The random features are re-drawn from their seed (and gamma) on loading.
      randomFeatures: this.randomFeatures === undefined ? null : { seed: this.randomFeatures.seed, gamma: this.randomFeatures.gamma },
      folds: this.folds.map((fold) => ({
        weights: Array.from(fold.weights),
        calibration: fold.calibration.map((scaling) => [scaling.slope, scaling.offset]),
      })),
      iterations: this.iterations,
      converged: this.converged,
    };
  }

  static fromJSON(json: ModelJson): LinearSvmClassifier {
    const model = new LinearSvmClassifier(readParameters<LinearSvmParameters>(json, LinearSvmClassifier.kind));
    const kind = model.kind;
    const standardizer = Standardizer.fromJSON(json['standardizer']);
    const stored = json['randomFeatures'];
    if (model.parameters.kernel === 'rbf') {
      if (typeof stored !== 'object' || stored === null) throw new FormatError(`a stored rbf ${kind} needs "randomFeatures" { seed, gamma }`);
      const record = stored as Record<string, unknown>;
      model.randomFeatures = new RandomFourierFeatures(standardizer.columnCount, model.parameters.components, readNumber(record, 'gamma'), readNumber(record, 'seed'));
    }
    const width = model.randomFeatures?.componentCount ?? standardizer.columnCount;
    const folds = json['folds'];
    if (!Array.isArray(folds) || folds.length !== model.parameters.calibrationFolds) {
      throw new FormatError(`a stored ${kind} needs "folds": ${model.parameters.calibrationFolds} fold models`);
    }
    model.folds = folds.map((fold: unknown) => {
      if (typeof fold !== 'object' || fold === null) throw new FormatError(`a stored ${kind} fold is an object, got ${describeValue(fold)}`);
      const record = fold as Record<string, unknown>;
      const calibration = record['calibration'];
      if (!Array.isArray(calibration) || calibration.length !== CLASS_COUNT || calibration.some((pair) => !Array.isArray(pair) || pair.length !== 2 || pair.some((value) => typeof value !== 'number' || !Number.isFinite(value)))) {
        throw new FormatError(`a stored ${kind} fold needs "calibration": three [slope, offset] pairs`);
      }
      return {
        weights: readFloat64(record, 'weights', CLASS_COUNT * (width + 1), kind),
        calibration: (calibration as [number, number][]).map(([slope, offset]) => ({ slope, offset })),
      };
    });
    model.iterations = readNumber(json, 'iterations');
    if (typeof json['converged'] !== 'boolean') throw new FormatError(`a stored ${kind} needs a boolean "converged"`);
    model.converged = json['converged'];
    model.standardizer = standardizer;
    return model;
  }
}

/** w . (x_row, 1) for the weights of one class starting at `offset` (intercept at offset + width). */
function decisionValue(design: Float64Array, width: number, row: number, weights: Float64Array, offset: number): number {
  const base = row * width;
  let sum = weights[offset + width]!;
  for (let feature = 0; feature < width; feature++) sum += weights[offset + feature]! * design[base + feature]!;
  return sum;
}

/**
 * Fold of each row: each class's rows, in order, cut into `folds` consecutive parts of equal size (+-1), so every
 * fold has about the same class mix (StratifiedKFold without shuffling).
 */
function stratifiedFolds(y: Int8Array, folds: number): Uint8Array {
  const counts = [0, 0, 0];
  for (const label of y) counts[label]!++;
  const seen = [0, 0, 0];
  const foldOfRow = new Uint8Array(y.length);
  for (let row = 0; row < y.length; row++) {
    const label = y[row]!;
    foldOfRow[row] = Math.floor((seen[label]! * folds) / counts[label]!);
    seen[label]!++;
  }
  return foldOfRow;
}

function weightedTotal(rowWeights: Float64Array): number {
  let total = 0;
  for (const weight of rowWeights) total += weight;
  return total;
}

/**
 * Squared hinge in the primal, for the three one-vs-rest problems at once: their sum
 * sum_k [1/2 ||w_k||^2 + C sum_i c_i max(0, 1 - s_ik w_k.x~_i)^2] is differentiable with a Lipschitz gradient and
 * separable in the w_k, so one L-BFGS run (on the sum divided by C x sum c_i) reaches each problem's own optimum,
 * and each evaluation is two SIMD matrix products for all three classes (margins X W' + b, gradient R' X; see
 * design.ts). The generalised Hessian of each block is I / (C S) + (2 / S) sum over margin violators of
 * c_i x~ x~'; with about half the rows violating, the covariance preconditioner E_w[x~ x~'] + I / (C S) has its
 * shape (see covarianceFactor), applied block by block. Only `rows` (the fold's training rows) count.
 *
 * Why not the dual coordinate descent here: on the reference fold's 52 correlated features (C = 0.05, 13,000 rows
 * per fold) it needs over 1,000 epochs to reach LIBLINEAR's tolerance (the duality gap shrinks by ~1.5% per epoch),
 * i.e. minutes; preconditioned L-BFGS reaches the same optimum in tens of passes.
 *
 * Returns the weights of class k at k * (width + 1), its intercept last.
 */
export function solvePrimal(
  design: KernelDesign,
  rows: Int32Array,
  y: Int8Array,
  rowWeights: Float64Array,
  parameters: LinearSvmParameters,
  factor: Float64Array | undefined,
): { weights: Float64Array; epochs: number; converged: boolean } {
  const width = design.width;
  const block = width + 1;
  const rowCount = design.rowCount;
  const inTraining = new Uint8Array(rowCount);
  let total = 0;
  for (const row of rows) {
    inTraining[row] = 1;
    total += rowWeights[row]!;
  }
  const lossScale = 1 / total;
  const penaltyScale = 1 / (parameters.C * total);
  const residuals = design.residuals;
  const interceptGradient = new Float64Array(CLASS_COUNT);
  const objective = (weights: Float64Array, gradient: Float64Array): number => {
    const margins = design.computeMargins(weights, CLASS_COUNT, 1, block, width, block);
    interceptGradient.fill(0);
    let loss = 0;
    for (let row = 0; row < rowCount; row++) {
      const base = row * DESIGN_OUTPUTS;
      const weight = inTraining[row] === 1 ? rowWeights[row]! * lossScale : 0;
      const label = y[row]!;
      for (let k = 0; k < CLASS_COUNT; k++) {
        const sign = label === k ? 1 : -1;
        const slack = 1 - sign * margins[base + k]!;
        if (slack > 0 && weight > 0) {
          loss += weight * slack * slack;
          const residual = -2 * weight * sign * slack;
          residuals[base + k] = residual;
          interceptGradient[k]! += residual;
        } else {
          residuals[base + k] = 0;
        }
      }
    }
    const products = design.computeGradient();
    const paddedWidth = design.paddedWidth;
    let penalty = 0;
    for (let k = 0; k < CLASS_COUNT; k++) {
      for (let feature = 0; feature <= width; feature++) {
        const slot = k * block + feature;
        const value = weights[slot]!;
        penalty += value * value;
        gradient[slot] = (feature < width ? products[k * paddedWidth + feature]! : interceptGradient[k]!) + penaltyScale * value;
      }
    }
    return loss + 0.5 * penaltyScale * penalty;
  };
  const result = minimizeLbfgs(objective, new Float64Array(CLASS_COUNT * block), {
    tolerance: parameters.tolerance,
    maxIterations: parameters.maxIterations,
    memory: 10,
    precondition:
      factor === undefined
        ? undefined
        : (vector) => {
            for (let k = 0; k < CLASS_COUNT; k++) choleskySolve(factor, block, vector.subarray(k * block, (k + 1) * block));
          },
  });
  return { weights: result.x, epochs: result.iterations, converged: result.converged };
}

/** Dual coordinate descent for one one-vs-rest problem (see the file comment); returns w (intercept last). */
export function solveDual(
  design: Float64Array,
  width: number,
  rows: Int32Array,
  y: Int8Array,
  label: number,
  rowWeights: Float64Array,
  parameters: LinearSvmParameters,
  random: Random,
): { weights: Float64Array; epochs: number; converged: boolean } {
  const count = rows.length;
  const squaredHinge = parameters.loss === 'squared-hinge';
  const weights = new Float64Array(width + 1);
  const alpha = new Float64Array(count);
  const upper = new Float64Array(count);
  const diagonal = new Float64Array(count);
  const curvature = new Float64Array(count);
  const sign = new Int8Array(count);
  const order = new Int32Array(count);
  for (let index = 0; index < count; index++) {
    const row = rows[index]!;
    const cost = parameters.C * rowWeights[row]!;
    upper[index] = squaredHinge ? Infinity : cost;
    diagonal[index] = squaredHinge ? 0.5 / cost : 0;
    sign[index] = y[row] === label ? 1 : -1;
    const base = row * width;
    let squaredNorm = 1; // the constant intercept feature
    for (let feature = 0; feature < width; feature++) squaredNorm += design[base + feature]! * design[base + feature]!;
    curvature[index] = squaredNorm + diagonal[index]!;
    order[index] = index;
  }

  let active = count;
  let previousMax = Infinity;
  let previousMin = -Infinity;
  let epochs = 0;
  let converged = false;
  while (epochs < parameters.maxIterations) {
    let gradientMax = -Infinity;
    let gradientMin = Infinity;
    // Seeded shuffle of the active rows (Fisher-Yates).
    for (let index = active - 1; index > 0; index--) {
      const other = random.nextInt(index + 1);
      const swap = order[index]!;
      order[index] = order[other]!;
      order[other] = swap;
    }
    for (let position = 0; position < active; position++) {
      const index = order[position]!;
      const row = rows[index]!;
      const base = row * width;
      const s = sign[index]!;
      let margin = weights[width]!;
      for (let feature = 0; feature < width; feature++) margin += weights[feature]! * design[base + feature]!;
      const gradient = s * margin - 1 + alpha[index]! * diagonal[index]!;
      const bound = upper[index]!;
      let projected = 0;
      if (alpha[index] === 0) {
        if (gradient > previousMax) {
          // Shrinking: at the bound and likely to stay there; drop it from this round.
          active--;
          order[position] = order[active]!;
          order[active] = index;
          position--;
          continue;
        }
        if (gradient < 0) projected = gradient;
      } else if (alpha[index] === bound) {
        if (gradient < previousMin) {
          active--;
          order[position] = order[active]!;
          order[active] = index;
          position--;
          continue;
        }
        if (gradient > 0) projected = gradient;
      } else {
        projected = gradient;
      }
      if (projected > gradientMax) gradientMax = projected;
      if (projected < gradientMin) gradientMin = projected;
      if (Math.abs(projected) > 1e-12) {
        const previous = alpha[index]!;
        const next = Math.min(Math.max(previous - gradient / curvature[index]!, 0), bound);
        alpha[index] = next;
        const step = (next - previous) * s;
        for (let feature = 0; feature < width; feature++) weights[feature]! += step * design[base + feature]!;
        weights[width]! += step;
      }
    }
    epochs++;
    if (gradientMax - gradientMin <= parameters.tolerance) {
      if (active === count) {
        converged = true;
        break;
      }
      // Converged on the shrunk set: check once more on all rows.
      active = count;
      previousMax = Infinity;
      previousMin = -Infinity;
      continue;
    }
    previousMax = gradientMax > 0 ? gradientMax : Infinity;
    previousMin = gradientMin < 0 ? gradientMin : -Infinity;
  }
  return { weights, epochs, converged };
}
