/**
 * The training run: ingest -> features and labels -> walk-forward stacking -> evaluation against baselines ->
 * backtest -> SHAP -> promotion gate -> database and result files.
 *
 * Resumable at every step: each symbol's prices and features, and each trained model, are stored before the
 * checkpoint records them as done, and a resumed run reads them back instead of redoing them. Models are
 * deterministic for a seed, and features are kept at the stored (Float32) precision in every run, so an interrupted
 * and resumed run ends with the same models, bit for bit, as an uninterrupted one.
 *
 * Honest evaluation: every reported metric comes from walk-forward test blocks that follow their training window
 * after a purge of the label horizon and an embargo; the meta-learner learns only from out-of-fold predictions made
 * inside the training window (see @quant/stacking).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CancelledError,
  InvalidArgumentError,
  LABELS,
  BUY,
  SELL,
  dayToIso,
  isoToDay,
  selectColumns,
  selectRows,
  sliceBars,
  type Bars,
  type FeatureMatrix,
  type Logger,
  silentLogger,
} from '@quant/core';
import { openDatabase, type QuantDatabase } from '@quant/db';
import {
  COMBINED_FEATURE_NAMES,
  COMBINED_FEATURE_SET_VERSION,
  TECHNICAL_FEATURE_NAMES,
  TECHNICAL_FEATURE_SET_VERSION,
  buildMarketContext,
  combineFeatureMatrices,
  computeEventFeatures,
  computeTechnicalFeatures,
  classifyEvents,
  fromEventRecord,
  toEventRecord,
} from '@quant/features';
import { HttpClient, createEdgarSource, createYahooNewsSource, runPerSymbol } from '@quant/ingest';
import { LogisticRegressionClassifier, type Classifier } from '@quant/models';
import {
  DEFAULT_LEAK_THRESHOLDS,
  MajorityClassifier,
  StackingClassifier,
  backtest,
  evaluateClassification,
  promotionGate,
  walkForwardFolds,
  type ClassificationMetrics,
} from '@quant/stacking';
import {
  assembleTrainingSet,
  classCounts,
  clipBars,
  sampleRows,
  toSymbolFeatures,
  type SymbolFeatures,
  type SymbolSamples,
  type TrainingSet,
} from './dataset.js';
import { optionsFingerprint, resultOptions, type TrainOptions } from './options.js';
import { ReportingClassifier } from './progress-model.js';
import { silentReporter, type RunReporter } from './reporter.js';
import type { RunCheckpoint, SymbolFailure } from './run-checkpoint.js';
import { createPriceSource, resolveUniverse } from './universe.js';
import { createModel, isTreeModel, type ModelName } from './zoo.js';
import { shapImportance, type ShapImportance } from './explain.js';
import { featureReferences } from './drift.js';
import { MODEL_FILE_FORMAT_VERSION, type PromotedModelFile } from './artifact.js';
import { writeOutputFile } from './files.js';

/** The model the volatility baseline uses: a barrier at +10% / -5% is largely a question of volatility. */
export const VOLATILITY_BASELINE_FEATURE = 'volatility_20';
export const STACK_NAME = 'stacking';
export const BASELINE_NAMES = ['majority', 'volatility-only'] as const;

export interface TrainEnvironment {
  readonly checkpoint: RunCheckpoint;
  readonly reporter?: RunReporter;
  readonly logger?: Logger;
  /** Aborting stops the run between steps; everything done so far stays in the checkpoint. */
  readonly signal?: AbortSignal;
  /** The clock (libraries do not read it themselves). */
  readonly now: () => Date;
}

export interface FoldSummary {
  readonly index: number;
  readonly trainRows: number;
  readonly testRows: number;
  readonly trainStart: string;
  readonly trainEnd: string;
  readonly testStart: string;
  readonly testEnd: string;
}

export interface ModelReport {
  readonly name: string;
  readonly role: 'base' | 'stack' | 'baseline';
  /** Metrics per walk-forward fold. */
  readonly folds: readonly ClassificationMetrics[];
  /** Means over folds of the headline metrics. */
  readonly mean: { accuracy: number; balancedAccuracy: number; macroF1: number; logLoss: number; topDecileBuyPrecision: number | null };
  /** Training seconds summed over the folds (0 for resumed work). */
  readonly trainSeconds: number;
}

