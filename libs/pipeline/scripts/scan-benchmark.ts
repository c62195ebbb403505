/**
 * Scanner benchmark (issue 9): the 470-symbol embedded S&P 500 universe, from a cold start (a new process running the
 * scanner's command line) to the ranked output. Budget: under 10 seconds.
 *
 *   npx tsx libs/pipeline/scripts/scan-benchmark.ts [--runs 3] [--db <a trainer's database>] [--threads 2]
 *
 * Without --db, a promoted model is built once into tmp/scan-benchmark/: the trainer's `fast` xgboost (100 rounds,
 * depth 5) on the trainer's default data (the 82 CORE symbols, every 2nd day, 14-day +10% / -5% labels), so that
 * scoring and TreeSHAP cost what they cost with a real model. With --db, the trainer's promoted model is used
 * (the database is copied; the original is not written).
 *
 * Scenarios, each in a new process:
 * - cold: nothing stored, every symbol's features computed over its whole history;
 * - incremental: the store holds the previous trading day's scan, the newest bar of every symbol is streamed;
 * - stored: the same day scanned again, every feature row read from the store.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { dayToIso } from '@quant/core';
import { openDatabase } from '@quant/db';
import { TECHNICAL_FEATURE_NAMES, TECHNICAL_FEATURE_SET_VERSION, buildMarketContext, computeTechnicalFeatures } from '@quant/features';
import { getSymbolInfo, getUniverse, loadBars, loadUniverse } from '@quant/sample-data';
import { MODEL_FILE_FORMAT_VERSION, type PromotedModelFile } from '../src/artifact.js';
import { assembleTrainingSet, sampleRows, toSymbolFeatures } from '../src/dataset.js';
import { featureReferences } from '../src/drift.js';
import { SWING_LABEL_SETTINGS } from '../src/options.js';
import { createModel } from '../src/zoo.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, db: { type: 'string' }, threads: { type: 'string', default: '2' } } });
const runs = Number(values.runs);
const workFolder = join(root, 'tmp', 'scan-benchmark');

function log(message: string): void {
  process.stdout.write(`${message}\n`);
}

/** The trainer's default data and fast xgboost, promoted in a fresh database (built once, then reused). */
function benchmarkModel(): string {
  const folder = join(workFolder, 'model');
  const databasePath = join(folder, 'quant.db');
  if (existsSync(databasePath)) return databasePath;
  log('building the benchmark model (once): fast xgboost on the CORE universe ...');
  const universe = getUniverse('core');
  const series = loadUniverse('core').bars;
  const sectorOf = (symbol: string) => getSymbolInfo(symbol, { dataset: universe.dataset }).sector;
  const context = buildMarketContext(series, sectorOf);
  const samples = series.map((bars) => {
    const features = toSymbolFeatures(bars.symbol, computeTechnicalFeatures(bars, { ...context, sector: sectorOf(bars.symbol) }));
    const { rows, labels } = sampleRows(bars.adjustedClose, SWING_LABEL_SETTINGS, { sampleStride: 2 });
    return { features, rows, labels };
  });
  const { matrix, labels } = assembleTrainingSet(samples);
  const model = createModel('xgboost', { seed: 42, threads: 2, profile: 'fast' }).fit(matrix, labels);
  const runId = 'run-scan-benchmark';
  const file: PromotedModelFile = {
    formatVersion: MODEL_FILE_FORMAT_VERSION,
    runId,
    model: 'xgboost',
    featureSetVersion: TECHNICAL_FEATURE_SET_VERSION,
    columns: [...TECHNICAL_FEATURE_NAMES],
    labels: SWING_LABEL_SETTINGS,
    trainedThrough: dayToIso(matrix.rowDates[matrix.rowCount - 1]!),
    universe: 'core',
    explainer: 'xgboost',
    featureReferences: featureReferences(matrix, { seed: 42 }),
    classifier: model.toJSON(),
  };
  mkdirSync(folder, { recursive: true });
  const modelPath = join(folder, 'xgboost.json');
  writeFileSync(modelPath, JSON.stringify(file));
  const database = openDatabase(databasePath);
  try {
    database.features.registerFeatureSet(TECHNICAL_FEATURE_SET_VERSION, TECHNICAL_FEATURE_NAMES);
    database.runs.start({ runId, universe: 'core', seed: 42, config: { benchmark: true }, featureSetVersion: TECHNICAL_FEATURE_SET_VERSION });
    database.runs.recordPromotion({ runId, modelId: `${runId}/xgboost`, featureSetVersion: TECHNICAL_FEATURE_SET_VERSION, promoted: true, reasons: ['benchmark model'], metrics: {}, artifactPath: modelPath });
  } finally {
    database.close();
  }
  return databasePath;
}

