/**
 * Gradient-boosted trees for the three classes, on the shared histogram engine.
 *
 * Softmax multi-class boosting: each round computes, for every row and class k, p = softmax(margin) and the gradient
 * g = w (p_k - [y = k]), and grows one tree per class (as XGBoost and scikit-learn do), whose leaf values are added
 * to that class's margin. The initial margin is the centred log of the weighted class priors (XGBoost 1.7 starts from
 * 0.5 for all classes, which is the same as zero margins; starting from the priors converges in fewer rounds).
 *
 * - `GradientBoostingClassifier`: first-order gradient boosting (Friedman 2001; with subsampling, Friedman 2002,
 *   "stochastic gradient boosting"). Each tree is a least-squares regression tree fitted to the residuals
 *   y_k - p_k (hessian = row weight, so a split's gain is the weighted squared-error reduction and a leaf's value is
 *   the weighted mean residual), scaled by the learning rate (shrinkage). Depth-wise growth, row subsample per round.
 * - `XgBoostClassifier`: XGBoost-style (Chen & Guestrin 2016), second order with h = w max(c p_k (1 - p_k), 1e-16),
 *   c = 2 (XGBoost's softmax hessian). Depth-wise growth, eta, L1/L2, gamma, min child weight, row subsample per
 *   round, column subsample per tree.
 * - `LightGbmClassifier`: LightGBM-style (Ke et al. 2017), second order with c = K / (K - 1) = 1.5 (LightGBM's
 *   multiclass factor). Leaf-wise (best-first) growth to `maxLeaves`, min data in leaf, optional GOSS
 *   (gradient-based one-side sampling: keep the `topRate` rows with the largest |g h| summed over classes, sample
 *   `otherRate` of the rows from the rest and scale their g and h by (1 - topRate) / otherRate; as in LightGBM,
 *   GOSS starts after 1 / learningRate rounds).
 *
 * Early stopping: with a validation set and `earlyStoppingRounds`, training stops once the validation log loss has
 * not improved for that many rounds, and the model keeps the rounds up to the best one.
 */
import { FormatError, InvalidArgumentError, StateError, createRandom, describeValue, type FeatureMatrix, type Random } from '@quant/core';
import { BinMapper } from './binning.js';
import {
  CLASS_COUNT,
  resolveRowWeights,
  validatePredictionData,
  validateTrainingData,
  requireInteger,
  requireRange,
  readNumberArray,
  type Classifier,
  type FitOptions,
  type ModelJson,
} from './interface.js';
import { argmaxRows, logLoss } from './metrics.js';
import { BoostTreeGrower } from './tree/boost-grower.js';
import { partitionRowsByWords } from './tree/partition.js';
import { hashOfRow } from './tree/row-hash.js';
import { defaultThreadCount } from './tree/worker-start.js';
import { treeShap, type ShapValues } from './tree/shap.js';
import { Tree, type TreeJson } from './tree/tree.js';

export interface BoostingParameters {
  /** Boosting rounds (each adds one tree per class). */
  rounds: number;
  learningRate: number;
  /** Depth limit; Infinity for none. */
  maxDepth: number;
  /** Leaf limit per tree; Infinity for depth-wise growth. */
  maxLeaves: number;
  /** L2 regularisation of leaf weights. */
  lambda: number;
  /** L1 regularisation of leaf weights. */
  alpha: number;
  /** Minimum loss reduction of a split (min split loss). */
  gamma: number;
  /** Minimum hessian sum in each child. */
  minChildWeight: number;
  /** Minimum rows in each child. */
  minDataInLeaf: number;
  /** Fraction of rows drawn (without replacement) for each round. */
  subsample: number;
  /** Fraction of columns drawn for each tree. */
  colsampleByTree: number;
  /** Gradient-based one-side sampling; 'none' to disable. */
  goss: { topRate: number; otherRate: number } | 'none';
  /** Stop after this many rounds without validation improvement; 0 to disable. */
  earlyStoppingRounds: number;
  /** Value bins per feature (2..255). */
  maxBins: number;
  seed: number;
  /**
   * Threads for training: 1 = this thread only, n = this thread and n - 1 worker_threads workers sharing each large
   * histogram job by chunks of features (default: the available cores, at most 4). The model does not depend on it
   * (histograms hold exact integer sums, see tree/boost-kernel.ts), so it is not stored in toJSON().
   */
  threads: number;
}

