/**
 * Random forests (Breiman 2001) and extremely randomised trees (Geurts, Ernst & Wehenkel 2006) of Gini
 * classification trees on the shared binned data (see tree/forest-grower.ts). Probabilities are the mean of the
 * trees' leaf class frequencies, as in scikit-learn.
 *
 * - `RandomForestClassifier`: each tree sees a bootstrap sample of round(maxSamples x rows) draws (drawn rows carry
 *   their draw count as a weight), a fresh random feature subset at every split, the best bin boundary; the
 *   out-of-bag accuracy and log loss are measured on the rows each tree did not draw.
 * - `ExtraTreesClassifier`: every tree sees all rows (no bootstrap by default) and each drawn feature gets one random
 *   cut point between its smallest and largest bin in the node.
 */
import { FormatError, InvalidArgumentError, StateError, createRandom, describeValue, type FeatureMatrix } from '@quant/core';
import { BinMapper } from './binning.js';
import { normalisedImportance } from './boosting.js';
import {
  CLASS_COUNT,
  requireInteger,
  requireRange,
  resolveRowWeights,
  validatePredictionData,
  validateTrainingData,
  type Classifier,
  type FitOptions,
  type ModelJson,
} from './interface.js';
import { argmaxRows, accuracy, logLoss } from './metrics.js';
import { ForestTreeGrower } from './tree/forest-grower.js';
import { treeShap, type ShapValues } from './tree/shap.js';
import { Tree, type TreeJson } from './tree/tree.js';

export interface ForestParameters {
  trees: number;
  /** Features drawn at each split: 'sqrt' (default), 'all', a count (integer >= 1) or a fraction in (0, 1). */
  maxFeatures: 'sqrt' | 'all' | number;
  minSamplesLeaf: number;
  /** Depth limit; Infinity for none. */
  maxDepth: number;
  /** Bootstrap sampling (with replacement) for each tree. */
  bootstrap: boolean;
  /** Bootstrap draws as a fraction of the rows. */
  maxSamples: number;
  maxBins: number;
  seed: number;
}

const FORMAT_VERSION = 1;

abstract class ForestClassifier implements Classifier {
  abstract readonly kind: string;
  protected abstract readonly randomThresholds: boolean;
  readonly parameters: ForestParameters;
  private trees: Tree[] = [];
  private columnCount = 0;
  /** Out-of-bag accuracy and log loss (bootstrap only; NaN otherwise). */
  oobScore = NaN;
  oobLogLoss = NaN;

  constructor(defaults: ForestParameters, parameters: Partial<ForestParameters>) {
    this.parameters = { ...defaults, ...parameters };
    const p = this.parameters;
    requireInteger('trees', p.trees, 1);
    if (p.maxFeatures !== 'sqrt' && p.maxFeatures !== 'all' && !(typeof p.maxFeatures === 'number' && p.maxFeatures > 0 && (p.maxFeatures < 1 || Number.isInteger(p.maxFeatures)))) {
      throw new InvalidArgumentError(`maxFeatures must be 'sqrt', 'all', a count >= 1 or a fraction in (0, 1), got ${describeValue(p.maxFeatures)}`);
    }
    requireInteger('minSamplesLeaf', p.minSamplesLeaf, 1);
    if (!(p.maxDepth >= 1)) throw new InvalidArgumentError(`maxDepth must be >= 1 or Infinity, got ${describeValue(p.maxDepth)}`);
    requireRange('maxSamples', p.maxSamples, Number.MIN_VALUE, 1);
    requireInteger('maxBins', p.maxBins, 2);
    requireInteger('seed', p.seed, -(2 ** 31));
  }

