/**
 * Stacked generalisation (Wolpert 1992) for time series: a meta-learner trained on out-of-fold (OOF) probabilities
 * of the base models, where the folds are purged time blocks inside the training window (see `purgedTimeFolds`).
 *
 * Why the API looks like this: the old system trained its meta-learner on predictions for the test rows. Here `fit`
 * receives the training window only and produces every prediction the meta-learner sees itself, from models that
 * never saw the rows they predict (nor rows whose label windows overlap them). There is no way to pass predictions or
 * a meta training set in. Given the outer `fold`, `fit` also refuses any row on or after the fold's first test day.
 *
 * `fit` steps:
 *  1. cut the rows into `innerFolds` purged time blocks;
 *  2. for each block, fit every base model on the other rows (minus purge and embargo) and predict the block: the OOF
 *     probabilities (key `oof/<model>/<block>`);
 *  3. fit the meta-learner (default: multinomial logistic regression, its C validated on the later OOF days) on the
 *     OOF probabilities, 3 columns per base model named `<model>:SELL`, `<model>:HOLD`, `<model>:BUY` (key `meta`);
 *  4. fit every base model on all training rows (key `full/<model>`); predictions go through these and the meta-learner.
 *
 * Checkpoints: with a `cache`, every fitted model is stored as JSON under its key right after its fit, and a key
 * already present is read back instead of fitting again. The in-memory model is always the one read back from the
 * JSON, so an uninterrupted fit and one resumed from any subset of keys give identical models, bit for bit. A cache is
 * valid for one training window and configuration only (use `prefixedCache` per outer fold).
 */
import {
  FormatError,
  IncompatibleVersionError,
  InvalidArgumentError,
  LABELS,
  StateError,
  createFeatureMatrix,
  describeValue,
  selectRows,
  type FeatureMatrix,
} from '@quant/core';
import {
  CLASS_COUNT,
  argmaxRows,
  modelFromJSON,
  validatePredictionData,
  validateTrainingData,
  type Classifier,
  type ClassWeight,
  type ModelJson,
} from '@quant/models';
import { purgedTimeFolds, type PurgedFold } from './folds.js';
import { MajorityClassifier } from './majority.js';
import { ValidatedLogisticMeta, defaultMetaLearner } from './meta.js';

export interface BaseModelSpec {
  /** Unique name: letters, digits, '.', '_' or '-' (it appears in cache keys and meta column names). */
  readonly name: string;
  /** A new, unfitted, seeded model; called once per fit (the same configuration every time). */
  readonly create: () => Classifier;
}

export interface StackingOptions {
  readonly baseModels: readonly BaseModelSpec[];
  /** A new, unfitted meta-learner; default logistic regression, C validated on the later OOF days (see meta.ts). */
  readonly meta?: () => Classifier;
  /** Purged time blocks for the OOF predictions (>= 2); default 5. */
  readonly innerFolds?: number;
  /** Label horizon in trading days (purge). */
  readonly horizonDays: number;
  /** Embargo after each inner block in trading days; default 0. */
  readonly embargoDays?: number;
  /** Rebuilds a model from stored JSON (cache reads and `stackingFromJSON`); default `restoreModel`. */
  readonly readModel?: (json: ModelJson) => Classifier;
}

/** Where fitted models are kept between runs (the trainer backs it with its checkpoint). */
export interface ModelCache {
  get(key: string): string | undefined;
  set(key: string, json: string): void;
}

export interface StackingProgress {
  /** A base model's name, or 'meta'. */
  readonly model: string;
  /** Inner block index, or 'full' for the fit on all rows (and for the meta-learner). */
  readonly fold: number | 'full';
  /** Seconds the fit took (0 when read from the cache; NaN without a `clock`). */
  readonly seconds: number;
  /** True when the model was read from the cache instead of fitted. */
  readonly cached: boolean;
  readonly completed: number;
  readonly total: number;
}