export interface TrainResult {
  readonly runId: string;
  readonly fingerprint: string;
  readonly options: Record<string, unknown>;
  readonly featureSetVersion: string;
  readonly columns: readonly string[];
  readonly symbols: { readonly completed: number; readonly failed: readonly SymbolFailure[] };
  readonly samples: number;
  readonly classCounts: readonly [number, number, number];
  readonly folds: readonly FoldSummary[];
  readonly models: readonly ModelReport[];
  readonly backtest: unknown;
  readonly shap: ShapImportance | null;
  readonly promotion: {
    readonly promoted: string | null;
    readonly verdicts: readonly { model: string; promoted: boolean; reasons: readonly string[] }[];
    readonly artifactPath: string | null;
  };
  readonly phaseSeconds: Readonly<Record<string, number>>;
  readonly resultsPath: string;
}

interface SymbolData {
  readonly symbol: string;
  readonly bars: Bars;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('training stopped; the checkpoint holds everything done so far', { cause: signal.reason });
}

/** Seed of model `name` in a run: stable across runs and independent of which other models are selected. */
function modelSeed(seed: number, name: string): number {
  let hash = seed >>> 0;
  for (let index = 0; index < name.length; index++) hash = Math.imul(hash ^ name.charCodeAt(index), 0x01000193) >>> 0;
  return hash % 2_147_483_647;
}

