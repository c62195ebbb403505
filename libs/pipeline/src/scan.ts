/**
 * The scan: score every symbol of a universe with the promoted model, as of a day.
 *
 * promoted model (refused when missing or trained on other features) -> prices of every member (embedded, CSV, or
 * live Yahoo through the per-symbol runner with deadlines) -> market and sector indices of the whole universe ->
 * feature rows per symbol from the feature store, computing only what is not stored -> probabilities, signals and
 * ranking -> per-row TreeSHAP top features -> drift of the recent feature distribution against training ->
 * database rows (predictions, sectors, drift) in one transaction, then CSV and JSON files.
 *
 * No symbol is dropped silently: one that cannot be scored is listed with its reason (too little history for the
 * feature warm-up, stale prices, failed download, data quality error, not found).
 */
import { join } from 'node:path';
import {
  CancelledError,
  HOLD,
  InvalidArgumentError,
  NotFoundError,
  createFeatureMatrix,
  dayToIso,
  isoToDay,
  labelName,
  lastIndexOnOrBefore,
  selectRows,
  silentLogger,
  sliceBars,
  type Bars,
  type Logger,
  type SymbolInfo,
} from '@quant/core';
import { openDatabase, type DriftRow, type FeatureBlock, type PredictionRow, type QuantDatabase, type SectorPerformanceRow } from '@quant/db';
import { TECHNICAL_FEATURES, TECHNICAL_FEATURE_NAMES, TECHNICAL_FEATURE_SET_VERSION, buildMarketContext } from '@quant/features';
import { ingestPrices, runPerSymbol, type IngestFailure, type PriceSource } from '@quant/ingest';
import { FEATURE_WARMUP_ROWS } from './dataset.js';
import { compareWithReference, type DriftResult, type FeatureReference } from './drift.js';
import { silentReporter, type RunReporter } from './reporter.js';
import { topFeatures, type TopFeature } from './scan-explain.js';
import {
  DRIFT_WINDOW_ROWS,
  STORED_FEATURE_ROWS,
  splitStoredMatrix,
  storedFeatureRows,
  type FeatureMethod,
  type StoredFeatures,
  type SymbolFeatureRows,
} from './scan-features.js';
import { computeBatches } from './scan-parallel.js';
import { loadScanModel, requireDatabaseFile } from './scan-model.js';
import { resolveScanOptions, type ScanOptions } from './scan-options.js';
import {
  DRIFT_ALERT_SHARE,
  optionsSide,
  rankRows,
  scanCsv,
  signalOf,
  summariseSectors,
  unscoredCsv,
  type DriftSummary,
  type ScanRow,
  type SectorSummary,
  type UnscoredReason,
  type UnscoredSymbol,
} from './scan-output.js';
import { createPriceSource, resolveUniverse } from './universe.js';
import { writeOutputFile } from './files.js';

/** A symbol whose last bar is more than this many trading days before the as-of day is stale. */
export const STALE_TRADING_DAYS = 5;
/** Trading days of the return reported per symbol and sector. */
const RETURN_DAYS = 20;
/** Rows explained per TreeSHAP call. */
const EXPLAIN_BLOCK_ROWS = 50;
export const SCAN_FILE_FORMAT_VERSION = 1;

export interface ScanEnvironment {
  readonly reporter?: RunReporter;
  readonly logger?: Logger;
  /** Aborting stops the scan between steps (and cancels downloads). */
  readonly signal?: AbortSignal;
  /** The clock (libraries do not read it themselves). */
  readonly now: () => Date;
  /**
   * Replaces the source of `options.source` (tests, other feeds); with source 'live' it is used the live way
   * (prices stored in the database and updated incrementally).
   */
  readonly priceSource?: PriceSource;
}

export interface FeatureStoreStats {
  /** The feature-set version the scanner's rows are stored under (see scannerFeatureSetVersion). */
  readonly version: string;
  /** Symbols by how their rows were obtained. */
  readonly stored: number;
  readonly streamed: number;
  readonly computed: number;
  /** Bars whose feature rows were computed in this scan. */
  readonly computedBars: number;
  /** Blocks written back. */
  readonly written: number;
}

export interface DriftReport {
  readonly summary: DriftSummary;
  /** Every feature, in the model's column order. */
  readonly features: readonly DriftResult[];
}

