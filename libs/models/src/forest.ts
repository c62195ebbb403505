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
import { FormatError, InvalidArgumentError, QuantError, StateError, createRandom, describeValue, randomFromState, type FeatureMatrix, type RandomState } from '@quant/core';
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
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { FOREST_CONTROL, ForestTreeBuilder, treeFromArrays, type ForestTreeJob, type ForestWorkerSetup, type TreeArrays } from './tree/forest-trees.js';
import { rowWords } from './tree/row-words.js';
import { defaultThreadCount, startTreeWorkers } from './tree/worker-start.js';
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
  /**
   * Threads for training: 1 = this thread only, n = this thread and n - 1 worker_threads workers growing whole trees
   * (default: the available cores, at most 4). Tree i always grows from the i-th fork of the seeded generator and
   * out-of-bag sums are added in tree order, so the model does not depend on it (not stored in toJSON()).
   */
  threads: number;
}

const FORMAT_VERSION = 1;
/** Smallest rows x trees for which training uses the worker. */
const PARALLEL_MIN_ROW_TREES = 50_000;

abstract class ForestClassifier implements Classifier {
  abstract readonly kind: string;
  protected abstract readonly randomThresholds: boolean;
  readonly parameters: ForestParameters;
  private trees: Tree[] = [];
  private columnCount = 0;
  /** Out-of-bag accuracy and log loss (bootstrap only; NaN otherwise). */
  oobScore = NaN;
  oobLogLoss = NaN;

  constructor(defaults: Omit<ForestParameters, 'threads'>, parameters: Partial<ForestParameters>) {
    this.parameters = { ...defaults, threads: defaultThreadCount(), ...parameters };
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
    requireInteger('threads', p.threads, 1);
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
    const rowCount = X.rowCount;
    // A worker pays off once there is enough work (its start costs tens of milliseconds).
    const parallel = p.threads > 1 && p.trees > 1 && rowCount * p.trees >= PARALLEL_MIN_ROW_TREES;
    // Workers read the bins from shared memory (no copy per worker).
    const columnBins = mapper.transform(X);
    const bins = parallel ? new Uint8Array(new SharedArrayBuffer(columnBins.length)) : columnBins;
    if (parallel) bins.set(columnBins);
    const { words, wordsPerRow } = rowWords(bins, rowCount, X.columnCount, parallel);
    const job: ForestTreeJob = {
      bins,
      words,
      wordsPerRow,
      rowCount,
      featureCount: X.columnCount,
      edges: mapper.edges,
      labels: y,
      baseWeight,
      bootstrap: p.bootstrap,
      draws: Math.max(1, Math.round(p.maxSamples * rowCount)),
      grower: {
        maxFeatures: this.featuresPerSplit(X.columnCount),
        minSamplesLeaf: p.minSamplesLeaf,
        maxDepth: p.maxDepth,
        randomThresholds: this.randomThresholds,
      },
    };
    // Tree i grows from the i-th fork of the model's generator, whichever thread grows it.
    const states: RandomState[] = [];
    for (let index = 0; index < p.trees; index++) states.push(random.fork().getState());
    const trees = parallel ? growInParallel(job, states, p.threads, options) : growInThisThread(job, states, options);

    this.trees = trees;
    this.columnCount = X.columnCount;
    this.oobScore = NaN;
    this.oobLogLoss = NaN;
    if (p.bootstrap) this.scoreOutOfBag(job, states, trees);
    return this;
  }

  /**
   * Out-of-bag accuracy and log loss: each row is scored by the mean of the trees that did not draw it, summed in
   * tree order (so the score does not depend on which thread grew which tree). A tree's draws are the first draws
   * of its random stream, drawn again here.
   */
  private scoreOutOfBag(job: ForestTreeJob, states: readonly RandomState[], trees: readonly Tree[]): void {
    const { rowCount, labels: y } = job;
    const { words, wordsPerRow } = job;
    const oobSum = new Float64Array(rowCount * CLASS_COUNT);
    const oobTrees = new Uint32Array(rowCount);
    const drawCount = new Uint32Array(rowCount);
    for (let index = 0; index < trees.length; index++) {
      ForestTreeBuilder.drawBootstrap(randomFromState(states[index]!), drawCount, job.draws);
      const tree = trees[index]!;
      const value = tree.value;
      for (let row = 0; row < rowCount; row++) {
        if (drawCount[row] !== 0) continue;
        const leaf = tree.leafOfRowWords(words, wordsPerRow, row) * CLASS_COUNT;
        const target = row * CLASS_COUNT;
        oobSum[target]! += value[leaf]!;
        oobSum[target + 1]! += value[leaf + 1]!;
        oobSum[target + 2]! += value[leaf + 2]!;
        oobTrees[row]! += 1;
      }
    }
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
      parameters: { ...withoutThreads(this.parameters), maxDepth: Number.isFinite(this.parameters.maxDepth) ? this.parameters.maxDepth : null },
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

function withoutThreads(parameters: ForestParameters): Omit<ForestParameters, 'threads'> {
  const { threads: _threads, ...rest } = parameters;
  return rest;
}

function growInThisThread(job: ForestTreeJob, states: readonly RandomState[], options: FitOptions): Tree[] {
  const builder = new ForestTreeBuilder(job);
  const trees: Tree[] = [];
  for (let index = 0; index < states.length; index++) {
    trees.push(builder.build(states[index]!));
    options.onProgress?.({ completed: index + 1, total: states.length });
  }
  return trees;
}

/**
 * This thread and `threads - 1` workers claim tree indices from a shared counter until none is left; the workers
 * post their trees, collected synchronously (receiveMessageOnPort). The job's bins are in shared memory.
 */
function growInParallel(job: ForestTreeJob, states: readonly RandomState[], threads: number, options: FitOptions): Tree[] {
  const total = states.length;
  const control = new Int32Array(new SharedArrayBuffer(FOREST_CONTROL.size * Int32Array.BYTES_PER_ELEMENT));
  control[FOREST_CONTROL.remaining] = total;
  const trees: (Tree | undefined)[] = new Array<Tree | undefined>(total).fill(undefined);
  let completed = 0;
  const progress = (): void => {
    completed++;
    options.onProgress?.({ completed, total });
  };
  const workers = startTreeWorkers(threads - 1);
  const ports: MessagePort[] = [];
  try {
    for (const worker of workers) {
      const channel = new MessageChannel();
      const setup: ForestWorkerSetup = { kind: 'forest', job, states, control, port: channel.port2 };
      worker.postMessage(setup, [channel.port2]);
      ports.push(channel.port1);
    }
    const collect = (): void => {
      for (const port of ports) {
        for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
          const posted = message.message as { index: number; arrays: TreeArrays } | { error: string };
          if ('error' in posted) throw new QuantError('INTERNAL', `a tree worker failed: ${posted.error}`);
          trees[posted.index] = treeFromArrays(posted.arrays);
          progress();
        }
      }
    };
    const builder = new ForestTreeBuilder(job);
    for (let claimed = Atomics.sub(control, FOREST_CONTROL.remaining, 1); claimed > 0; claimed = Atomics.sub(control, FOREST_CONTROL.remaining, 1)) {
      const index = total - claimed;
      trees[index] = builder.build(states[index]!);
      progress();
      collect();
    }
    while (completed < total) {
      const posted = Atomics.load(control, FOREST_CONTROL.posted);
      collect();
      if (completed < total) Atomics.wait(control, FOREST_CONTROL.posted, posted, 100);
    }
  } finally {
    for (const port of ports) port.close();
    for (const worker of workers) void worker.terminate();
  }
  return trees as Tree[];
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
