/**
 * A promoted model for scanner tests, built the way the trainer builds one but small: features and triple-barrier
 * labels of a few embedded S&P 500 symbols, a small tree model (or a small stack of two tree models) trained on
 * them, written as a PromotedModelFile, and its promotion recorded in a temporary database.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '@quant/db';
import { TECHNICAL_FEATURE_NAMES, TECHNICAL_FEATURE_SET_VERSION, buildMarketContext, computeTechnicalFeatures } from '@quant/features';
import { XgBoostClassifier, RandomForestClassifier, type Classifier } from '@quant/models';
import { getSymbolInfo, loadBars } from '@quant/sample-data';
import { StackingClassifier } from '@quant/stacking';
import { MODEL_FILE_FORMAT_VERSION, type PromotedModelFile } from '../artifact.js';
import { assembleTrainingSet, sampleRows, toSymbolFeatures, type TrainingSet } from '../dataset.js';
import { featureReferences } from '../drift.js';
import { SWING_LABEL_SETTINGS } from '../options.js';

export const TRAINING_SYMBOLS = ['AAPL', 'MSFT', 'JPM', 'XOM', 'JNJ', 'PG', 'HD', 'CVX'] as const;

let cachedTrainingSet: TrainingSet | undefined;

/** Samples of the training symbols (every 5th day), computed once per test file. */
export function trainingSet(): TrainingSet {
  if (cachedTrainingSet !== undefined) return cachedTrainingSet;
  const series = TRAINING_SYMBOLS.map((symbol) => loadBars(symbol, { dataset: 'sp500' }));
  const sectorOf = (symbol: string) => getSymbolInfo(symbol, { dataset: 'sp500' }).sector;
  const context = buildMarketContext(series, sectorOf);
  const samples = series.map((bars) => {
    const features = toSymbolFeatures(bars.symbol, computeTechnicalFeatures(bars, { ...context, sector: sectorOf(bars.symbol) }));
    const { rows, labels } = sampleRows(bars.adjustedClose, SWING_LABEL_SETTINGS, { sampleStride: 5 });
    return { features, rows, labels };
  });
  cachedTrainingSet = assembleTrainingSet(samples);
  return cachedTrainingSet;
}

export type FixtureKind = 'boosting' | 'forest' | 'stacking';

function boosting(): XgBoostClassifier {
  return new XgBoostClassifier({ rounds: 12, maxDepth: 3, learningRate: 0.3, seed: 1, threads: 1 });
}

function forest(): RandomForestClassifier {
  return new RandomForestClassifier({ trees: 8, minSamplesLeaf: 40, maxDepth: 6, seed: 2, threads: 1 });
}

const fitted = new Map<FixtureKind, Classifier>();

/** A fitted classifier of the kind, fitted once per test file. */
export function fittedClassifier(kind: FixtureKind): Classifier {
  const cached = fitted.get(kind);
  if (cached !== undefined) return cached;
  const { matrix, labels } = trainingSet();
  let model: Classifier;
  if (kind === 'stacking') {
    model = new StackingClassifier({
      baseModels: [
        { name: 'xgboost', create: boosting },
        { name: 'random-forest', create: forest },
      ],
      innerFolds: 2,
      horizonDays: SWING_LABEL_SETTINGS.holdDays,
      embargoDays: 5,
    }).fit(matrix, labels, { days: matrix.rowDates });
  } else {
    // Balanced class weights for the boosted model, so that it gives BUY and SELL signals (explained by the scan).
    model = kind === 'boosting' ? boosting().fit(matrix, labels, { classWeight: 'balanced' }) : forest().fit(matrix, labels);
  }
  fitted.set(kind, model);
  return model;
}

export interface PromotedFixture {
  readonly databasePath: string;
  readonly modelPath: string;
  readonly modelId: string;
  readonly file: PromotedModelFile;
  readonly classifier: Classifier;
}

export interface PromotedFixtureOptions {
  readonly kind?: FixtureKind;
  /** Overrides the file's feature-set version (refusal tests). */
  readonly featureSetVersion?: string;
  /** Extra columns named in the file (refusal tests: event features the scanner does not compute). */
  readonly extraColumns?: readonly string[];
  /** Record the training run but promote nothing. */
  readonly promote?: boolean;
}

/** Writes a model file into `folder` and records its promotion in `folder/quant.db`. */
export function createPromotedModel(folder: string, options: PromotedFixtureOptions = {}): PromotedFixture {
  const kind = options.kind ?? 'boosting';
  const classifier = fittedClassifier(kind);
  const { matrix } = trainingSet();
  const runId = `run-test-${kind}`;
  const name = kind === 'stacking' ? 'stacking' : kind === 'boosting' ? 'xgboost' : 'random-forest';
  const featureSetVersion = options.featureSetVersion ?? TECHNICAL_FEATURE_SET_VERSION;
  const file: PromotedModelFile = {
    formatVersion: MODEL_FILE_FORMAT_VERSION,
    runId,
    model: name,
    featureSetVersion,
    columns: [...TECHNICAL_FEATURE_NAMES, ...(options.extraColumns ?? [])],
    labels: SWING_LABEL_SETTINGS,
    trainedThrough: '2021-04-23',
    universe: 'test',
    explainer: kind === 'stacking' ? 'xgboost' : name,
    featureReferences: featureReferences(matrix, { seed: 1 }),
    classifier: classifier.toJSON(),
  };
  mkdirSync(join(folder, 'models'), { recursive: true });
  const modelPath = join(folder, 'models', `${name}.json`);
  writeFileSync(modelPath, JSON.stringify(file));
  const databasePath = join(folder, 'quant.db');
  const database = openDatabase(databasePath);
  const modelId = `${runId}/${name}`;
  try {
    database.features.registerFeatureSet(featureSetVersion, file.columns);
    database.runs.start({ runId, universe: 'test', seed: 1, config: { kind }, featureSetVersion });
    database.runs.recordPromotion({
      runId,
      modelId,
      featureSetVersion,
      promoted: options.promote ?? true,
      reasons: ['test fixture'],
      metrics: {},
      artifactPath: options.promote === false ? null : modelPath,
    });
  } finally {
    database.close();
  }
  return { databasePath, modelPath, modelId, file, classifier };
}