export interface ScanResult {
  readonly modelId: string;
  readonly model: string;
  readonly runId: string;
  readonly explainer: string | null;
  readonly featureSetVersion: string;
  readonly trainedThrough: string;
  readonly universe: string;
  readonly source: string;
  /** The day scored: the as-of option, or the latest day with prices, moved back to the last trading day. */
  readonly asOf: string;
  /** Symbols asked for. */
  readonly requested: number;
  readonly rows: readonly ScanRow[];
  readonly unscored: readonly UnscoredSymbol[];
  readonly sectors: readonly SectorSummary[];
  readonly drift: DriftReport;
  readonly featureStore: FeatureStoreStats;
  readonly files: { readonly csv: string; readonly json: string; readonly unscoredCsv: string };
  readonly phaseSeconds: Readonly<Record<string, number>>;
}

/**
 * Version under which the scanner stores its feature rows: the features' version qualified by the universe and the
 * price source its market context comes from. Market-relative features are measured against the universe's
 * leave-one-out indices, so rows computed against another universe (the trainer's, say) are other numbers and must
 * never be mixed in, nor overwritten by the scanner's short blocks.
 */
export function scannerFeatureSetVersion(featureSetVersion: string, universe: string, source: string): string {
  return `${featureSetVersion}/scan:${universe}:${source}`;
}

interface Fetched {
  readonly bars: Map<string, Bars>;
  readonly failures: readonly IngestFailure[];
  /** Symbols whose stored history was replaced (a split or dividend changed its adjusted prices): stored features of
   * them are not trusted. */
  readonly revised: ReadonlySet<string>;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('scan stopped', { cause: signal.reason });
}

function failureReason(code: string): UnscoredReason {
  if (code === 'NOT_FOUND') return 'not-found';
  if (code === 'DATA_QUALITY') return 'data-quality';
  return 'download-failed';
}

