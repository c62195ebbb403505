/**
 * Whole-zoo benchmark (issue 7): every base model of the trainer's zoo fitted on 80,000 rows x 202 features, timed
 * one after the other on this machine. Budget: the whole zoo in under 3 minutes.
 *
 *   npx tsx libs/pipeline/scripts/zoo-benchmark.ts [--profile fast|full] [--rows 80000] [--threads 2] [--models a,b]
 *
 * The matrix is the trainer's 202-column layout (179 technical + 23 event features, COMBINED_FEATURE_NAMES) built by
 * the same code as `--events` training: the embedded S&P 500 universe (470 symbols, 2016-2021), 14-day +10% / -5%
 * labels, every 5th day of each symbol, the most recent `--rows` samples. Event features come from real EDGAR
 * filings: the recorded submissions in ../shared/data/sec-edgar-samples, served to @quant/ingest's EDGAR source by
 * an injected fetch (no network); symbols without recorded filings take the no-event values, as in a live run
 * whose EDGAR requests failed. Without ../shared every symbol takes the no-event values (the script says so).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createFeatureMatrix, type Filing, type FeatureMatrix } from '@quant/core';
import {
  COMBINED_FEATURE_NAMES,
  buildMarketContext,
  classifyEvents,
  combineFeatureMatrices,
  computeEventFeatures,
  computeTechnicalFeatures,
} from '@quant/features';
import { createEdgarSource } from '@quant/ingest';
import { getSymbolInfo, getUniverse, loadUniverse } from '@quant/sample-data';
import { assembleTrainingSet, classCounts, sampleRows, toSymbolFeatures } from '../src/dataset.js';
import { SWING_LABEL_SETTINGS } from '../src/options.js';
import { MODEL_NAMES, createModel, type ModelName } from '../src/zoo.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const edgarFolder = resolve(root, '../shared/data/sec-edgar-samples');
const { values } = parseArgs({
  options: {
    profile: { type: 'string', default: 'fast' },
    rows: { type: 'string', default: '80000' },
    threads: { type: 'string', default: '2' },
    models: { type: 'string' },
    stride: { type: 'string', default: '5' },
  },
});
const profile = values.profile === 'full' ? 'full' : 'fast';
const rowCount = Number(values.rows);
const threads = Number(values.threads);
const models = (values.models?.split(',') ?? [...MODEL_NAMES]) as ModelName[];

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** A fetch that answers EDGAR's URLs from the recorded files (404 for anything not recorded). */
function recordedEdgarFetch(): typeof fetch {
  return async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const name = url.endsWith('company_tickers.json') ? 'company_tickers.json' : url.startsWith('https://data.sec.gov/submissions/') ? join('submissions', url.slice('https://data.sec.gov/submissions/'.length)) : undefined;
    const path = name === undefined ? undefined : join(edgarFolder, name);
    if (path === undefined || !existsSync(path)) return new Response('not recorded', { status: 404 });
    return new Response(readFileSync(path), { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

/** Filings of the symbols whose submissions are recorded (CIK from the embedded symbol info). */
async function recordedFilings(symbols: readonly { symbol: string; cik: string | undefined; from: number; to: number }[]): Promise<Map<string, Filing[]>> {
  const result = new Map<string, Filing[]>();
  if (!existsSync(join(edgarFolder, 'submissions'))) return result;
  const recorded = new Set(readdirSync(join(edgarFolder, 'submissions')).filter((name) => /^CIK\d{10}\.json$/.test(name)));
  const source = createEdgarSource({
    userAgent: 'Quant zoo benchmark benchmark@example.com',
    http: { fetch: recordedEdgarFetch(), rateLimit: { ratePerSecond: 1000, burst: 1000 }, retry: { retries: 0 } },
  });
  for (const { symbol, cik, from, to } of symbols) {
    if (cik === undefined || !recorded.has(`CIK${cik.padStart(10, '0')}.json`)) continue;
    try {
      const filings = await source.fetchFilings(symbol, { cik, from, to });
      if (filings.length > 0) result.set(symbol, filings);
    } catch (error) {
      // An older submissions page that was not recorded: the symbol keeps the no-event values (as after a failure).
      log(`${symbol}: no filings (${(error as Error).message})`);
    }
  }
  return result;
}

/** The last `count` rows of a date-ordered matrix (and labels). */
function lastRows(matrix: FeatureMatrix, labels: Int8Array, count: number): { matrix: FeatureMatrix; labels: Int8Array } {
  const total = matrix.rowCount;
  const start = Math.max(0, total - count);
  const kept = total - start;
  const values = new Float32Array(kept * matrix.columnCount);
  for (let column = 0; column < matrix.columnCount; column++) values.set(matrix.values.subarray(column * total + start, column * total + total), column * kept);
  return {
    matrix: createFeatureMatrix({ columns: matrix.columns, values, symbols: matrix.symbols, rowSymbols: matrix.rowSymbols.slice(start), rowDates: matrix.rowDates.slice(start) }),
    labels: labels.slice(start),
  };
}

const started = performance.now();
const universe = getUniverse('sp500');
const { bars: series } = loadUniverse('sp500');
const infoOf = (symbol: string) => getSymbolInfo(symbol, { dataset: universe.dataset });
const context = buildMarketContext(series, (symbol) => infoOf(symbol).sector);
const isoDay = (day: number): string => new Date(day * 86_400_000).toISOString().slice(0, 10);
const filings = await recordedFilings(
  series.map((bars) => ({ symbol: bars.symbol, cik: infoOf(bars.symbol).cik ?? undefined, from: bars.dates[0]!, to: bars.dates[bars.dates.length - 1]! })),
);
let eventCount = 0;
const samples = series.map((bars) => {
  const technical = computeTechnicalFeatures(bars, { ...context, sector: infoOf(bars.symbol).sector });
  const events = classifyEvents(filings.get(bars.symbol) ?? [], []);
  eventCount += events.length;
  const features = toSymbolFeatures(bars.symbol, combineFeatureMatrices(technical, computeEventFeatures(bars.symbol, bars.dates, events)));
  const { rows, labels } = sampleRows(bars.adjustedClose, SWING_LABEL_SETTINGS, { sampleStride: Number(values.stride) });
  return { features, rows, labels };
});
const assembled = assembleTrainingSet(samples);
const { matrix, labels } = lastRows(assembled.matrix, assembled.labels, rowCount);
if (matrix.columnCount !== COMBINED_FEATURE_NAMES.length) throw new Error(`expected ${COMBINED_FEATURE_NAMES.length} columns, got ${matrix.columnCount}`);
const counts = classCounts(labels);
log(
  `data: ${matrix.rowCount} rows x ${matrix.columnCount} features (${series.length} symbols, ${isoDay(matrix.rowDates[0]!)}..${isoDay(matrix.rowDates[matrix.rowCount - 1]!)}), ` +
    `SELL/HOLD/BUY ${counts.join('/')}; ${eventCount} events from recorded EDGAR filings of ${filings.size} symbols` +
    `${filings.size === 0 ? ' (../shared/data/sec-edgar-samples not found: no-event values)' : ''}; prepared in ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
log(`profile ${profile}, threads ${threads}, load average ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
log('model | train s | CPU s | load after');
let total = 0;
for (const name of models) {
  const model = createModel(name, { seed: 42, threads, profile });
  const cpuStarted = process.cpuUsage();
  const modelStarted = performance.now();
  model.fit(matrix, labels);
  const seconds = (performance.now() - modelStarted) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  total += seconds;
  log(`${name} | ${seconds.toFixed(1)} | ${((cpu.user + cpu.system) / 1e6).toFixed(1)} | ${loadavg()[0]!.toFixed(2)}`);
}
log(`whole zoo (${models.length} models): ${total.toFixed(1)} s (budget 180 s)`);