export interface StackingFitOptions {
  /** Day of each row (days since 1970-01-01); default `X.rowDates`. */
  readonly days?: Int32Array;
  /** Per-row sample weights (for example `averageUniquenessWeights`), used by every base model and the meta-learner. */
  readonly weights?: Float64Array;
  readonly classWeight?: ClassWeight;
  readonly cache?: ModelCache;
  readonly onProgress?: (progress: StackingProgress) => void;
  /** Milliseconds from any origin (for example `performance.now`); libraries do not read the clock themselves. */
  readonly clock?: () => number;
  /** The outer walk-forward fold this window trains for: every training day must precede its first test day. */
  readonly fold?: { readonly testStartDay: number };
}

/** Rows of the training window and how many of them received an OOF prediction. */
export interface OutOfFoldSummary {
  readonly rows: number;
  readonly predictedRows: number;
  /** Rows whose inner block had no training rows left after purge and embargo (left out of the meta training). */
  readonly missingRows: number;
  readonly folds: readonly { readonly index: number; readonly trainRows: number; readonly testRows: number; readonly testStartDay: number; readonly testEndDay: number }[];
}

const FORMAT_VERSION = 1;
const NAME_PATTERN = /^[A-Za-z0-9._-]+$/;
const META_KEY = 'meta';

export class StackingClassifier implements Classifier {
  static readonly kind = 'stacking';
  static readonly formatVersion = FORMAT_VERSION;
  readonly kind = StackingClassifier.kind;
  readonly innerFolds: number;
  readonly horizonDays: number;
  readonly embargoDays: number;
  private readonly baseModels: readonly BaseModelSpec[];
  private readonly createMeta: () => Classifier;
  private readonly readModel: (json: ModelJson) => Classifier;
  private fullModels: Classifier[] = [];
  private metaModel: Classifier | undefined;
  private columnCount = 0;
  private summary: OutOfFoldSummary | undefined;
  private outOfFold: Float64Array[] = [];

  constructor(options: StackingOptions) {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError(`stacking options must be an object, got ${describeValue(options)}`);
    const { baseModels } = options;
    if (!Array.isArray(baseModels) || baseModels.length === 0) {
      throw new InvalidArgumentError(`stacking needs at least one base model, got ${describeValue(baseModels)}`);
    }
    const seen = new Set<string>();
    for (const spec of baseModels) {
      if (typeof spec?.name !== 'string' || !NAME_PATTERN.test(spec.name)) {
        throw new InvalidArgumentError(`a base model name must use only letters, digits, '.', '_' and '-', got ${describeValue(spec?.name)}`);
      }
      if (spec.name === META_KEY) throw new InvalidArgumentError(`"${META_KEY}" is reserved for the meta-learner; rename the base model`);
      if (seen.has(spec.name)) throw new InvalidArgumentError(`base model names must be unique; ${describeValue(spec.name)} appears twice`);
      if (typeof spec.create !== 'function') throw new InvalidArgumentError(`base model ${describeValue(spec.name)} needs a create() function`);
      seen.add(spec.name);
    }
    this.baseModels = [...baseModels];
    this.innerFolds = options.innerFolds ?? 5;
    this.horizonDays = options.horizonDays;
    this.embargoDays = options.embargoDays ?? 0;
    requireInteger('innerFolds', this.innerFolds, 2);
    requireInteger('horizonDays', this.horizonDays, 0);
    requireInteger('embargoDays', this.embargoDays, 0);
    this.createMeta = options.meta ?? (() => defaultMetaLearner(this.horizonDays, this.embargoDays));
    this.readModel = options.readModel ?? restoreModel;
  }

  /** Names of the base models, in order. */
  get baseModelNames(): string[] {
    return this.baseModels.map((spec) => spec.name);
  }

  /** Names of the meta-learner's input columns. */
  get metaColumns(): string[] {
    return metaColumnNames(this.baseModelNames);
  }