abstract class BoostedTreesClassifier implements Classifier {
  abstract readonly kind: string;
  protected abstract readonly formatVersion: number;
  /** c of the softmax hessian c p (1 - p); 0 for first-order boosting (hessian = row weight). */
  protected abstract readonly hessianFactor: number;
  readonly parameters: BoostingParameters;
  private trees: Tree[] = [];
  private baseMargin = new Float64Array(CLASS_COUNT);
  private columnCount = 0;
  /** Rounds kept (the best round with early stopping). */
  roundsTrained = 0;
  /** Validation log loss after each round, when a validation set was given. */
  validationLoss: number[] = [];

  constructor(defaults: Omit<BoostingParameters, 'threads'>, parameters: Partial<BoostingParameters>) {
    this.parameters = { ...defaults, threads: defaultThreadCount(), ...parameters };
    const p = this.parameters;
    requireInteger('rounds', p.rounds, 1);
    requireRange('learningRate', p.learningRate, Number.MIN_VALUE, 1);
    if (!(p.maxDepth >= 1)) throw new InvalidArgumentError(`maxDepth must be >= 1 or Infinity, got ${describeValue(p.maxDepth)}`);
    if (!(p.maxLeaves >= 2)) throw new InvalidArgumentError(`maxLeaves must be >= 2 or Infinity, got ${describeValue(p.maxLeaves)}`);
    requireRange('lambda', p.lambda, 0, Number.MAX_VALUE);
    requireRange('alpha', p.alpha, 0, Number.MAX_VALUE);
    requireRange('gamma', p.gamma, 0, Number.MAX_VALUE);
    requireRange('minChildWeight', p.minChildWeight, 0, Number.MAX_VALUE);
    requireInteger('minDataInLeaf', p.minDataInLeaf, 1);
    requireRange('subsample', p.subsample, Number.MIN_VALUE, 1);
    requireRange('colsampleByTree', p.colsampleByTree, Number.MIN_VALUE, 1);
    requireInteger('earlyStoppingRounds', p.earlyStoppingRounds, 0);
    requireInteger('maxBins', p.maxBins, 2);
    requireInteger('seed', p.seed, -(2 ** 31));
    requireInteger('threads', p.threads, 1);
    if (p.goss !== 'none') {
      requireRange('goss.topRate', p.goss.topRate, 0, 1);
      requireRange('goss.otherRate', p.goss.otherRate, Number.MIN_VALUE, 1);
      if (p.goss.topRate + p.goss.otherRate > 1) {
        throw new InvalidArgumentError(`goss.topRate + goss.otherRate must be <= 1, got ${p.goss.topRate + p.goss.otherRate}`);
      }
    }
  }

  fit(X: FeatureMatrix, y: Int8Array, options: FitOptions = {}): this {
    validateTrainingData(X, y);
    const weights = resolveRowWeights(y, options.sampleWeight, options.classWeight);
    const validation = options.validation;
    if (validation !== undefined) {
      validateTrainingData(validation.X, validation.y, 'validation data');
      validatePredictionData(validation.X, X.columnCount);
    }
    const p = this.parameters;
    const mapper = BinMapper.fit(X, { maxBins: p.maxBins, seed: p.seed });
    const bins = mapper.transform(X);
    const rowCount = X.rowCount;
    const featureCount = X.columnCount;
    const data = { bins, rowCount, featureCount, edges: mapper.edges };
    const grower = new BoostTreeGrower(
      data,
      {
        maxDepth: p.maxDepth,
        maxLeaves: p.maxLeaves,
        learningRate: p.learningRate,
        lambda: p.lambda,
        alpha: p.alpha,
        gamma: p.gamma,
        minChildWeight: p.minChildWeight,
        minDataInLeaf: p.minDataInLeaf,
        threads: p.threads,
      },
      y,
      weights,
      this.hessianFactor,
    );
    try {
      this.train(X, y, weights, options, grower);
    } finally {
      grower.dispose();
    }
    return this;
  }