export async function train(options: TrainOptions, environment: TrainEnvironment): Promise<TrainResult> {
  const reporter = environment.reporter ?? silentReporter;
  const logger = environment.logger ?? silentLogger;
  const { checkpoint, signal } = environment;
  const fingerprint = optionsFingerprint(options);
  const phaseSeconds: Record<string, number> = {};
  let phaseStarted = environment.now().getTime();
  const endPhase = (name: string) => {
    const now = environment.now().getTime();
    phaseSeconds[name] = (phaseSeconds[name] ?? 0) + (now - phaseStarted) / 1000;
    phaseStarted = now;
  };

  if (checkpoint.phase === 'done') {
    const previous = checkpoint.doneInfo('evaluate', 'results');
    const path = typeof previous?.['resultsPath'] === 'string' ? previous['resultsPath'] : null;
    if (path !== null && existsSync(path)) {
      reporter.info(`run ${checkpoint.runId} is already complete: nothing to redo (use --reset to train again)`);
      return JSON.parse(readFileSync(path, 'utf8')) as TrainResult;
    }
  }
  const universe = resolveUniverse(options);
  mkdirSync(dirname(options.databasePath), { recursive: true });
  const database = openDatabase(options.databasePath);
  try {
    // With events on, the 23 event features follow the 179 technical ones (202 columns, their own version).
    const columns = options.events ? [...COMBINED_FEATURE_NAMES] : [...TECHNICAL_FEATURE_NAMES];
    const featureSetVersion = options.events ? COMBINED_FEATURE_SET_VERSION : TECHNICAL_FEATURE_SET_VERSION;
    database.features.registerFeatureSet(featureSetVersion, columns);
    if (database.runs.get(checkpoint.runId) === undefined) {
      database.runs.start({ runId: checkpoint.runId, universe: universe.name, seed: options.seed, config: resultOptions(options), featureSetVersion });
    }
    if (checkpoint.resumed) reporter.info(`resuming run ${checkpoint.runId} (phase ${checkpoint.phase})`);

    // Symbols first: stored prices refer to them. Symbols outside the embedded metadata get a bare entry.
    database.symbols.upsert(
      universe.symbols.map((symbol) => universe.info.get(symbol) ?? { symbol, name: symbol, kind: 'stock', sector: null, capTier: null, cik: null }),
    );

    // 1. Prices.
    const series = await ingest(options, universe.symbols, universe.dataset, database, environment, reporter);
    if (options.events) await ingestEvents(options, series.map((entry) => entry.symbol), database, environment, reporter);
    endPhase('ingest');
    throwIfAborted(signal);

    // 2. Features and labels, one line per symbol.
    const samples = computeSamples(options, series, universe.info, database, featureSetVersion, environment, reporter);
    endPhase('features');
    throwIfAborted(signal);
    const dataset = assembleTrainingSet(samples);
    const counts = classCounts(dataset.labels);
    reporter.info(
      `${dataset.labels.length} samples from ${samples.length} symbols: ${LABELS.map((label, code) => `${label} ${counts[code]} (${((100 * counts[code]!) / dataset.labels.length).toFixed(1)}%)`).join(', ')}`,
    );

    // 3. Walk-forward folds: stack and baselines per fold, evaluated on the fold's test block.
    checkpoint.setPhase('train');
    const days = dataset.matrix.rowDates;
    const folds = walkForwardFolds(days, { folds: options.folds, horizonDays: options.labels.holdDays, embargoDays: options.embargoDays });
    const foldSummaries: FoldSummary[] = folds.map((fold) => ({
      index: fold.index,
      trainRows: fold.trainRows.length,
      testRows: fold.testRows.length,
      trainStart: dayToIso(fold.trainStartDay),
      trainEnd: dayToIso(fold.trainEndDay),
      testStart: dayToIso(fold.testStartDay),
      testEnd: dayToIso(fold.testEndDay),
    }));
    for (const fold of foldSummaries) {
      reporter.info(`fold ${fold.index + 1}/${folds.length}: train ${fold.trainStart}..${fold.trainEnd} (${fold.trainRows} rows), test ${fold.testStart}..${fold.testEnd} (${fold.testRows} rows)`);
    }
    const names = [...options.models];
    const reports = new Map<string, { role: ModelReport['role']; folds: ClassificationMetrics[]; seconds: number }>();
    const record = (name: string, role: ModelReport['role'], metrics: ClassificationMetrics, seconds: number) => {
      const entry = reports.get(name) ?? { role, folds: [], seconds: 0 };
      entry.folds.push(metrics);
      entry.seconds += seconds;
      reports.set(name, entry);
    };
    const testPredictions: { rows: Uint32Array; probabilities: Float64Array }[] = [];
    for (const fold of folds) {
      const stage = `fold ${fold.index + 1}/${folds.length}`;
      const trainX = selectRows(dataset.matrix, fold.trainRows);
      const trainY = Int8Array.from(fold.trainRows, (row) => dataset.labels[row]!);
      const testX = selectRows(dataset.matrix, fold.testRows);
      const testY = Int8Array.from(fold.testRows, (row) => dataset.labels[row]!);
      const testDays = testX.rowDates;
      const { stack, seconds } = fitStack(options, names, trainX, trainY, `fold${fold.index}`, stage, environment, reporter, fold.testStartDay);
      const base = stack.baseProbabilities(testX);
      for (const name of names) record(name, 'base', evaluateClassification(testY, base[name]!, { days: testDays }), seconds[name] ?? 0);
      const stacked = stack.predictProba(testX);
      record(STACK_NAME, 'stack', evaluateClassification(testY, stacked, { days: testDays }), seconds[STACK_NAME] ?? 0);
      testPredictions.push({ rows: fold.testRows, probabilities: stacked });
      for (const [name, model] of baselineModels()) {
        const started = environment.now().getTime();
        const input = name === 'volatility-only' ? volatilityColumn(trainX) : trainX;
        model.fit(input, trainY);
        const probabilities = model.predictProba(name === 'volatility-only' ? volatilityColumn(testX) : testX);
        record(name, 'baseline', evaluateClassification(testY, probabilities, { days: testDays }), (environment.now().getTime() - started) / 1000);
      }
      checkpoint.markDone('train', `fold${fold.index}`);
      throwIfAborted(signal);
    }
    endPhase('walk-forward');

    // 4. The production stack, trained on every sample.
    checkpoint.setPhase('stack');
    const final = fitStack(options, names, dataset.matrix, dataset.labels, 'final', 'final', environment, reporter, null);
    endPhase('final model');
    throwIfAborted(signal);

    // 5. Evaluation, backtest, SHAP, promotion.
    checkpoint.setPhase('evaluate');
    reporter.phaseStart('evaluate', 4, 'metrics, backtest, SHAP, promotion');
    const modelReports: ModelReport[] = [...reports.entries()].map(([name, entry]) => ({
      name,
      role: entry.role,
      folds: entry.folds,
      mean: meanMetrics(entry.folds),
      trainSeconds: entry.seconds,
    }));
    database.runs.recordPerformance(
      modelReports.flatMap((report) =>
        report.folds.map((metrics, fold) => ({
          runId: checkpoint.runId,
          model: report.name,
          fold,
          rows: metrics.rows,
          accuracy: metrics.accuracy,
          balancedAccuracy: metrics.balancedAccuracy,
          macroF1: metrics.macroF1,
          logLoss: metrics.logLoss,
          topDecileBuyPrecision: finiteOrNull(metrics.topDecileBuyPrecision),
          perClass: metrics.perClass,
          confusion: metrics.confusion,
          trainSeconds: fold === 0 ? report.trainSeconds : null,
        })),
      ),
    );
    reporter.phaseProgress(1, 'metrics stored');

    const backtestResult = runBacktest(options, dataset, series, testPredictions);
    // The summary stored in the database and written to the results file (NaN, e.g. no losing trade, as null).
    const backtestSummary = {
      trades: backtestResult.trades.length,
      winRate: finiteOrNull(backtestResult.winRate),
      averageWin: finiteOrNull(backtestResult.averageWin),
      averageLoss: finiteOrNull(backtestResult.averageLoss),
      profitFactor: finiteOrNull(backtestResult.profitFactor),
      sharpe: finiteOrNull(backtestResult.sharpe),
      maxDrawdown: finiteOrNull(backtestResult.maxDrawdown),
      totalReturn: finiteOrNull(backtestResult.totalReturn),
      benchmarkReturn: finiteOrNull(backtestResult.buyAndHold.totalReturn),
    };
    database.runs.recordBacktest({
      runId: checkpoint.runId,
      model: STACK_NAME,
      ...backtestSummary,
      settings: { ...options.labels, costBasisPoints: options.costBasisPoints, signals: 'walk-forward test blocks' },
    });
    database.runs.recordTrades(
      backtestResult.trades.map((trade) => ({
        runId: checkpoint.runId,
        model: STACK_NAME,
        symbol: trade.symbol,
        signal: trade.side,
        entryDate: trade.entryDay,
        entryPrice: trade.entryPrice,
        exitDate: trade.exitDay,
        exitPrice: trade.exitPrice,
        exitReason: trade.exitReason,
        return: trade.return,
        cost: trade.cost,
      })),
    );
    reporter.phaseProgress(2, 'backtest stored');

    // Promotion: the stack first, then the base models by walk-forward macro-F1; the first that passes the gate
    // against both baselines is promoted. Every verdict is stored with its reasons.
    const baselineMetrics = Object.fromEntries(BASELINE_NAMES.map((name) => [name, modelReports.find((report) => report.name === name)!.mean]));
    const candidates = [
      modelReports.find((report) => report.name === STACK_NAME)!,
      ...modelReports.filter((report) => report.role === 'base').sort((a, b) => b.mean.macroF1 - a.mean.macroF1),
    ];
    const verdicts: { model: string; promoted: boolean; reasons: string[] }[] = [];
    let promoted: string | null = null;
    // Walk-forward accuracy above 0.62 is a probable leak where the majority class is near 55% (the S&P 500 set);
    // where the majority class alone is more accurate than that (calm years, HOLD-heavy labels), the leak check
    // moves with it: accuracy more than 8 points above always-HOLD.
    const majorityAccuracy = baselineMetrics['majority']!.accuracy;
    const leakThresholds = { macroF1: DEFAULT_LEAK_THRESHOLDS.macroF1, accuracy: Math.max(DEFAULT_LEAK_THRESHOLDS.accuracy, majorityAccuracy + 0.08) };
    for (const candidate of candidates) {
      const gate = promotionGate(candidate.mean, baselineMetrics, { leakThresholds });
      const isPromoted = gate.promoted && promoted === null;
      verdicts.push({ model: candidate.name, promoted: isPromoted, reasons: gate.promoted && !isPromoted ? [...gate.reasons, `not promoted: ${promoted} was promoted first`] : gate.reasons });
      if (isPromoted) promoted = candidate.name;
    }
    const promotedModel: Classifier | null = promoted === null ? null : promoted === STACK_NAME ? final.stack : final.stack.baseModel(promoted);

    // SHAP of the promoted model when it is a tree model, else of the stack's strongest tree base model.
    const explained = promoted !== null && isTreeModel(promoted)
      ? promoted
      : [...modelReports].filter((report) => report.role === 'base' && isTreeModel(report.name)).sort((a, b) => b.mean.macroF1 - a.mean.macroF1)[0]?.name;
    let shap: ShapImportance | null = null;
    if (explained !== undefined) {
      // The most recent rows: what the promoted model's decisions look like now. 500 rows keep TreeSHAP (O(trees x
      // leaves x depth^2) per row) to a few seconds.
      const explainedRows = Math.min(500, dataset.labels.length);
      const recentRows = Uint32Array.from({ length: explainedRows }, (_, index) => dataset.labels.length - explainedRows + index);
      shap = shapImportance(final.stack.baseModel(explained), selectRows(dataset.matrix, recentRows), explained, promoted === explained ? 'promoted model' : `strongest tree model of the ${promoted ?? 'unpromoted'} stack`);
      database.runs.recordShap(
        (['ALL', 'SELL', 'HOLD', 'BUY'] as const).flatMap((klass) =>
          shap!.byClass[klass].map((entry, rank) => ({ runId: checkpoint.runId, model: explained, feature: entry.feature, class: klass, meanAbsShap: entry.meanAbsShap, rank: rank + 1 })),
        ),
      );
    }
    reporter.phaseProgress(3, 'SHAP stored');

    const modelFolder = join(options.outputFolder, 'models', checkpoint.runId);
    let artifactPath: string | null = null;
    if (promotedModel !== null && promoted !== null) {
      artifactPath = join(modelFolder, `${promoted}.json`);
      const file: PromotedModelFile = {
        formatVersion: MODEL_FILE_FORMAT_VERSION,
        runId: checkpoint.runId,
        model: promoted,
        featureSetVersion,
        columns,
        labels: options.labels,
        trainedThrough: dayToIso(days[days.length - 1]!),
        universe: universe.name,
        explainer: explained ?? null,
        // The training distribution of every feature, for the scanner's drift watch.
        featureReferences: featureReferences(dataset.matrix, { seed: options.seed }),
        classifier: promotedModel.toJSON(),
      };
      writeOutputFile(artifactPath, JSON.stringify(file));
    }
    for (const verdict of verdicts) {
      database.runs.recordPromotion({
        runId: checkpoint.runId,
        modelId: `${checkpoint.runId}/${verdict.model}`,
        featureSetVersion,
        promoted: verdict.promoted,
        reasons: verdict.reasons,
        metrics: modelReports.find((report) => report.name === verdict.model)!.mean,
        artifactPath: verdict.promoted ? artifactPath : null,
      });
    }
    reporter.phaseProgress(4, promoted === null ? 'no model promoted' : `${promoted} promoted`);
    reporter.phaseEnd();
    endPhase('evaluate');

    const resultsPath = join(options.outputFolder, `results-${checkpoint.runId}.json`);
    const result: TrainResult = {
      runId: checkpoint.runId,
      fingerprint,
      options: resultOptions(options),
      featureSetVersion,
      columns,
      symbols: { completed: samples.length, failed: checkpoint.failedSymbols() },
      samples: dataset.labels.length,
      classCounts: counts,
      folds: foldSummaries,
      models: modelReports,
      backtest: {
        ...backtestSummary,
        signals: backtestResult.signals,
        skippedSignals: backtestResult.skippedSignals,
        benchmarkSharpe: finiteOrNull(backtestResult.buyAndHold.sharpe),
        benchmarkMaxDrawdown: finiteOrNull(backtestResult.buyAndHold.maxDrawdown),
      },
      shap,
      promotion: { promoted, verdicts, artifactPath },
      phaseSeconds,
      resultsPath,
    };
    writeOutputFile(resultsPath, `${JSON.stringify(result, null, 2)}\n`);
    database.runs.finish(checkpoint.runId, 'completed', { promoted, samples: result.samples, phaseSeconds });
    checkpoint.setEvaluation({ promoted, resultsPath });
    checkpoint.markDone('evaluate', 'results', { resultsPath });
    checkpoint.setPhase('done');
    logger.info('training finished', { runId: checkpoint.runId, promoted });
    return result;
  } finally {
    database.close();
  }
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

/** ln(20-day volatility): volatility is log-normal-ish, and the reference baseline uses its logarithm. */
function volatilityColumn(matrix: FeatureMatrix): FeatureMatrix {
  const column = selectColumns(matrix, [VOLATILITY_BASELINE_FEATURE]);
  const values = Float64Array.from(column.values, (value) => (value > 0 ? Math.log(value) : Number.NaN));
  return { ...column, values };
}

function baselineModels(): [string, Classifier][] {
  return [
    ['majority', new MajorityClassifier()],
    ['volatility-only', new LogisticRegressionClassifier()],
  ];
}

function meanMetrics(folds: readonly ClassificationMetrics[]): ModelReport['mean'] {
  const mean = (pick: (metrics: ClassificationMetrics) => number) => folds.reduce((sum, metrics) => sum + pick(metrics), 0) / folds.length;
  const precisions = folds.map((metrics) => metrics.topDecileBuyPrecision).filter((value) => Number.isFinite(value));
  return {
    accuracy: mean((metrics) => metrics.accuracy),
    balancedAccuracy: mean((metrics) => metrics.balancedAccuracy),
    macroF1: mean((metrics) => metrics.macroF1),
    logLoss: mean((metrics) => metrics.logLoss),
    topDecileBuyPrecision: precisions.length === 0 ? null : precisions.reduce((sum, value) => sum + value, 0) / precisions.length,
  };
}

async function ingest(
  options: TrainOptions,
  symbols: readonly string[],
  dataset: Parameters<typeof createPriceSource>[1],
  database: QuantDatabase,
  environment: TrainEnvironment,
  reporter: RunReporter,
): Promise<SymbolData[]> {
  const { checkpoint } = environment;
  const from = options.from === null ? null : isoToDay(options.from);
  const to = options.to === null ? null : isoToDay(options.to);
  const failed = new Set(checkpoint.failedSymbols().map((failure) => failure.symbol));
  const pending = symbols.filter((symbol) => !checkpoint.isDone('ingest', symbol) && !failed.has(symbol));
  reporter.phaseStart('ingest', symbols.length, `${options.source} prices`);
  let completed = symbols.length - pending.length;
  reporter.phaseProgress(completed);
  if (pending.length > 0) {
    const source = createPriceSource(options, dataset);
    const result = await runPerSymbol(
      pending,
      async (symbol, signal) => {
        const history = await source.fetchPrices(symbol, {}, signal);
        // Stored before the checkpoint names the symbol done: a crash in between only means storing it again.
        database.prices.upsert(history.bars, source.name);
        checkpoint.markDone('ingest', symbol, { bars: history.bars.dates.length });
        return history.bars.dates.length;
      },
      {
        source: source.name,
        concurrency: options.source === 'live' ? 4 : 1,
        symbolDeadlineMs: options.source === 'live' ? 90_000 : 30_000,
        ...(environment.signal === undefined ? {} : { signal: environment.signal }),
        onResult: ({ symbol }) => {
          completed += 1;
          reporter.phaseProgress(completed, symbol);
        },
      },
    );
    for (const failure of result.failed) {
      if (failure.code === 'CANCELLED' || environment.signal?.aborted) continue;
      checkpoint.markSymbolFailed({ symbol: failure.symbol, source: failure.source, code: failure.code, reason: failure.reason, attempts: failure.attempts });
      reporter.warn(`${failure.symbol}: ${failure.code} ${failure.reason} (after ${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'}); skipped`);
    }
  }
  const failures = checkpoint.failedSymbols().length;
  reporter.phaseEnd(`${symbols.length - failures} symbols, ${failures} failed`);
  throwIfAborted(environment.signal);
  // Every symbol's bars come from the database, so a resumed run sees exactly what an uninterrupted one saw.
  const stillFailed = new Set(checkpoint.failedSymbols().map((failure) => failure.symbol));
  return symbols
    .filter((symbol) => !stillFailed.has(symbol))
    .map((symbol) => {
      const bars = database.prices.read(symbol);
      const { start, end } = clipBars(bars, from, to);
      return { symbol, bars: sliceBars(bars, start, end) };
    });
}

/**
 * Filings (SEC EDGAR) and news (Yahoo) of each symbol, classified and stored in the events table. Only the live
 * source fetches them; embedded and CSV runs use the events already stored (the embedded dataset has none for its
 * symbols, so their event features take their no-event values: see docs/features.md).
 */
async function ingestEvents(
  options: TrainOptions,
  symbols: readonly string[],
  database: QuantDatabase,
  environment: TrainEnvironment,
  reporter: RunReporter,
): Promise<void> {
  const { checkpoint } = environment;
  const pending = symbols.filter((symbol) => !checkpoint.isDone('ingest', `events/${symbol}`));
  if (options.source !== 'live') {
    const stored = symbols.reduce((count, symbol) => count + database.events.events(symbol).length, 0);
    reporter.info(`event features from ${stored} stored events (${options.source} data has no filings or news; fetch them with --source live)`);
    return;
  }
  if (pending.length === 0) return;
  if (options.userAgent === null) {
    throw new InvalidArgumentError('live event data needs --user-agent "<name> <e-mail>": SEC refuses anonymous requests');
  }
  const edgar = createEdgarSource({ userAgent: options.userAgent });
  const news = createYahooNewsSource({ http: new HttpClient({ service: 'yahoo-news', timeoutMs: 15_000, rateLimit: { ratePerSecond: 2, burst: 2 } }) });
  reporter.phaseStart('events', pending.length, 'SEC filings and news');
  let completed = 0;
  const result = await runPerSymbol(
    pending,
    async (symbol, signal) => {
      const filings = await edgar.fetchFilings(symbol, {}, signal);
      const headlines = await news.fetchNews(symbol, signal);
      const events = classifyEvents(filings, headlines);
      database.events.upsertEvents(events.map(toEventRecord));
      checkpoint.markDone('ingest', `events/${symbol}`, { events: events.length });
      return events.length;
    },
    {
      source: 'sec+news',
      concurrency: 2,
      symbolDeadlineMs: 120_000,
      ...(environment.signal === undefined ? {} : { signal: environment.signal }),
      onResult: ({ symbol }) => reporter.phaseProgress(++completed, symbol),
    },
  );
  // A symbol without events data keeps its price features: its event features take the no-event values.
  for (const failure of result.failed) reporter.warn(`${failure.symbol}: events not fetched (${failure.code} ${failure.reason})`);
  reporter.phaseEnd(`${result.succeeded.length} symbols, ${result.failed.length} without events`);
}

function computeSamples(
  options: TrainOptions,
  series: readonly SymbolData[],
  info: ReadonlyMap<string, { sector: string | null }>,
  database: QuantDatabase,
  featureSetVersion: string,
  environment: TrainEnvironment,
  reporter: RunReporter,
): SymbolSamples[] {
  const { checkpoint } = environment;
  const sectorOf = (symbol: string) => info.get(symbol)?.sector ?? null;
  // The market and sector indices come from every ingested symbol (leave-one-out per symbol, see @quant/features).
  const context = buildMarketContext(series.map((entry) => entry.bars), sectorOf);
  const stored = new Map<string, SymbolFeatures>();
  const resumedSymbols = series.filter((entry) => checkpoint.isDone('features', entry.symbol)).map((entry) => entry.symbol);
  if (resumedSymbols.length > 0) {
    const matrix = database.features.read(featureSetVersion, resumedSymbols);
    for (const [index, symbol] of matrix.symbols.entries()) {
      const rows: number[] = [];
      for (let row = 0; row < matrix.rowCount; row++) if (matrix.rowSymbols[row] === index) rows.push(row);
      const part = selectRows(matrix, rows);
      stored.set(symbol, { symbol, dates: Int32Array.from(part.rowDates), columns: part.columns, values: Float32Array.from(part.values) });
    }
  }
  const result: SymbolSamples[] = [];
  reporter.phaseStart('features', series.length, options.events ? '179 technical + 23 event features + labels' : '179 technical features + labels');
  series.forEach((entry, index) => {
    throwIfAborted(environment.signal);
    let features = stored.get(entry.symbol);
    const resumed = features !== undefined;
    if (features === undefined) {
      let matrix = computeTechnicalFeatures(entry.bars, { ...context, sector: sectorOf(entry.symbol) });
      if (options.events) {
        // Events stored for the symbol (point in time: each counts from its effective trading day).
        const dates = entry.bars.dates;
        const rows = dates.length === 0 ? [] : database.events.eventsForFeatures(entry.symbol, { from: dates[0]!, to: dates[dates.length - 1]! });
        matrix = combineFeatureMatrices(matrix, computeEventFeatures(entry.symbol, dates, rows.map(fromEventRecord)));
      }
      features = toSymbolFeatures(entry.symbol, matrix);
      if (features.dates.length > 0) database.features.write(featureSetVersion, [{ symbol: entry.symbol, dates: features.dates, values: features.values }]);
    }
    const { rows, labels } = sampleRows(entry.bars.adjustedClose, options.labels, { sampleStride: options.sampleStride });
    if (!resumed) checkpoint.markSymbolCompleted(entry.symbol, rows.length);
    reporter.symbol({ index: index + 1, total: series.length, symbol: entry.symbol, samples: rows.length, resumed });
    reporter.phaseProgress(index + 1, entry.symbol);
    if (rows.length > 0) result.push({ features, rows, labels });
  });
  reporter.phaseEnd(`${result.length} symbols with samples`);
  return result;
}

/** Fits (or restores from the checkpoint) one stack; returns it with the training seconds of each model. */
function fitStack(
  options: TrainOptions,
  names: readonly ModelName[],
  X: FeatureMatrix,
  y: Int8Array,
  prefix: string,
  stage: string,
  environment: TrainEnvironment,
  reporter: RunReporter,
  testStartDay: number | null,
): { stack: StackingClassifier; seconds: Record<string, number> } {
  const { checkpoint } = environment;
  const context = { threads: options.threads, profile: options.profile };
  const stack = new StackingClassifier({
    baseModels: names.map((name) => ({
      name,
      create: () => new ReportingClassifier(createModel(name, { ...context, seed: modelSeed(options.seed, name) }), (completed, total) => reporter.fitProgress(name, completed, total)),
    })),
    innerFolds: options.innerFolds,
    horizonDays: options.labels.holdDays,
    embargoDays: options.embargoDays,
  });
  const seconds: Record<string, number> = {};
  reporter.phaseStart(`train ${stage}`, names.length * (options.innerFolds + 1) + 1, `${names.length} models x (${options.innerFolds} inner folds + full fit) + meta-learner on ${X.rowCount} rows`);
  stack.fit(X, y, {
    days: X.rowDates,
    clock: () => environment.now().getTime(),
    ...(testStartDay === null ? {} : { fold: { testStartDay } }),
    cache: {
      get: (key: string) => checkpoint.loadArtifact(`${prefix}/${key}`),
      set: (key: string, json: string) => {
        // The artifact is stored before the checkpoint records the model as done.
        checkpoint.saveArtifact(`${prefix}/${key}`, json);
        checkpoint.markDone('train', `${prefix}/${key}`);
      },
    },
    onProgress: (event) => {
      const name = event.model === 'meta' ? STACK_NAME : event.model;
      // A model's cost in a fold: its inner fits for the out-of-fold predictions plus its full fit.
      seconds[name] = (seconds[name] ?? 0) + (Number.isFinite(event.seconds) ? event.seconds : 0);
      const where = event.model === 'meta' ? 'meta-learner' : event.fold === 'full' ? 'full' : `inner ${event.fold + 1}/${options.innerFolds}`;
      reporter.model({ model: event.model === 'meta' ? 'meta-learner' : event.model, stage: `${stage} ${where}`, seconds: event.seconds, resumed: event.cached });
      reporter.phaseProgress(event.completed, `${event.model} ${where}`);
    },
  });
  reporter.phaseEnd();
  return { stack, seconds };
}

function runBacktest(
  options: TrainOptions,
  dataset: TrainingSet,
  series: readonly SymbolData[],
  predictions: readonly { rows: Uint32Array; probabilities: Float64Array }[],
) {
  const bySymbol = new Map(series.map((entry) => [entry.symbol, entry.bars]));
  const signals: { symbol: number; row: number; signal: number; probability: number }[] = [];
  for (const { rows, probabilities } of predictions) {
    rows.forEach((row, index) => {
      const pSell = probabilities[index * 3]!;
      const pHold = probabilities[index * 3 + 1]!;
      const pBuy = probabilities[index * 3 + 2]!;
      // The trader acts on the predicted class: calls on BUY, puts on SELL.
      if (pBuy > pHold && pBuy >= pSell) signals.push({ symbol: dataset.matrix.rowSymbols[row]!, row: dataset.barRows[row]!, signal: BUY, probability: pBuy });
      else if (pSell > pHold && pSell > pBuy) signals.push({ symbol: dataset.matrix.rowSymbols[row]!, row: dataset.barRows[row]!, signal: SELL, probability: pSell });
    });
  }
  return backtest({
    series: dataset.matrix.symbols.map((symbol) => ({ symbol, days: bySymbol.get(symbol)!.dates, adjustedClose: bySymbol.get(symbol)!.adjustedClose })),
    signals,
    exits: options.labels,
    costBasisPoints: options.costBasisPoints,
  });
}