  /** The OOF bookkeeping of the last fit (undefined after `stackingFromJSON`). */
  get outOfFoldSummary(): OutOfFoldSummary | undefined {
    return this.summary;
  }

  /** The OOF probabilities of each base model from the last fit (rows x 3, NaN for missing rows). */
  outOfFoldProbabilities(): Record<string, Float64Array> {
    if (this.summary === undefined) throw new StateError('out-of-fold probabilities exist only after fit() in this process');
    return Object.fromEntries(this.baseModels.map((spec, index) => [spec.name, this.outOfFold[index]!]));
  }

  /** The fitted meta-learner. */
  get metaLearner(): Classifier {
    return this.requireFitted().meta;
  }

  /** The base models fitted on all training rows, by name. */
  get fittedBaseModels(): Record<string, Classifier> {
    const { models } = this.requireFitted();
    return Object.fromEntries(this.baseModels.map((spec, index) => [spec.name, models[index]!]));
  }

  fit(X: FeatureMatrix, y: Int8Array, options: StackingFitOptions = {}): this {
    validateTrainingData(X, y, 'stacking training data');
    const days = options.days ?? X.rowDates;
    if (!(days instanceof Int32Array) || days.length !== X.rowCount) {
      throw new InvalidArgumentError(`days must be an Int32Array with one day per row (${X.rowCount}), got ${describeValue(days)}`);
    }
    if (options.fold !== undefined) {
      let lastDay = -Infinity;
      for (const day of days) if (day > lastDay) lastDay = day;
      if (!(lastDay < options.fold.testStartDay)) {
        throw new InvalidArgumentError(
          `the training window reaches day ${lastDay}, on or after the first test day ${options.fold.testStartDay} of its fold: training rows must precede the test block`,
        );
      }
    }
    const weights = options.weights;
    if (weights !== undefined) {
      if (!(weights instanceof Float64Array) || weights.length !== X.rowCount) {
        throw new InvalidArgumentError(`weights must be a Float64Array with one weight per row (${X.rowCount}), got ${describeValue(weights)}`);
      }
    }
    const clock = options.clock;
    const cache = options.cache;
    const allRows = Uint32Array.from({ length: X.rowCount }, (_, row) => row);
    const folds = purgedTimeFolds(days, allRows, { folds: this.innerFolds, horizonDays: this.horizonDays, embargoDays: this.embargoDays });
    const usableFolds = folds.filter((fold) => fold.trainRows.length > 0);
    const total = this.baseModels.length * (usableFolds.length + 1) + 1;
    let completed = 0;

    /** Reads `key` from the cache or calls `train`; with a cache, returns the model as read back from its JSON. */
    const obtain = (key: string, model: string, fold: number | 'full', train: () => Classifier): Classifier => {
      const stored = cache?.get(key);
      let result: Classifier;
      let seconds = 0;
      if (stored !== undefined) {
        result = this.readStored(stored, key);
      } else {
        const started = clock?.();
        const fitted = train();
        seconds = started === undefined || clock === undefined ? NaN : (clock() - started) / 1000;
        if (cache !== undefined) {
          const json = JSON.stringify(fitted.toJSON());
          cache.set(key, json);
          result = this.readStored(json, key);
        } else {
          result = fitted;
        }
      }
      completed++;
      options.onProgress?.({ model, fold, seconds, cached: stored !== undefined, completed, total });
      return result;
    };

    const outOfFold = this.baseModels.map(() => new Float64Array(X.rowCount * CLASS_COUNT).fill(NaN));
    const predicted = new Uint8Array(X.rowCount);
    for (const fold of usableFolds) {
      // One copy of the block's training and test rows serves every base model.
      const trainX = selectRows(X, fold.trainRows);
      const trainY = pick(y, fold.trainRows);
      const trainWeights = weights === undefined ? undefined : pickFloat(weights, fold.trainRows);
      const testX = selectRows(X, fold.testRows);
      this.baseModels.forEach((spec, modelIndex) => {
        const model = obtain(`oof/${spec.name}/${fold.index}`, spec.name, fold.index, () =>
          spec.create().fit(trainX, trainY, { sampleWeight: trainWeights, classWeight: options.classWeight }),
        );
        const probabilities = model.predictProba(testX);
        const target = outOfFold[modelIndex]!;
        for (let index = 0; index < fold.testRows.length; index++) {
          const to = fold.testRows[index]! * CLASS_COUNT;
          const from = index * CLASS_COUNT;
          target[to] = probabilities[from]!;
          target[to + 1] = probabilities[from + 1]!;
          target[to + 2] = probabilities[from + 2]!;
        }
      });
      for (const row of fold.testRows) predicted[row] = 1;
    }
    const metaRows = Uint32Array.from(allRows.filter((row) => predicted[row] === 1));
    if (metaRows.length === 0) {
      throw new InvalidArgumentError(
        `no row received an out-of-fold prediction: with horizon ${this.horizonDays} and embargo ${this.embargoDays}, no inner block of ${this.innerFolds} has training rows left`,
      );
    }
    const metaX = metaMatrix(outOfFold, metaRows, this.baseModelNames, X);
    const metaY = pick(y, metaRows);
    const metaWeights = weights === undefined ? undefined : pickFloat(weights, metaRows);
    const meta = obtain(META_KEY, META_KEY, 'full', () =>
      this.createMeta().fit(metaX, metaY, { sampleWeight: metaWeights, classWeight: options.classWeight }),
    );
    const models = this.baseModels.map((spec) =>
      obtain(`full/${spec.name}`, spec.name, 'full', () => spec.create().fit(X, y, { sampleWeight: weights, classWeight: options.classWeight })),
    );

    this.fullModels = models;
    this.metaModel = meta;
    this.columnCount = X.columnCount;
    this.outOfFold = outOfFold;
    this.summary = summarise(folds, X.rowCount, metaRows.length);
    return this;
  }