function copyDatabase(from: string, to: string): void {
  rmSync(to, { force: true });
  for (const suffix of ['-wal', '-shm']) rmSync(`${to}${suffix}`, { force: true });
  copyFileSync(from, to);
  for (const suffix of ['-wal', '-shm']) if (existsSync(`${from}${suffix}`)) copyFileSync(`${from}${suffix}`, `${to}${suffix}`);
}

interface Timing {
  readonly seconds: number;
  /** CPU seconds of the scanner process, all threads (what the scan itself used on a shared machine). */
  readonly cpu: number;
  readonly phases: string;
}

/** Seconds of the terminal's formatSeconds text (1.2s, 14s, 1m05s). */
function parseSeconds(text: string): number {
  const minutes = /^(\d+)m(\d+)s$/.exec(text);
  return minutes === null ? Number(text.replace(/s$/, '')) : Number(minutes[1]) * 60 + Number(minutes[2]);
}

function runScanner(databasePath: string, extra: readonly string[] = []): Timing {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const started = process.hrtime.bigint();
  const result = spawnSync(tsx, ['src/main.ts', '--db', databasePath, '--output', join(workFolder, 'output'), '--top', '5', '--threads', values.threads!, ...extra], {
    cwd: join(root, 'apps', 'scanner'),
    encoding: 'utf8',
    // The app finds its own tsconfig; a path given to this script's tsx must not leak into it.
    env: Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'TSX_TSCONFIG_PATH')),
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`the scanner failed (${result.status}):\n${result.stdout.slice(-2000)}\n${result.stderr.slice(-2000)}`);
  const phases = /^Phases: (.*)$/m.exec(result.stdout)?.[1] ?? '';
  const cpu = parseSeconds(/\(CPU ([0-9.ms]+)\)/.exec(result.stdout)?.[1] ?? 'NaN');
  return { seconds, cpu, phases };
}

const median = (numbers: readonly number[]) => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)]!;

const base = values.db ?? benchmarkModel();
const runDatabase = join(workFolder, 'run.db');
const aapl = loadBars('AAPL', { dataset: 'sp500' });
const previousDay = dayToIso(aapl.dates[aapl.dates.length - 2]!);
const scenarios: Record<string, Timing[]> = { cold: [], incremental: [], stored: [] };
log(`load average before: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
for (let run = 0; run < runs; run++) {
  copyDatabase(base, runDatabase);
  scenarios['cold']!.push(runScanner(runDatabase));
  scenarios['stored']!.push(runScanner(runDatabase));
  copyDatabase(base, runDatabase);
  runScanner(runDatabase, ['--as-of', previousDay]);
  scenarios['incremental']!.push(runScanner(runDatabase));
  const show = (name: string) => `${name} ${scenarios[name]![run]!.seconds.toFixed(2)} s (CPU ${scenarios[name]![run]!.cpu.toFixed(1)} s)`;
  log(`run ${run + 1}/${runs}: ${show('cold')}, ${show('incremental')}, ${show('stored')}`);
}
log(`load average after: ${loadavg().map((value) => value.toFixed(2)).join(' ')}`);
log('');
log(`threads ${values.threads}`);
log('| scenario | median s | fastest s | median CPU s | phases of the fastest run (in-process) |');
log('| --- | --- | --- | --- | --- |');
for (const [name, timings] of Object.entries(scenarios)) {
  const fastest = [...timings].sort((a, b) => a.seconds - b.seconds)[0]!;
  log(`| ${name} | ${median(timings.map((timing) => timing.seconds)).toFixed(2)} | ${fastest.seconds.toFixed(2)} | ${median(timings.map((timing) => timing.cpu)).toFixed(1)} | ${fastest.phases} |`);
}