  private train(X: FeatureMatrix, y: Int8Array, weights: Float64Array, options: FitOptions, grower: BoostTreeGrower): void {
    const validation = options.validation;
    const p = this.parameters;
    const random = createRandom(p.seed);
    const rowCount = X.rowCount;
    const featureCount = X.columnCount;
    const { words, wordsPerRow } = grower.rows;

    // Initial margins: centred log of the weighted class priors.
    const prior = [0, 0, 0];
    for (let row = 0; row < rowCount; row++) prior[y[row]!]! += weights[row]!;
    const priorTotal = prior[0]! + prior[1]! + prior[2]!;
    const logPrior = prior.map((value) => Math.log(Math.max(value / priorTotal, 1e-6)));
    const meanLogPrior = (logPrior[0]! + logPrior[1]! + logPrior[2]!) / CLASS_COUNT;
    const baseMargin = Float64Array.from(logPrior, (value) => value - meanLogPrior);

    // One margin array per class (a tree updates one class), held by the grower, which computes the gradients.
    const margins = grower.margins;
    for (let label = 0; label < CLASS_COUNT; label++) margins[label]!.fill(baseMargin[label]!);
    const allRows = new Uint32Array(rowCount);
    for (let row = 0; row < rowCount; row++) allRows[row] = row;
    const sampledRows = new Uint32Array(rowCount);
    const otherRows = new Uint32Array(rowCount);
    // Scratch of GOSS (row scores and their copy for the selection) and of routing the unsampled rows.
    const gossScores = p.goss === 'none' ? undefined : new Float64Array(rowCount);
    const gossSelection = p.goss === 'none' ? undefined : new Float64Array(rowCount);
    const routeOrder = new Uint32Array(rowCount);
    const routeScratch = new Uint32Array(rowCount);
    const featureOrder = new Int32Array(featureCount);
    const treeFeatureCount = Math.max(1, Math.round(p.colsampleByTree * featureCount));

    const validationMargin = validation === undefined ? undefined : new Float64Array(validation.X.rowCount * CLASS_COUNT);
    if (validationMargin !== undefined) for (let row = 0; row < validation!.X.rowCount; row++) validationMargin.set(baseMargin, row * CLASS_COUNT);
    const validationProbabilities = validation === undefined ? undefined : new Float64Array(validation.X.rowCount * CLASS_COUNT);

    const trees: Tree[] = [];
    this.validationLoss = [];
    let bestLoss = Infinity;
    let bestRound = -1;
    const gossStart = Math.ceil(1 / p.learningRate);
    for (let round = 0; round < p.rounds; round++) {
      let rows: Uint32Array = allRows;
      const goss = p.goss !== 'none' && round >= gossStart ? p.goss : undefined;
      if (goss !== undefined) {
        grower.computeAllGradients();
        rows = gossSample(grower.gradients, grower.hessians, goss.topRate, goss.otherRate, random.nextUint32(), gossScores!, gossSelection!, sampledRows);
      } else if (p.subsample < 1) {
        rows = sampledRows.subarray(0, subsampleRows(rowCount, p.subsample, random.nextUint32(), sampledRows));
      }
      // The rows left out of this round (their margins are updated by routing them through the trees).
      const unsampled = otherRows.subarray(0, complementRows(rows, rowCount, otherRows));
      // Per class tree: its column subset and the seed of its gradient quantisation.
      const features: Int32Array[] = [];
      const roundingSeeds: number[] = [];
      for (let label = 0; label < CLASS_COUNT; label++) {
        features.push(sampleFeatures(featureOrder, treeFeatureCount, random).slice());
        roundingSeeds.push(random.nextUint32());
      }
      grower.beginRound(rows, features, roundingSeeds, goss !== undefined, goss === undefined ? 1 : (1 - goss.topRate) / goss.otherRate);
      for (let label = 0; label < CLASS_COUNT; label++) {
        const tree = grower.growTree(label);
        trees.push(tree);
        // Rows the tree was grown on: leaves known from the partition; the others are routed through the tree.
        grower.addToGrownRows(tree, margins[label]!);
        if (unsampled.length > 0) addToRowsOf(tree, words, wordsPerRow, unsampled, margins[label]!, routeOrder, routeScratch);
        if (validationMargin !== undefined) addToMargin(tree, validation!.X, validationMargin, label);
      }
      let loss: number | undefined;
      if (validationMargin !== undefined) {
        softmaxRows(validationMargin, validationProbabilities!);
        loss = logLoss(validation!.y, validationProbabilities!);
        this.validationLoss.push(loss);
        if (loss < bestLoss) {
          bestLoss = loss;
          bestRound = round;
        }
      }
      options.onProgress?.(loss === undefined ? { completed: round + 1, total: p.rounds } : { completed: round + 1, total: p.rounds, validationLoss: loss });
      if (loss !== undefined && p.earlyStoppingRounds > 0 && round - bestRound >= p.earlyStoppingRounds) break;
    }
    const keptRounds = validationMargin !== undefined && p.earlyStoppingRounds > 0 ? bestRound + 1 : trees.length / CLASS_COUNT;
    this.trees = trees.slice(0, keptRounds * CLASS_COUNT);
    this.roundsTrained = keptRounds;
    this.baseMargin = baseMargin;
    this.columnCount = featureCount;
  }