  /** Row-major rows x 3 probabilities of the meta-learner over the base models' probabilities. */
  predictProba(X: FeatureMatrix): Float64Array {
    const { meta } = this.requireFitted();
    validatePredictionData(X, this.columnCount);
    const base = this.fullModels.map((model) => model.predictProba(X));
    const rows = Uint32Array.from({ length: X.rowCount }, (_, row) => row);
    return meta.predictProba(metaMatrix(base, rows, this.baseModelNames, X));
  }

  predict(X: FeatureMatrix): Int8Array {
    return argmaxRows(this.predictProba(X));
  }

  /** A base model (fitted on all training rows) by name: to explain it (TreeSHAP) or to use it on its own. */
  baseModel(name: string): Classifier {
    const { models } = this.requireFitted();
    const index = this.baseModels.findIndex((spec) => spec.name === name);
    if (index < 0) throw new InvalidArgumentError(`no base model named ${describeValue(name)}; the stack has ${this.baseModelNames.join(', ')}`);
    return models[index]!;
  }

  /** Probabilities of each base model (fitted on all training rows), by name: for reports beside the stack's. */
  baseProbabilities(X: FeatureMatrix): Record<string, Float64Array> {
    const { models } = this.requireFitted();
    validatePredictionData(X, this.columnCount);
    return Object.fromEntries(this.baseModels.map((spec, index) => [spec.name, models[index]!.predictProba(X)]));
  }

  /**
   * Importance of the input features through the stack: each base model's importances, weighted by the share of the
   * meta-learner's importance that falls on that model's three probability columns. Sums to 1.
   */
  featureImportance(): Float64Array {
    const { models, meta } = this.requireFitted();
    const metaImportance = meta.featureImportance();
    const result = new Float64Array(this.columnCount);
    let total = 0;
    models.forEach((model, index) => {
      const share = metaImportance[index * CLASS_COUNT]! + metaImportance[index * CLASS_COUNT + 1]! + metaImportance[index * CLASS_COUNT + 2]!;
      const importance = model.featureImportance();
      for (let column = 0; column < this.columnCount; column++) result[column]! += share * importance[column]!;
      total += share;
    });
    if (total > 0) for (let column = 0; column < this.columnCount; column++) result[column]! /= total;
    else result.fill(1 / this.columnCount);
    return result;
  }

