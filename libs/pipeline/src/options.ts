/**
 * Options of a training run: what data, which labels, which models, where to write. Every option has a default, so
 * `nx run trainer:train` with no flags trains on the embedded CORE universe with no network.
 *
 * The fingerprint covers exactly the options that change results (not paths or thread counts): a checkpoint is
 * only resumed by a run with the same fingerprint, so a resumed run can never mix work done under other settings.
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError, describeValue, isoToDay } from '@quant/core';
import { MODEL_NAMES, type ModelName } from './zoo.js';

export type SourceKind = 'embedded' | 'csv' | 'live';
export type UniverseName = 'core' | 'sp500' | 'allcap' | 'etf';
/** `fast`: fewer trees and rounds, sized for the 5-minute default run; `full`: the reference-fold settings. */
export type ModelProfile = 'fast' | 'full';

export interface LabelSettings {
  /** Trading days a position is held at most. */
  readonly holdDays: number;
  /** Take-profit: BUY when the close reaches +target first. */
  readonly target: number;
  /** Stop: SELL when the close reaches -stop first (or both on one day). */
  readonly stop: number;
}

/** The swing setting of the user's system: 14 days, +10% / -5%. */
export const SWING_LABEL_SETTINGS: LabelSettings = Object.freeze({ holdDays: 14, target: 0.1, stop: 0.05 });
/**
 * Options mode: short-dated options need the move within days; 5 days with +5% / -3% keeps the classes about as
 * balanced as the 14-day setting on the embedded data (a +10% move in 5 days is too rare to learn).
 */
export const OPTIONS_LABEL_SETTINGS: LabelSettings = Object.freeze({ holdDays: 5, target: 0.05, stop: 0.03 });

export interface TrainOptions {
  readonly source: SourceKind;
  /** Folder of <SYMBOL>.csv files (source 'csv'). */
  readonly csvFolder: string | null;
  readonly universe: UniverseName;
  /** Explicit symbols (overrides the universe's member list, keeps its dataset). */
  readonly symbols: readonly string[] | null;
  /** First and last date of the data used, ISO; null for all. */
  readonly from: string | null;
  readonly to: string | null;
  readonly labels: LabelSettings;
  readonly events: boolean;
  readonly models: readonly ModelName[];
  readonly seed: number;
  readonly profile: ModelProfile;
  /** Walk-forward test folds. */
  readonly folds: number;
  /** Time-ordered inner folds for the out-of-fold predictions the meta-learner learns from. */
  readonly innerFolds: number;
  /** Keep every k-th trading day of each symbol as a sample (consecutive days share 13 of 14 label days). */
  readonly sampleStride: number;
  /** Trading days between the purged training window and a test block (on top of the label horizon). */
  readonly embargoDays: number;
  /** Round-trip cost of a trade in the backtest, basis points. */
  readonly costBasisPoints: number;
  readonly threads: number;
  readonly databasePath: string;
  readonly outputFolder: string;
  readonly checkpointFolder: string;
  /** SEC requires a User-Agent with contact details for live EDGAR requests. */
  readonly userAgent: string | null;
}

export const DEFAULT_TRAIN_OPTIONS: TrainOptions = Object.freeze({
  source: 'embedded',
  csvFolder: null,
  universe: 'core',
  symbols: null,
  from: null,
  to: null,
  labels: SWING_LABEL_SETTINGS,
  events: false,
  models: MODEL_NAMES,
  seed: 42,
  profile: 'fast',
  folds: 3,
  innerFolds: 3,
  sampleStride: 3,
  embargoDays: 5,
  costBasisPoints: 10,
  threads: 2,
  databasePath: '.quant/quant.db',
  outputFolder: '.quant/output',
  checkpointFolder: '.quant/checkpoint',
  userAgent: null,
});

const UNIVERSES: readonly UniverseName[] = ['core', 'sp500', 'allcap', 'etf'];
const SOURCES: readonly SourceKind[] = ['embedded', 'csv', 'live'];

function requireIntegerOption(name: string, value: number, minimum: number, maximum: number): void {
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw new InvalidArgumentError(`${name} must be an integer from ${minimum} to ${maximum}, got ${describeValue(value)}`);
  }
}

/**
 * Checks what a run reads, shared by the trainer's and the scanner's options: the source (and the CSV folder it
 * needs), the universe, and explicit symbols (ticker-like, none twice). Throws InvalidArgumentError naming the value.
 */