export async function scan(partialOptions: Partial<ScanOptions>, environment: ScanEnvironment): Promise<ScanResult> {
  const options = resolveScanOptions(partialOptions);
  const reporter = environment.reporter ?? silentReporter;
  const logger = environment.logger ?? silentLogger;
  const { signal } = environment;
  const phaseSeconds: Record<string, number> = {};
  let phaseStarted = environment.now().getTime();
  const endPhase = (name: string) => {
    const now = environment.now().getTime();
    phaseSeconds[name] = (phaseSeconds[name] ?? 0) + (now - phaseStarted) / 1000;
    phaseStarted = now;
  };

  requireDatabaseFile(options.databasePath);
  const database = openDatabase(options.databasePath);
  try {
    // 1. The model, before any work: a scan without a usable model must fail at once.
    const model = loadScanModel(database);
    reporter.info(
      `model ${model.modelId} (${model.file.model}, trained through ${model.file.trainedThrough} on ${model.file.universe}; ` +
        `${model.file.labels.holdDays}-day hold +${model.file.labels.target * 100}% / -${model.file.labels.stop * 100}%)`,
    );
    endPhase('model');

    // 2. Prices of every universe member (the market context needs them all) and of any extra symbol asked for.
    const universe = resolveUniverse({ universe: options.universe, symbols: null });
    const wanted = options.symbols ?? universe.symbols;
    const members = [...new Set([...universe.symbols, ...wanted])];
    const info = new Map(universe.info);
    if (options.symbols !== null) for (const [symbol, entry] of resolveUniverse({ universe: options.universe, symbols: options.symbols }).info) info.set(symbol, entry);
    const sectorOf = (symbol: string) => info.get(symbol)?.sector ?? null;
    const fetched = await fetchPrices(options, members, universe.dataset, database, environment, reporter, info);
    endPhase('prices');
    throwIfAborted(signal);

    // 3. The as-of day and the trading calendar of the universe.
    let latest = Number.NEGATIVE_INFINITY;
    for (const bars of fetched.bars.values()) if (bars.dates.length > 0) latest = Math.max(latest, bars.dates[bars.dates.length - 1]!);
    const requestedDay = options.asOf === null ? latest : isoToDay(options.asOf);
    if (!Number.isFinite(requestedDay)) throw new NotFoundError(`no prices for any symbol of ${options.universe}: nothing to scan`);
    const clipped = new Map<string, Bars>();
    for (const [symbol, bars] of fetched.bars) clipped.set(symbol, sliceBars(bars, 0, lastIndexOnOrBefore(bars.dates, requestedDay) + 1));
    const calendarDays = new Set<number>();
    for (const bars of clipped.values()) for (const day of bars.dates) calendarDays.add(day);
    const calendar = Int32Array.from(calendarDays).sort();
    if (calendar.length === 0) {
      throw new NotFoundError(`no symbol of ${options.universe} has prices on or before ${dayToIso(requestedDay)}: choose a later --as-of day`);
    }
    const asOfDay = calendar[calendar.length - 1]!;
    const asOf = dayToIso(asOfDay);
    if (options.asOf !== null && asOfDay !== requestedDay) reporter.info(`${options.asOf} is not a trading day of the data; scanning as of ${asOf}`);

    // 4. Which symbols can be scored.
    const unscored: UnscoredSymbol[] = [];
    const failed = new Map(fetched.failures.map((failure) => [failure.symbol, failure]));
    const scorable: string[] = [];
    for (const symbol of wanted) {
      const failure = failed.get(symbol);
      const sector = sectorOf(symbol);
      if (failure !== undefined) {
        unscored.push({ symbol, sector, reason: failureReason(failure.code), detail: `${failure.code}: ${failure.reason}`, lastBar: null });
        continue;
      }
      const bars = clipped.get(symbol)!;
      const count = bars.dates.length;
      if (count === 0) {
        unscored.push({ symbol, sector, reason: 'insufficient-history', detail: `no bars on or before ${asOf}`, lastBar: null });
        continue;
      }
      const lastBar = bars.dates[count - 1]!;
      const tradingDaysBehind = calendar.length - 1 - lastIndexOnOrBefore(calendar, lastBar);
      if (tradingDaysBehind > STALE_TRADING_DAYS) {
        unscored.push({
          symbol,
          sector,
          reason: 'stale',
          detail: `last bar ${dayToIso(lastBar)} is ${tradingDaysBehind} trading days before ${asOf} (more than ${STALE_TRADING_DAYS})`,
          lastBar: dayToIso(lastBar),
        });
        continue;
      }
      if (count <= FEATURE_WARMUP_ROWS) {
        unscored.push({
          symbol,
          sector,
          reason: 'insufficient-history',
          detail: `${count} bars; the features need ${FEATURE_WARMUP_ROWS + 1} (52-week warm-up)`,
          lastBar: dayToIso(lastBar),
        });
        continue;
      }
      scorable.push(symbol);
    }
    throwIfAborted(signal);

    // 5. Features: market context from the whole universe, rows per symbol from the store where possible.
    const universeBars = universe.symbols.map((symbol) => clipped.get(symbol)).filter((bars): bars is Bars => bars !== undefined && bars.dates.length > 0);
    const context = buildMarketContext(universeBars, sectorOf);
    const storeVersion = scannerFeatureSetVersion(TECHNICAL_FEATURE_SET_VERSION, options.universe, environment.priceSource?.name ?? options.source);
    database.features.registerFeatureSet(storeVersion, TECHNICAL_FEATURE_NAMES);
    const storedSymbols = new Set(database.features.list(storeVersion).map((entry) => entry.symbol));
    const stored: Map<string, StoredFeatures> = splitStoredMatrix(
      database.features.read(storeVersion, scorable.filter((symbol) => storedSymbols.has(symbol) && !fetched.revised.has(symbol))),
    );
    reporter.phaseStart('features', scorable.length, `${TECHNICAL_FEATURE_NAMES.length} technical features, ${stored.size} symbols stored before`);
    const counts: Record<FeatureMethod, number> = { stored: 0, streamed: 0, computed: 0 };
    let computedBars = 0;
    const fromStore = scorable.map((symbol) => storedFeatureRows(clipped.get(symbol)!, stored.get(symbol)));
    const computeSymbols = scorable.filter((_, index) => fromStore[index] === null);
    reporter.phaseProgress(scorable.length - computeSymbols.length);
    const batches = await computeBatches(
      computeSymbols.map((symbol) => ({ bars: clipped.get(symbol)!, sector: sectorOf(symbol), stored: stored.get(symbol) })),
      context,
      {
        threads: options.threads,
        windowRows: DRIFT_WINDOW_ROWS,
        storedRows: STORED_FEATURE_ROWS,
        onProgress: (completed, symbol) => {
          if (completed % 10 === 0 || completed === computeSymbols.length) reporter.phaseProgress(scorable.length - computeSymbols.length + completed, symbol);
        },
      },
    );
    let batchIndex = 0;
    const featureRows: SymbolFeatureRows[] = fromStore.map((rows) => rows ?? batches.rows[batchIndex++]!);
    for (const rows of featureRows) {
      counts[rows.method] += 1;
      computedBars += rows.computedBars;
    }
    reporter.phaseEnd(
      `${counts.stored} from the store, ${counts.streamed} streamed, ${counts.computed} computed (${computedBars} bars` +
        `${batches.workers > 0 ? `; ${batches.byWorkers} symbols on ${batches.workers} worker thread${batches.workers === 1 ? '' : 's'}` : ''})`,
    );
    endPhase('features');
    throwIfAborted(signal);

    // 6. Scores, in the model's column order.
    const columns = model.file.columns;
    const rowCount = featureRows.length;
    const matrixValues = new Float32Array(rowCount * columns.length);
    featureRows.forEach((rows, row) => {
      const windowRows = rows.dates.length;
      for (let column = 0; column < columns.length; column++) {
        matrixValues[column * rowCount + row] = rows.values[model.technicalIndex[column]! * windowRows + windowRows - 1]!;
      }
    });
    const matrix = createFeatureMatrix({
      columns,
      values: matrixValues,
      symbols: scorable,
      rowSymbols: Int32Array.from(scorable, (_, index) => index),
      rowDates: Int32Array.from(featureRows, (rows) => rows.dates[rows.dates.length - 1]!),
    });
    const probabilities = rowCount === 0 ? new Float64Array(0) : model.classifier.predictProba(matrix);
    const classes = Int8Array.from({ length: rowCount }, (_, row) => signalOf(probabilities[row * 3]!, probabilities[row * 3 + 1]!, probabilities[row * 3 + 2]!));
    endPhase('score');
    throwIfAborted(signal);

    // 7. What drove each signal. Only BUY and SELL rows are explained: they are what a trader acts on, and exact
    // TreeSHAP of a forest costs about 15 ms per row, so explaining every HOLD too would double the scan's time.
    // HOLD rows keep an empty list.
    const explanations: TopFeature[][] = Array.from({ length: rowCount }, () => []);
    const signalRows = Uint32Array.from([...classes.keys()].filter((row) => classes[row] !== HOLD));
    if (model.explainer !== null && signalRows.length > 0) {
      reporter.phaseStart('explain', signalRows.length, `TreeSHAP of ${model.explainerName} (${model.explainer.kind}) for the ${signalRows.length} BUY and SELL rows`);
      // In blocks of rows, so that the terminal shows progress (a deep forest takes long) and Ctrl+C is heard.
      for (let start = 0; start < signalRows.length; start += EXPLAIN_BLOCK_ROWS) {
        const end = Math.min(signalRows.length, start + EXPLAIN_BLOCK_ROWS);
        const rows = signalRows.subarray(start, end);
        const block = selectRows(matrix, rows);
        const found = topFeatures(model.explainer, block, Int8Array.from(rows, (row) => classes[row]!), 3);
        rows.forEach((row, index) => {
          explanations[row] = found[index]!;
        });
        reporter.phaseProgress(end, scorable[rows[rows.length - 1]!]);
        throwIfAborted(signal);
      }
      reporter.phaseEnd();
    }
    endPhase('explain');

    const rows = rankRows(
      featureRows.map((features, row) => {
        const bars = clipped.get(features.symbol)!;
        const last = bars.dates.length - 1;
        const signalName = labelName(classes[row]!);
        const pSell = probabilities[row * 3]!;
        const pHold = probabilities[row * 3 + 1]!;
        const pBuy = probabilities[row * 3 + 2]!;
        const close = bars.adjustedClose[last]!;
        const return20d = last >= RETURN_DAYS ? close / bars.adjustedClose[last - RETURN_DAYS]! - 1 : null;
        return {
          symbol: features.symbol,
          sector: sectorOf(features.symbol),
          signal: signalName,
          options: optionsSide(signalName),
          pBuy,
          pHold,
          pSell,
          confidence: probabilities[row * 3 + classes[row]!]!,
          barDate: dayToIso(bars.dates[last]!),
          close: bars.close[last]!,
          return20d: return20d !== null && Number.isFinite(return20d) ? return20d : null,
          topFeatures: explanations[row]!,
        };
      }),
    );
    const sectors = summariseSectors(rows);

    // 8. Drift of the recent distribution (the drift window of every scored symbol) against training.
    const drift = measureDrift(model.file.featureReferences, columns, model.technicalIndex, featureRows);
    endPhase('drift');
    if (drift.summary.alert) reporter.warn(`${drift.summary.watchedDrifting} of ${drift.summary.watched} features drift: the model is scoring data unlike what it learned from`);

    // 9. Database rows in one transaction, then the files.
    const blocks = featureRows.map((entry) => entry.block).filter((block): block is FeatureBlock => block !== null);
    const day = asOfDay;
    database.transaction(() => {
      database.symbols.upsert(scorable.map((symbol) => symbolInfo(symbol, info.get(symbol))));
      if (blocks.length > 0) database.features.write(storeVersion, blocks);
      database.predictions.recordPredictions(rows.map((row): PredictionRow => ({
        modelId: model.modelId,
        symbol: row.symbol,
        date: day,
        signal: row.signal,
        pSell: row.pSell,
        pHold: row.pHold,
        pBuy: row.pBuy,
        confidence: row.confidence,
        rank: row.rank,
        topFeatures: row.topFeatures,
      })));
      database.predictions.recordSectorPerformance(sectors.map((sector): SectorPerformanceRow => ({
        modelId: model.modelId,
        date: day,
        sector: sector.sector,
        symbols: sector.symbols,
        buyCount: sector.buy,
        holdCount: sector.hold,
        sellCount: sector.sell,
        meanPBuy: sector.meanPBuy,
        meanPSell: sector.meanPSell,
        return20d: sector.return20d,
      })));
      database.predictions.recordDrift(drift.features.map((result): DriftRow => ({ modelId: model.modelId, date: day, ...result })));
    });

    const base = join(options.outputFolder, `scan-${asOf}`);
    const files = { csv: `${base}.csv`, json: `${base}.json`, unscoredCsv: `${base}-unscored.csv` };
    endPhase('store');
    const result: ScanResult = {
      modelId: model.modelId,
      model: model.file.model,
      runId: model.file.runId,
      explainer: model.explainerName,
      featureSetVersion: model.file.featureSetVersion,
      trainedThrough: model.file.trainedThrough,
      universe: options.universe,
      source: environment.priceSource?.name ?? options.source,
      asOf,
      requested: wanted.length,
      rows,
      unscored,
      sectors,
      drift,
      featureStore: { version: storeVersion, ...counts, computedBars, written: blocks.length },
      files,
      phaseSeconds,
    };
    writeOutputFile(files.csv, scanCsv(rows));
    writeOutputFile(files.unscoredCsv, unscoredCsv(unscored));
    writeOutputFile(files.json, `${JSON.stringify({ formatVersion: SCAN_FILE_FORMAT_VERSION, generatedAt: environment.now().toISOString(), ...result }, null, 2)}\n`);
    endPhase('files');
    logger.info('scan finished', { modelId: model.modelId, asOf, scored: rows.length, unscored: unscored.length });
    return result;
  } finally {
    database.close();
  }
}