  private requireFitted(): void {
    if (this.trees.length === 0) throw new StateError(`${this.kind} is not fitted: call fit() or load it with modelFromJSON()`);
  }

  /** Raw margins (softmax inputs), row-major rows x 3. */
  predictMargin(X: FeatureMatrix): Float64Array {
    this.requireFitted();
    validatePredictionData(X, this.columnCount);
    const rowCount = X.rowCount;
    const margin = new Float64Array(rowCount * CLASS_COUNT);
    for (let row = 0; row < rowCount; row++) margin.set(this.baseMargin, row * CLASS_COUNT);
    for (let index = 0; index < this.trees.length; index++) addToMargin(this.trees[index]!, X, margin, index % CLASS_COUNT);
    return margin;
  }

  predictProba(X: FeatureMatrix): Float64Array {
    const margin = this.predictMargin(X);
    softmaxRows(margin, margin);
    return margin;
  }

  predict(X: FeatureMatrix): Int8Array {
    return argmaxRows(this.predictProba(X));
  }

  featureImportance(): Float64Array {
    this.requireFitted();
    return normalisedImportance(this.trees, this.columnCount);
  }

  /**
   * Exact path-dependent TreeSHAP (Lundberg et al. 2018): per row, feature and class, contributions to the raw
   * margin; `base + sum of contributions = predictMargin`.
   */
  shapValues(X: FeatureMatrix): ShapValues {
    this.requireFitted();
    validatePredictionData(X, this.columnCount);
    const classOfTree = Int32Array.from(this.trees, (_, index) => index % CLASS_COUNT);
    const result = treeShap(this.trees, classOfTree, X, 1);
    for (let label = 0; label < CLASS_COUNT; label++) result.base[label]! += this.baseMargin[label]!;
    return result;
  }

  /** The fitted trees, round-major (round r, class k at index 3 r + k). */
  getTrees(): readonly Tree[] {
    return this.trees;
  }

  toJSON(): ModelJson {
    this.requireFitted();
    return {
      kind: this.kind,
      formatVersion: this.formatVersion,
      parameters: { ...withoutThreads(this.parameters), maxDepth: finiteOrNull(this.parameters.maxDepth), maxLeaves: finiteOrNull(this.parameters.maxLeaves) },
      columnCount: this.columnCount,
      roundsTrained: this.roundsTrained,
      baseMargin: Array.from(this.baseMargin),
      trees: this.trees.map((tree) => tree.toJSON()),
    };
  }