  private featuresPerSplit(columnCount: number): number {
    const setting = this.parameters.maxFeatures;
    if (setting === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(columnCount)));
    if (setting === 'all') return columnCount;
    if (setting < 1) return Math.max(1, Math.floor(setting * columnCount));
    return Math.min(columnCount, setting);
  }

  fit(X: FeatureMatrix, y: Int8Array, options: FitOptions = {}): this {
    validateTrainingData(X, y);
    const baseWeight = resolveRowWeights(y, options.sampleWeight, options.classWeight);
    const p = this.parameters;
    const random = createRandom(p.seed);
    const mapper = BinMapper.fit(X, { maxBins: p.maxBins, seed: p.seed });
    const bins = mapper.transform(X);
    const rowCount = X.rowCount;
    const data = { bins, rowCount, featureCount: X.columnCount, edges: mapper.edges };
    const grower = new ForestTreeGrower(data, y, {
      maxFeatures: this.featuresPerSplit(X.columnCount),
      minSamplesLeaf: p.minSamplesLeaf,
      maxDepth: p.maxDepth,
      randomThresholds: this.randomThresholds,
    });
    const draws = Math.max(1, Math.round(p.maxSamples * rowCount));
    const drawCount = new Uint32Array(rowCount);
    const rowWeight = new Float64Array(rowCount);
    const rows = new Uint32Array(rowCount);
    const oobSum = p.bootstrap ? new Float64Array(rowCount * CLASS_COUNT) : undefined;
    const oobTrees = p.bootstrap ? new Uint32Array(rowCount) : undefined;
    const trees: Tree[] = [];
    for (let index = 0; index < p.trees; index++) {
      const treeRandom = random.fork();
      let count = 0;
      if (p.bootstrap) {
        drawCount.fill(0);
        for (let draw = 0; draw < draws; draw++) drawCount[treeRandom.nextInt(rowCount)]! += 1;
        for (let row = 0; row < rowCount; row++) {
          rowWeight[row] = drawCount[row]! * baseWeight[row]!;
          if (drawCount[row]! > 0) rows[count++] = row;
        }
      } else {
        for (let row = 0; row < rowCount; row++) rows[count++] = row;
        rowWeight.set(baseWeight);
      }
      const tree = grower.grow(rows.subarray(0, count), rowWeight, treeRandom);
      trees.push(tree);
      if (oobSum !== undefined && oobTrees !== undefined) {
        const value = tree.value;
        for (let row = 0; row < rowCount; row++) {
          if (drawCount[row] !== 0) continue;
          const leaf = tree.leafOfBinned(bins, rowCount, row) * CLASS_COUNT;
          for (let label = 0; label < CLASS_COUNT; label++) oobSum[row * CLASS_COUNT + label]! += value[leaf + label]!;
          oobTrees[row]! += 1;
        }
      }
      options.onProgress?.({ completed: index + 1, total: p.trees });
    }
    this.trees = trees;
    this.columnCount = X.columnCount;
    if (oobSum !== undefined && oobTrees !== undefined) this.scoreOutOfBag(y, oobSum, oobTrees);
    return this;
  }

  private scoreOutOfBag(y: Int8Array, oobSum: Float64Array, oobTrees: Uint32Array): void {
    const covered: number[] = [];
    for (let row = 0; row < y.length; row++) if (oobTrees[row]! > 0) covered.push(row);
    if (covered.length === 0) return;
    const labels = new Int8Array(covered.length);
    const probabilities = new Float64Array(covered.length * CLASS_COUNT);
    covered.forEach((row, index) => {
      labels[index] = y[row]!;
      for (let label = 0; label < CLASS_COUNT; label++) {
        probabilities[index * CLASS_COUNT + label] = oobSum[row * CLASS_COUNT + label]! / oobTrees[row]!;
      }
    });
    this.oobScore = accuracy(labels, argmaxRows(probabilities));
    this.oobLogLoss = logLoss(labels, probabilities);
  }

  private requireFitted(): void {
    if (this.trees.length === 0) throw new StateError(`${this.kind} is not fitted: call fit() or load it with modelFromJSON()`);
  }

  predictProba(X: FeatureMatrix): Float64Array {
    this.requireFitted();
    validatePredictionData(X, this.columnCount);
    const rowCount = X.rowCount;
    const probabilities = new Float64Array(rowCount * CLASS_COUNT);
    const values = X.values;
    for (const tree of this.trees) {
      const leafValues = tree.value;
      for (let row = 0; row < rowCount; row++) {
        const leaf = tree.leafOfRaw(values, rowCount, row) * CLASS_COUNT;
        const target = row * CLASS_COUNT;
        probabilities[target]! += leafValues[leaf]!;
        probabilities[target + 1]! += leafValues[leaf + 1]!;
        probabilities[target + 2]! += leafValues[leaf + 2]!;
      }
    }
    const scale = 1 / this.trees.length;
    for (let index = 0; index < probabilities.length; index++) probabilities[index]! *= scale;
    return probabilities;
  }

  predict(X: FeatureMatrix): Int8Array {
    return argmaxRows(this.predictProba(X));
  }

  featureImportance(): Float64Array {
    this.requireFitted();
    return normalisedImportance(this.trees, this.columnCount);
  }

  /**
   * Exact path-dependent TreeSHAP (Lundberg et al. 2018) per row, feature and class; `base + sum of contributions`
   * equals the averaged probability `predictProba`.
   */
  shapValues(X: FeatureMatrix): ShapValues {
    this.requireFitted();
    validatePredictionData(X, this.columnCount);
    return treeShap(this.trees, new Int32Array(this.trees.length), X, 1 / this.trees.length);
  }

  getTrees(): readonly Tree[] {
    return this.trees;
  }

  toJSON(): ModelJson {
    this.requireFitted();
    return {
      kind: this.kind,
      formatVersion: FORMAT_VERSION,
      parameters: { ...this.parameters, maxDepth: Number.isFinite(this.parameters.maxDepth) ? this.parameters.maxDepth : null },
      columnCount: this.columnCount,
      oobScore: Number.isNaN(this.oobScore) ? null : this.oobScore,
      oobLogLoss: Number.isNaN(this.oobLogLoss) ? null : this.oobLogLoss,
      trees: this.trees.map((tree) => tree.toJSON()),
    };
  }

  protected restore(json: ModelJson): this {
    const trees = json['trees'];
    if (!Array.isArray(trees) || trees.length === 0) throw new FormatError(`a stored ${this.kind} needs a non-empty "trees" array`);
    this.trees = trees.map((tree) => Tree.fromJSON(tree as TreeJson));
    this.columnCount = json['columnCount'] as number;
    this.oobScore = typeof json['oobScore'] === 'number' ? json['oobScore'] : NaN;
    this.oobLogLoss = typeof json['oobLogLoss'] === 'number' ? json['oobLogLoss'] : NaN;
    return this;
  }
}