function symbolInfo(symbol: string, known: SymbolInfo | undefined): SymbolInfo {
  if (known !== undefined) return { symbol, name: known.name, kind: known.kind, sector: known.sector, capTier: known.capTier, cik: known.cik };
  return { symbol, name: symbol, kind: 'stock', sector: null, capTier: null, cik: null };
}

/**
 * Prices of every symbol. Embedded and CSV prices are read directly; live prices go through the per-symbol runner
 * with deadlines and update the database incrementally (only days after the last stored one are fetched, and a split
 * or dividend since then refetches the whole history; see ingestPrices).
 */
async function fetchPrices(
  options: ScanOptions,
  symbols: readonly string[],
  dataset: Parameters<typeof createPriceSource>[1],
  database: QuantDatabase,
  environment: ScanEnvironment,
  reporter: RunReporter,
  info: ReadonlyMap<string, SymbolInfo>,
): Promise<Fetched> {
  const source = environment.priceSource ?? createPriceSource({ source: options.source, csvFolder: options.csvFolder }, dataset);
  const live = options.source === 'live';
  reporter.phaseStart('prices', symbols.length, `${source.name} prices of ${symbols.length} symbols`);
  const onResult = ({ completed, symbol }: { completed: number; symbol: string }) => {
    if (completed % 10 === 0 || completed === symbols.length) reporter.phaseProgress(completed, symbol);
  };
  const common = { concurrency: live ? 4 : 1, symbolDeadlineMs: live ? 90_000 : 30_000, onResult, ...(environment.signal === undefined ? {} : { signal: environment.signal }) };
  const bars = new Map<string, Bars>();
  const revised = new Set<string>();
  let failures: IngestFailure[];
  if (live) {
    database.symbols.upsert(symbols.map((symbol) => symbolInfo(symbol, info.get(symbol))));
    const lastStored = new Map<string, number>();
    for (const symbol of symbols) {
      const range = database.prices.dateRange(symbol);
      if (range !== null) lastStored.set(symbol, range.last);
    }
    const result = await ingestPrices(source, symbols, { ...common, lastStored });
    for (const { symbol, value } of result.succeeded) {
      if (value.mode === 'full' && lastStored.has(symbol)) {
        // A split or dividend since the last update rescaled the history: replace it, and do not trust stored rows.
        revised.add(symbol);
        database.transaction(() => {
          database.connection.prepare('DELETE FROM price_data WHERE symbol_id = ?').run(database.symbols.id(symbol));
          database.prices.upsert(value.history.bars, source.name);
        });
      } else if (value.history.bars.dates.length > 0) {
        database.prices.upsert(value.history.bars, source.name);
      }
      bars.set(symbol, database.prices.read(symbol));
    }
    failures = result.failed;
  } else {
    const result = await runPerSymbol(symbols, async (symbol, signal) => (await source.fetchPrices(symbol, {}, signal)).bars, { ...common, source: source.name });
    for (const { symbol, value } of result.succeeded) bars.set(symbol, value);
    failures = result.failed;
  }
  throwIfAborted(environment.signal);
  reporter.phaseEnd(`${bars.size} symbols, ${failures.length} failed${revised.size > 0 ? `, ${revised.size} histories replaced after a split or dividend` : ''}`);
  return { bars, failures, revised };
}