  /** Restores the fitted state from `toJSON()` output (used by the registry). */
  protected restore(json: ModelJson): this {
    const trees = json['trees'];
    if (!Array.isArray(trees) || trees.length === 0 || trees.length % CLASS_COUNT !== 0) {
      throw new FormatError(`a stored ${this.kind} needs a non-empty "trees" array with a multiple of 3 trees`);
    }
    this.trees = trees.map((tree) => Tree.fromJSON(tree as TreeJson));
    this.baseMargin = Float64Array.from(readNumberArray(json, 'baseMargin'));
    this.columnCount = json['columnCount'] as number;
    this.roundsTrained = json['roundsTrained'] as number;
    return this;
  }
}

/** Adds a tree's leaf values to column `label` of a rows x 3 margin, for every row of a raw matrix. */
function addToMargin(tree: Tree, X: FeatureMatrix, margin: Float64Array, label: number): void {
  const { values, rowCount } = X;
  const leafValues = tree.value;
  for (let row = 0; row < rowCount; row++) margin[row * CLASS_COUNT + label]! += leafValues[tree.leafOfRaw(values, rowCount, row)]!;
}

/**
 * Adds a tree's leaf values to margin[row] for the given training rows, routed through the tree on their bins: the
 * rows are partitioned node by node (branch-free, see partition.ts) rather than walked down one by one, whose
 * unpredictable branches cost more. Each row still gets exactly one addition, so the margins are the same.
 */
function addToRowsOf(
  tree: Tree, words: Uint32Array, wordsPerRow: number, rows: Uint32Array, margin: Float64Array, order: Uint32Array, scratch: Uint32Array,
): void {
  order.set(rows);
  const { feature, thresholdBin, defaultLeft, left, right, value } = tree;
  // Depth-first over the nodes: (node, start, end) of its rows in `order`.
  const stack: number[] = [0, 0, rows.length];
  while (stack.length > 0) {
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    if (start === end) continue;
    const split = feature[node]!;
    if (split < 0) {
      addLeafValue(order, start, end, value[node]!, margin);
      continue;
    }
    const leftEnd = partitionRowsByWords(order, scratch, words, wordsPerRow, split, start, end, thresholdBin[node]!, defaultLeft[node] === 1);
    stack.push(left[node]!, start, leftEnd, right[node]!, leftEnd, end);
  }
}

function addLeafValue(order: Uint32Array, start: number, end: number, leafValue: number, margin: Float64Array): void {
  for (let index = start; index < end; index++) margin[order[index]!]! += leafValue;
}

/**
 * Row subsample of a round (ascending, written to `output`; returns the count): each row is kept with probability
 * `fraction`, decided by a counter-based uniform (a SplitMix32-style hash of the round's seed and the row, see
 * hashOfRow) so that no generator call is made per row.
 */
function subsampleRows(rowCount: number, fraction: number, seed: number, output: Uint32Array): number {
  const threshold = fraction * 4294967296;
  let count = 0;
  for (let row = 0; row < rowCount; row++) if (hashOfRow(seed, row) < threshold) output[count++] = row;
  return count;
}

/** The rows of 0..rowCount-1 not in `rows` (ascending), written to `output`; returns their count. */
function complementRows(rows: Uint32Array, rowCount: number, output: Uint32Array): number {
  let count = 0;
  let next = 0;
  for (let row = 0; row < rowCount; row++) {
    if (next < rows.length && rows[next] === row) next++;
    else output[count++] = row;
  }
  return count;
}