  toJSON(): ModelJson {
    const { models, meta } = this.requireFitted();
    return {
      kind: StackingClassifier.kind,
      formatVersion: FORMAT_VERSION,
      innerFolds: this.innerFolds,
      horizonDays: this.horizonDays,
      embargoDays: this.embargoDays,
      columnCount: this.columnCount,
      baseModels: this.baseModels.map((spec, index) => ({ name: spec.name, model: models[index]!.toJSON() })),
      meta: meta.toJSON(),
    };
  }

  private readStored(json: string, key: string): Classifier {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new FormatError(`cached model ${describeValue(key)} is not valid JSON`, { cause: error });
    }
    return this.readModel(parsed as ModelJson);
  }

  private requireFitted(): { models: Classifier[]; meta: Classifier } {
    if (this.metaModel === undefined) throw new StateError('the stacking classifier is not fitted yet: call fit() or stackingFromJSON()');
    return { models: this.fullModels, meta: this.metaModel };
  }

  /** Used by `stackingFromJSON`. */
  static restore(json: ModelJson, readModel: (json: ModelJson) => Classifier = restoreModel): StackingClassifier {
    if (json.kind !== StackingClassifier.kind) throw new FormatError(`expected a stacking model, got kind ${describeValue(json.kind)}`);
    if (json.formatVersion !== FORMAT_VERSION) {
      throw new IncompatibleVersionError(`stacking format version ${describeValue(json.formatVersion)}; this code reads version ${FORMAT_VERSION}`);
    }
    const { baseModels, meta, columnCount, innerFolds, horizonDays, embargoDays } = json as Record<string, unknown>;
    if (!Array.isArray(baseModels) || baseModels.length === 0) throw new FormatError('a stored stacking model needs a non-empty "baseModels" array');
    if (!Number.isInteger(columnCount) || (columnCount as number) < 1) throw new FormatError(`stored stacking field "columnCount" is ${describeValue(columnCount)}`);
    const entries = baseModels.map((entry: unknown, index) => {
      const { name, model } = (entry ?? {}) as { name?: unknown; model?: unknown };
      if (typeof name !== 'string' || typeof model !== 'object' || model === null) {
        throw new FormatError(`stored stacking base model ${index} needs a string "name" and an object "model"`);
      }
      return { name, model: readModel(model as ModelJson) };
    });
    if (typeof meta !== 'object' || meta === null) throw new FormatError('a stored stacking model needs an object "meta"');
    const refuse = (): Classifier => {
      throw new StateError('a stacking model restored from JSON can predict but not be refitted: build a new StackingClassifier');
    };
    const restored = new StackingClassifier({
      baseModels: entries.map((entry) => ({ name: entry.name, create: refuse })),
      meta: refuse,
      innerFolds: innerFolds as number,
      horizonDays: horizonDays as number,
      embargoDays: embargoDays as number,
      readModel,
    });
    restored.fullModels = entries.map((entry) => entry.model);
    restored.metaModel = readModel(meta as ModelJson);
    restored.columnCount = columnCount as number;
    return restored;
  }
}

/** Rebuilds a `StackingClassifier` from `toJSON()` output (its base models and meta-learner through `readModel`). */
export function stackingFromJSON(json: unknown, readModel: (json: ModelJson) => Classifier = restoreModel): StackingClassifier {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FormatError(`a stored model is a JSON object, got ${describeValue(json)}`);
  return StackingClassifier.restore(json as ModelJson, readModel);
}