/** PSI and KS of every model column over the drift windows of the scored symbols. */
function measureDrift(
  references: readonly FeatureReference[],
  columns: readonly string[],
  technicalIndex: Int32Array,
  featureRows: readonly SymbolFeatureRows[],
): DriftReport {
  const byFeature = new Map(references.map((reference) => [reference.feature, reference]));
  const calendar = new Set(TECHNICAL_FEATURES.filter((feature) => feature.group === 'calendar').map((feature) => feature.name));
  const totalRows = featureRows.reduce((sum, rows) => sum + rows.dates.length, 0);
  const results: DriftResult[] = [];
  if (totalRows > 0) {
    const recent = new Float64Array(totalRows);
    columns.forEach((feature, column) => {
      const reference = byFeature.get(feature);
      if (reference === undefined) throw new InvalidArgumentError(`the model file has no training reference for feature ${feature}: drift cannot be measured`);
      let offset = 0;
      const technical = technicalIndex[column]!;
      for (const rows of featureRows) {
        const count = rows.dates.length;
        recent.set(rows.values.subarray(technical * count, (technical + 1) * count), offset);
        offset += count;
      }
      results.push(compareWithReference(reference, recent));
    });
  }
  const watched = results.filter((result) => !calendar.has(result.feature));
  const watchedDrifting = watched.filter((result) => result.status === 'drift').length;
  return {
    features: results,
    summary: {
      features: results.length,
      stable: results.filter((result) => result.status === 'stable').length,
      warning: results.filter((result) => result.status === 'warning').length,
      drift: results.filter((result) => result.status === 'drift').length,
      watched: watched.length,
      watchedDrifting,
      alert: watched.length > 0 && watchedDrifting / watched.length >= DRIFT_ALERT_SHARE,
      symbols: featureRows.length,
      rows: totalRows,
      worst: [...results].sort((a, b) => b.psi - a.psi).slice(0, 5),
    },
  };
}