function withoutThreads(parameters: BoostingParameters): Omit<BoostingParameters, 'threads'> {
  const { threads: _threads, ...rest } = parameters;
  return rest;
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** Parameters from stored JSON (null = Infinity for the depth and leaf limits). */
function readParameters(json: ModelJson): Partial<BoostingParameters> {
  const stored = json['parameters'];
  if (typeof stored !== 'object' || stored === null) throw new FormatError('a stored boosted model needs a "parameters" object');
  const parameters = { ...(stored as Record<string, unknown>) };
  if (parameters['maxDepth'] === null) parameters['maxDepth'] = Infinity;
  if (parameters['maxLeaves'] === null) parameters['maxLeaves'] = Infinity;
  return parameters as Partial<BoostingParameters>;
}

/** Softmax of each row of a row-major rows x 3 matrix (may write in place). */
export function softmaxRows(margin: Float64Array, output: Float64Array): void {
  for (let base = 0; base < margin.length; base += CLASS_COUNT) {
    const m0 = margin[base]!;
    const m1 = margin[base + 1]!;
    const m2 = margin[base + 2]!;
    const top = Math.max(m0, m1, m2);
    const e0 = Math.exp(m0 - top);
    const e1 = Math.exp(m1 - top);
    const e2 = Math.exp(m2 - top);
    const sum = e0 + e1 + e2;
    output[base] = e0 / sum;
    output[base + 1] = e1 / sum;
    output[base + 2] = e2 / sum;
  }
}

/** Total split gain per feature over all trees, normalised to sum to 1 (uniform when no tree has a split). */
export function normalisedImportance(trees: readonly Tree[], columnCount: number): Float64Array {
  const importance = new Float64Array(columnCount);
  for (const tree of trees) tree.addImportance(importance);
  let total = 0;
  for (const value of importance) total += value;
  if (total > 0) for (let index = 0; index < columnCount; index++) importance[index]! /= total;
  else importance.fill(1 / columnCount);
  return importance;
}

/** A random subset of `count` features (partial Fisher-Yates), sorted ascending. */
export function sampleFeatures(order: Int32Array, count: number, random: Random): Int32Array {
  const total = order.length;
  for (let index = 0; index < total; index++) order[index] = index;
  if (count >= total) return order;
  for (let index = 0; index < count; index++) {
    const other = index + random.nextInt(total - index);
    const value = order[index]!;
    order[index] = order[other]!;
    order[other] = value;
  }
  return order.slice(0, count).sort();
}

/**
 * GOSS (Ke et al. 2017, Algorithm 2): keeps the rows with the top `topRate` fraction of |g h| (summed over classes),
 * samples the rest with probability otherRate / (1 - topRate) and scales their gradients and hessians by
 * (1 - topRate) / otherRate so that the gradient statistics stay unbiased. A row of the rest is kept when a
 * counter-based uniform of (seed, row) falls below that probability (see hashOfRow; no generator call per row).
 * Returns ascending row indices.
 */
function gossSample(
  gradients: readonly Float64Array[],
  hessians: readonly Float64Array[],
  topRate: number,
  otherRate: number,
  seed: number,
  scores: Float64Array,
  selection: Float64Array,
  output: Uint32Array,
): Uint32Array {
  const rowCount = gradients[0]!.length;
  scores.fill(0);
  for (let label = 0; label < CLASS_COUNT; label++) addScores(gradients[label]!, hessians[label]!, scores);
  const topCount = Math.floor(topRate * rowCount);
  selection.set(scores);
  const threshold = topCount > 0 ? kthLargest(selection, topCount) : Infinity;
  const keepBelow = (otherRate / (1 - topRate)) * 4294967296;
  const amplification = (1 - topRate) / otherRate;
  let count = 0;
  for (let row = 0; row < rowCount; row++) {
    if (scores[row]! >= threshold) {
      output[count++] = row;
    } else if (hashOfRow(seed, row) < keepBelow) {
      output[count++] = row;
      for (let label = 0; label < CLASS_COUNT; label++) {
        gradients[label]![row]! *= amplification;
        hessians[label]![row]! *= amplification;
      }
    }
  }
  return output.subarray(0, count);
}

function addScores(gradient: Float64Array, hessian: Float64Array, scores: Float64Array): void {
  for (let row = 0; row < scores.length; row++) scores[row]! += Math.abs(gradient[row]! * hessian[row]!);
}

/** The k-th largest value (1-based) by quickselect (Hoare); reorders `values`. */
function kthLargest(values: Float64Array, k: number): number {
  let low = 0;
  let high = values.length - 1;
  const target = k - 1;
  while (low < high) {
    const pivot = values[(low + high) >>> 1]!;
    let i = low;
    let j = high;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const value = values[i]!;
        values[i] = values[j]!;
        values[j] = value;
        i++;
        j--;
      }
    }
    if (target <= j) high = j;
    else if (target >= i) low = i;
    else break;
  }
  return values[target]!;
}