function readForestParameters(json: ModelJson): Partial<ForestParameters> {
  const stored = json['parameters'];
  if (typeof stored !== 'object' || stored === null) throw new FormatError('a stored forest needs a "parameters" object');
  const parameters = { ...(stored as Record<string, unknown>) };
  if (parameters['maxDepth'] === null) parameters['maxDepth'] = Infinity;
  return parameters as Partial<ForestParameters>;
}

/** Breiman (2001) random forest of Gini trees on bootstrap samples, with out-of-bag scoring. */
export class RandomForestClassifier extends ForestClassifier {
  static readonly kind = 'random-forest';
  static readonly formatVersion = FORMAT_VERSION;
  readonly kind = RandomForestClassifier.kind;
  protected readonly randomThresholds = false;

  constructor(parameters: Partial<ForestParameters> = {}) {
    super({ trees: 100, maxFeatures: 'sqrt', minSamplesLeaf: 1, maxDepth: Infinity, bootstrap: true, maxSamples: 1, maxBins: 255, seed: 0 }, parameters);
  }

  static fromJSON(json: ModelJson): RandomForestClassifier {
    return new RandomForestClassifier(readForestParameters(json)).restore(json);
  }
}

/** Geurts et al. (2006) extremely randomised trees: random cut points, all rows by default. */
export class ExtraTreesClassifier extends ForestClassifier {
  static readonly kind = 'extra-trees';
  static readonly formatVersion = FORMAT_VERSION;
  readonly kind = ExtraTreesClassifier.kind;
  protected readonly randomThresholds = true;

  constructor(parameters: Partial<ForestParameters> = {}) {
    super({ trees: 100, maxFeatures: 'sqrt', minSamplesLeaf: 1, maxDepth: Infinity, bootstrap: false, maxSamples: 1, maxBins: 255, seed: 0 }, parameters);
  }

  static fromJSON(json: ModelJson): ExtraTreesClassifier {
    return new ExtraTreesClassifier(readForestParameters(json)).restore(json);
  }
}