/** Any stored model: a stack, the majority baseline, or any kind `modelFromJSON` of @quant/models knows. */
export function restoreModel(json: unknown): Classifier {
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const { kind, formatVersion } = json as { kind?: unknown; formatVersion?: unknown };
    if (kind === StackingClassifier.kind) return stackingFromJSON(json);
    if (kind === ValidatedLogisticMeta.kind) {
      if (formatVersion !== ValidatedLogisticMeta.formatVersion) {
        throw new IncompatibleVersionError(`${ValidatedLogisticMeta.kind} format version ${describeValue(formatVersion)}; this code reads version ${ValidatedLogisticMeta.formatVersion}`);
      }
      return ValidatedLogisticMeta.fromJSON(json as ModelJson);
    }
    if (kind === MajorityClassifier.kind) {
      if (formatVersion !== MajorityClassifier.formatVersion) {
        throw new IncompatibleVersionError(`majority format version ${describeValue(formatVersion)}; this code reads version ${MajorityClassifier.formatVersion}`);
      }
      return MajorityClassifier.fromJSON(json as ModelJson);
    }
  }
  return modelFromJSON(json);
}

/** A view of `cache` whose keys start with `prefix/` (one per outer fold, for example `fold-0`). */
export function prefixedCache(cache: ModelCache, prefix: string): ModelCache {
  if (typeof prefix !== 'string' || prefix.length === 0) throw new InvalidArgumentError(`a cache prefix must be a non-empty string, got ${describeValue(prefix)}`);
  return {
    get: (key) => cache.get(`${prefix}/${key}`),
    set: (key, json) => cache.set(`${prefix}/${key}`, json),
  };
}

/** Column names of the meta-learner's input: `<model>:SELL`, `<model>:HOLD`, `<model>:BUY` per base model. */
export function metaColumnNames(names: readonly string[]): string[] {
  return names.flatMap((name) => LABELS.map((label) => `${name}:${label}`));
}

/** The meta-learner's input for `rows`: column-major, three probability columns per base model. */
function metaMatrix(probabilities: readonly Float64Array[], rows: Uint32Array, names: readonly string[], source: FeatureMatrix): FeatureMatrix {
  const count = rows.length;
  const values = new Float64Array(count * probabilities.length * CLASS_COUNT);
  probabilities.forEach((matrix, modelIndex) => {
    for (let label = 0; label < CLASS_COUNT; label++) {
      const offset = (modelIndex * CLASS_COUNT + label) * count;
      for (let index = 0; index < count; index++) values[offset + index] = matrix[rows[index]! * CLASS_COUNT + label]!;
    }
  });
  return createFeatureMatrix({
    columns: metaColumnNames(names),
    values,
    symbols: source.symbols,
    rowSymbols: Int32Array.from(rows, (row) => source.rowSymbols[row]!),
    rowDates: Int32Array.from(rows, (row) => source.rowDates[row]!),
  });
}

function summarise(folds: readonly PurgedFold[], rows: number, predictedRows: number): OutOfFoldSummary {
  return {
    rows,
    predictedRows,
    missingRows: rows - predictedRows,
    folds: folds.map((fold) => ({
      index: fold.index,
      trainRows: fold.trainRows.length,
      testRows: fold.testRows.length,
      testStartDay: fold.testStartDay,
      testEndDay: fold.testEndDay,
    })),
  };
}

function pick(values: Int8Array, rows: Uint32Array): Int8Array {
  const result = new Int8Array(rows.length);
  for (let index = 0; index < rows.length; index++) result[index] = values[rows[index]!]!;
  return result;
}

function pickFloat(values: Float64Array, rows: Uint32Array): Float64Array {
  const result = new Float64Array(rows.length);
  for (let index = 0; index < rows.length; index++) result[index] = values[rows[index]!]!;
  return result;
}

function requireInteger(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) throw new InvalidArgumentError(`${name} must be an integer >= ${minimum}, got ${describeValue(value)}`);
}