const GRADIENT_BOOSTING_DEFAULTS: Omit<BoostingParameters, 'threads'> = {
  rounds: 200,
  // A gradient step (the mean residual) is about a third of the Newton step near p = 1/3, hence a larger rate than
  // the second-order models' 0.05 for a comparable model.
  learningRate: 0.2,
  maxDepth: 4,
  maxLeaves: Infinity,
  lambda: 0,
  alpha: 0,
  gamma: 0,
  minChildWeight: 1e-3,
  minDataInLeaf: 20,
  subsample: 0.8,
  colsampleByTree: 1,
  goss: 'none',
  earlyStoppingRounds: 0,
  maxBins: 255,
  seed: 0,
};

/**
 * First-order gradient boosting (Friedman 2001, 2002): least-squares trees on the softmax residuals, shrinkage,
 * subsampling; depth-wise trees. Format version 2: version 1 of the kind "gradient-boosting" was the XGBoost-style
 * model, now `XgBoostClassifier` (kind "xgboost").
 */
export class GradientBoostingClassifier extends BoostedTreesClassifier {
  static readonly kind = 'gradient-boosting';
  static readonly formatVersion = 2;
  readonly kind = GradientBoostingClassifier.kind;
  protected readonly formatVersion = GradientBoostingClassifier.formatVersion;
  protected readonly hessianFactor = 0;

  constructor(parameters: Partial<BoostingParameters> = {}) {
    super(GRADIENT_BOOSTING_DEFAULTS, parameters);
  }

  static fromJSON(json: ModelJson): GradientBoostingClassifier {
    return new GradientBoostingClassifier(readParameters(json)).restore(json);
  }
}

const XGBOOST_DEFAULTS: Omit<BoostingParameters, 'threads'> = {
  rounds: 300,
  learningRate: 0.05,
  maxDepth: 6,
  maxLeaves: Infinity,
  lambda: 1,
  alpha: 0,
  gamma: 0,
  minChildWeight: 5,
  minDataInLeaf: 1,
  subsample: 0.8,
  colsampleByTree: 0.8,
  goss: 'none',
  earlyStoppingRounds: 0,
  maxBins: 255,
  seed: 0,
};

/** XGBoost-style boosting: depth-wise trees, second-order softmax, eta, L1/L2, gamma, subsampling. */
export class XgBoostClassifier extends BoostedTreesClassifier {
  static readonly kind = 'xgboost';
  static readonly formatVersion = 1;
  readonly kind = XgBoostClassifier.kind;
  protected readonly formatVersion = XgBoostClassifier.formatVersion;
  protected readonly hessianFactor = 2;

  constructor(parameters: Partial<BoostingParameters> = {}) {
    super(XGBOOST_DEFAULTS, parameters);
  }

  static fromJSON(json: ModelJson): XgBoostClassifier {
    return new XgBoostClassifier(readParameters(json)).restore(json);
  }
}

const LIGHTGBM_DEFAULTS: Omit<BoostingParameters, 'threads'> = {
  rounds: 300,
  learningRate: 0.05,
  maxDepth: Infinity,
  maxLeaves: 31,
  lambda: 1,
  alpha: 0,
  gamma: 0,
  minChildWeight: 1e-3,
  minDataInLeaf: 20,
  subsample: 1,
  colsampleByTree: 1,
  goss: 'none',
  earlyStoppingRounds: 0,
  maxBins: 255,
  seed: 0,
};

/** LightGBM-style boosting: leaf-wise (best-first) trees with `maxLeaves`, min data in leaf, optional GOSS. */
export class LightGbmClassifier extends BoostedTreesClassifier {
  static readonly kind = 'lightgbm';
  static readonly formatVersion = 1;
  readonly kind = LightGbmClassifier.kind;
  protected readonly formatVersion = LightGbmClassifier.formatVersion;
  protected readonly hessianFactor = CLASS_COUNT / (CLASS_COUNT - 1);

  constructor(parameters: Partial<BoostingParameters> = {}) {
    super(LIGHTGBM_DEFAULTS, parameters);
  }

  static fromJSON(json: ModelJson): LightGbmClassifier {
    return new LightGbmClassifier(readParameters(json)).restore(json);
  }
}