export function checkDataSelection(options: {
  readonly source: SourceKind;
  readonly csvFolder: string | null;
  readonly universe: UniverseName;
  readonly symbols: readonly string[] | null;
}): void {
  if (!SOURCES.includes(options.source)) throw new InvalidArgumentError(`source must be one of ${SOURCES.join(', ')}, got ${describeValue(options.source)}`);
  if (options.source === 'csv' && (options.csvFolder === null || options.csvFolder === '')) {
    throw new InvalidArgumentError('the csv source needs a folder of <SYMBOL>.csv files (--csv <folder>)');
  }
  if (!UNIVERSES.includes(options.universe)) {
    throw new InvalidArgumentError(`universe must be one of ${UNIVERSES.join(', ')}, got ${describeValue(options.universe)}`);
  }
  if (options.symbols !== null) {
    if (options.symbols.length === 0) throw new InvalidArgumentError('symbols, when given, must name at least one symbol');
    for (const symbol of options.symbols) {
      if (typeof symbol !== 'string' || !/^[A-Z0-9.^-]{1,12}$/.test(symbol)) throw new InvalidArgumentError(`not a ticker symbol: ${describeValue(symbol)}`);
    }
    if (new Set(options.symbols).size !== options.symbols.length) throw new InvalidArgumentError(`a symbol is listed twice in ${options.symbols.join(', ')}`);
  }
}

/** Fills defaults and checks every option; throws InvalidArgumentError naming the bad value. */
export function resolveTrainOptions(partial: Partial<TrainOptions> = {}): TrainOptions {
  const options: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) };
  checkDataSelection(options);

  if (options.from !== null) isoToDay(options.from);
  if (options.to !== null) isoToDay(options.to);
  if (options.from !== null && options.to !== null && options.from > options.to) {
    throw new InvalidArgumentError(`from (${options.from}) is after to (${options.to})`);
  }
  const { holdDays, target, stop } = options.labels;
  requireIntegerOption('label hold days', holdDays, 1, 252);
  if (!(target > 0 && target < 10)) throw new InvalidArgumentError(`label target must be a positive fraction (0.10 = +10%), got ${describeValue(target)}`);
  if (!(stop > 0 && stop < 1)) throw new InvalidArgumentError(`label stop must be a fraction in (0, 1) (0.05 = -5%), got ${describeValue(stop)}`);
  if (options.models.length === 0) throw new InvalidArgumentError('at least one model is needed');
  for (const model of options.models) {
    if (!MODEL_NAMES.includes(model)) throw new InvalidArgumentError(`unknown model ${describeValue(model)}; known: ${MODEL_NAMES.join(', ')}`);
  }
  if (new Set(options.models).size !== options.models.length) throw new InvalidArgumentError(`a model is listed twice in ${options.models.join(', ')}`);
  requireIntegerOption('seed', options.seed, 0, 2 ** 31 - 1);
  if (options.profile !== 'fast' && options.profile !== 'full') throw new InvalidArgumentError(`profile must be fast or full, got ${describeValue(options.profile)}`);
  requireIntegerOption('folds', options.folds, 1, 20);
  requireIntegerOption('inner folds', options.innerFolds, 2, 20);
  requireIntegerOption('sample stride', options.sampleStride, 1, 20);
  requireIntegerOption('embargo days', options.embargoDays, 0, 252);
  if (!(options.costBasisPoints >= 0 && options.costBasisPoints < 1000)) {
    throw new InvalidArgumentError(`cost must be 0..1000 basis points, got ${describeValue(options.costBasisPoints)}`);
  }
  requireIntegerOption('threads', options.threads, 1, 64);
  return options;
}

/**
 * Version of what the same options train: bumped when a change to this code makes it train different models from the
 * same options (a model's meaning or stored format, the zoo's settings, the meta-learner), so that a checkpoint left
 * by older code is refused, naming this field, instead of resuming with a mix of old and new models.
 * 2: first-order `gradient-boosting` joined the zoo (`xgboost` models are kind `xgboost`), and the meta-learner
 * validates its C.
 */
export const TRAINING_CODE_VERSION = 2;

/** The options that change results, in a fixed order, with the training code version. */
export function resultOptions(options: TrainOptions): Record<string, unknown> {
  return {
    trainingCodeVersion: TRAINING_CODE_VERSION,
    source: options.source,
    csvFolder: options.csvFolder,
    universe: options.universe,
    symbols: options.symbols,
    from: options.from,
    to: options.to,
    labels: { holdDays: options.labels.holdDays, target: options.labels.target, stop: options.labels.stop },
    events: options.events,
    models: [...options.models],
    seed: options.seed,
    profile: options.profile,
    folds: options.folds,
    innerFolds: options.innerFolds,
    sampleStride: options.sampleStride,
    embargoDays: options.embargoDays,
    costBasisPoints: options.costBasisPoints,
  };
}

/** SHA-256 (hex, first 16 characters) of the result-changing options. */
export function optionsFingerprint(options: TrainOptions): string {
  return createHash('sha256').update(JSON.stringify(resultOptions(options))).digest('hex').slice(0, 16);
}
