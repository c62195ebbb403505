import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IncompatibleVersionError, InvalidArgumentError, NotFoundError, createBars, isoToDay, sliceBars, type SymbolInfo } from '@quant/core';
import { getSymbolInfo, loadBars } from '@quant/sample-data';
import { MIGRATIONS, SCHEMA_VERSION, TABLES, openDatabase, type QuantDatabase } from './index.js';

let directory: string;
let database: QuantDatabase;
const aaplInfo: SymbolInfo = getSymbolInfo('AAPL');

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'quant-db-'));
  database = openDatabase(join(directory, 'test.sqlite'));
  database.symbols.upsert([aaplInfo, { symbol: 'MSFT', name: 'Microsoft', kind: 'stock', sector: 'Information Technology', capTier: 'large', cik: '789019' }]);
});
afterEach(() => {
  database.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('schema and migrations', () => {
  it('creates the 15 tables, the referenced tables and the migration log, with WAL, foreign keys and a busy timeout', () => {
    const tables = (database.connection.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((row) => row.name);
    expect(tables).toEqual(expect.arrayContaining([...TABLES, 'symbols', 'feature_sets', 'schema_migrations']));
    expect(TABLES).toHaveLength(15);
    expect(database.schemaVersion).toBe(SCHEMA_VERSION);
    expect(database.appliedMigrations).toEqual(MIGRATIONS.map((migration) => migration.version));
    expect(database.connection.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.connection.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(database.connection.pragma('busy_timeout', { simple: true })).toBe(10_000);
  });

  it('applies nothing when the file is current, and refuses a file newer than the code', () => {
    const path = database.path;
    database.close();
    const again = openDatabase(path);
    expect(again.appliedMigrations).toEqual([]);
    again.connection.prepare("INSERT INTO schema_migrations (version, name) VALUES (?, 'from the future')").run(SCHEMA_VERSION + 1);
    again.close();
    expect(() => openDatabase(path)).toThrowError(IncompatibleVersionError);
    expect(() => openDatabase(path)).toThrowError(new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this code`));
    database = openDatabase(join(directory, 'other.sqlite'));
  });

  it('applies a new migration forward, in a transaction, and rolls back a failing one whole', () => {
    const path = database.path;
    database.close();
    const next = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, name: 'add notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT) STRICT;' }];
    const upgraded = openDatabase(path, { migrations: next });
    expect(upgraded.appliedMigrations).toEqual([SCHEMA_VERSION + 1]);
    upgraded.close();
    const broken = [...next, { version: SCHEMA_VERSION + 2, name: 'broken', sql: 'CREATE TABLE half (id INTEGER); CREATE TABLE notes (x);' }];
    expect(() => openDatabase(path, { migrations: broken })).toThrowError(/already exists/);
    const check = openDatabase(path, { migrations: next });
    expect(check.schemaVersion).toBe(SCHEMA_VERSION + 1);
    expect(check.connection.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half'").get()).toEqual({ n: 0 });
    check.close();
    database = openDatabase(path, { migrations: next });
  });
});

describe('prices', () => {
  it('stores real bars and reads them back exactly', () => {
    const bars = loadBars('AAPL');
    expect(database.prices.upsert(bars, 'embedded')).toEqual({ changed: 1259, rows: 1259 });
    const read = database.prices.read('AAPL');
    expect(Array.from(read.dates)).toEqual(Array.from(bars.dates));
    expect(Array.from(read.adjustedClose)).toEqual(Array.from(bars.adjustedClose));
    expect(Array.from(read.volume)).toEqual(Array.from(bars.volume));
    expect(database.prices.dateRange('AAPL')).toEqual({ first: isoToDay('2016-05-16'), last: isoToDay('2021-05-14'), count: 1259 });
    const window = database.prices.read('AAPL', { from: isoToDay('2021-05-10'), to: isoToDay('2021-05-14') });
    expect(window.dates.length).toBe(5);
  });

  it('is idempotent: re-ingesting the same bars changes nothing; a changed bar changes one row', () => {
    const bars = loadBars('AAPL');
    database.prices.upsert(bars, 'embedded');
    expect(database.prices.upsert(bars, 'embedded').changed).toBe(0);
    const edited = createBars({ ...bars, close: Float64Array.from(bars.close, (value, index) => (index === 10 ? value + 0.01 : value)) });
    expect(database.prices.upsert(edited, 'embedded').changed).toBe(1);
    expect(database.prices.count()).toBe(1259);
  });

  it('refuses NaN, non-positive prices and unsorted dates with a clear message, storing nothing', () => {
    const bars = sliceBars(loadBars('AAPL'), 0, 30);
    const poisoned = createBars({ ...bars, open: Float64Array.from(bars.open, (value, index) => (index === 20 ? Number.NaN : value)) });
    expect(() => database.prices.upsert(poisoned, 'embedded')).toThrowError('AAPL 2016-06-14: open must be finite and positive, got NaN');
    const negative = createBars({ ...bars, volume: Float64Array.from(bars.volume, (value, index) => (index === 3 ? -1 : value)) });
    expect(() => database.prices.upsertMany([bars, negative], 'embedded')).toThrowError(/volume must be finite and non-negative, got -1/);
    const unsorted = createBars({ ...bars, dates: Int32Array.from(bars.dates).reverse() });
    expect(() => database.prices.upsert(unsorted, 'embedded')).toThrowError(/strictly increasing/);
    expect(database.prices.count()).toBe(0);
  });

  it('refuses an unknown symbol instead of storing an orphan, and the schema refuses what slips past', () => {
    const bars = createBars({ symbol: 'ZZZZ', dates: [1], open: [1], high: [1], low: [1], close: [1], volume: [1] });
    expect(() => database.prices.upsert(bars, 'embedded')).toThrowError(NotFoundError);
    expect(() => database.prices.upsert(bars, 'embedded')).toThrowError(/unknown symbol "ZZZZ"/);
    const raw = database.connection.prepare('INSERT INTO price_data (symbol_id, date, open, high, low, close, adjusted_close, volume, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const aaplId = database.symbols.id('AAPL');
    expect(() => raw.run(99_999, 1, 1, 1, 1, 1, 1, 1, 'x')).toThrowError(/FOREIGN KEY/);
    expect(() => raw.run(aaplId, 1, 'abc', 1, 1, 1, 1, 1, 'x')).toThrowError(/cannot store TEXT value in REAL column/);
    expect(() => raw.run(aaplId, 1, -5, 1, 1, 1, 1, 1, 'x')).toThrowError(/CHECK constraint failed/);
    expect(() => database.connection.prepare("INSERT INTO model_predictions (model_id, symbol, date, signal, p_sell, p_hold, p_buy, confidence, top_features) VALUES ('m', 'ZZZZ', 1, 'BUY', 0, 0, 1, 1, '[]')").run()).toThrowError(/FOREIGN KEY/);
    expect(database.prices.count()).toBe(0);
  });
});

describe('feature store', () => {
  const columns = ['ret_1', 'rsi_14', 'vol_20'];
  const block = (symbol: string, offset: number) => ({
    symbol,
    dates: Int32Array.from([100, 101, 102, 105]),
    values: Float64Array.from({ length: 12 }, (_, index) => (index === 5 ? Number.NaN : offset + index / 8)),
  });

  it('writes and reads blocks of a version as one matrix, keeping NaN', () => {
    database.features.registerFeatureSet('v1', columns);
    database.features.write('v1', [block('AAPL', 0), block('MSFT', 100)]);
    const matrix = database.features.read('v1');
    expect(matrix.rowCount).toBe(8);
    expect(matrix.columns).toEqual(columns);
    expect(matrix.symbols).toEqual(['AAPL', 'MSFT']);
    // Column rsi_14 (index 1): AAPL rows then MSFT rows.
    const rsi = Array.from(matrix.values.subarray(8, 16));
    expect(rsi.slice(0, 4)).toEqual([0.5, Number.NaN, 0.75, 0.875]);
    expect(rsi.slice(4)).toEqual([100.5, Number.NaN, 100.75, 100.875].map(Math.fround));
    expect(Array.from(matrix.rowDates.subarray(4))).toEqual([100, 101, 102, 105]);
  });

  it('never mixes feature-set versions: a changed column list needs a new version', () => {
    database.features.registerFeatureSet('v1', columns);
    database.features.write('v1', [block('AAPL', 0)]);
    expect(() => database.features.registerFeatureSet('v1', [...columns, 'extra'])).toThrowError(/needs a new version/);
    database.features.registerFeatureSet('v2', [...columns, 'extra']);
    expect(() => database.features.write('v2', [block('AAPL', 0)])).toThrowError(/do not fill 4 rows x 4 columns/);
    expect(database.features.list('v2')).toEqual([]);
    expect(() => database.features.read('v2', ['AAPL'])).toThrowError(/no features of "AAPL" for feature set v2/);
    expect(() => database.features.write('v9', [block('AAPL', 0)])).toThrowError(/not registered/);
  });
});

describe('runs, predictions, events', () => {
  it('records a run with its evaluation, backtest, trades, SHAP and promotion', () => {
    database.features.registerFeatureSet('v1', ['a']);
    database.runs.start({ runId: 'run-1', universe: 'core', seed: 7, config: { models: ['logreg'] }, featureSetVersion: 'v1' });
    database.runs.recordPerformance([
      { runId: 'run-1', model: 'logreg', fold: 0, rows: 100, accuracy: 0.5, balancedAccuracy: 0.4, macroF1: 0.38, logLoss: 0.97, topDecileBuyPrecision: 0.3, perClass: { BUY: { precision: 0.3 } }, confusion: [[1, 2, 3], [4, 5, 6], [7, 8, 9]], trainSeconds: 1.5 },
    ]);
    database.runs.recordBacktest({ runId: 'run-1', model: 'logreg', trades: 2, winRate: 0.5, averageWin: 0.1, averageLoss: -0.05, profitFactor: 2, sharpe: 1.1, maxDrawdown: 0.05, totalReturn: 0.05, benchmarkReturn: 0.02, settings: { cost: 0.001 } });
    database.runs.recordTrades([
      { runId: 'run-1', model: 'logreg', symbol: 'AAPL', signal: 'BUY', entryDate: 10, entryPrice: 100, exitDate: 20, exitPrice: 110, exitReason: 'target', return: 0.1, cost: 0.001 },
    ]);
    database.runs.recordShap([{ runId: 'run-1', model: 'logreg', feature: 'a', class: 'ALL', meanAbsShap: 0.2, rank: 1 }]);
    expect(database.runs.promotedModel()).toBeUndefined();
    database.runs.recordPromotion({ runId: 'run-1', modelId: 'stack-1', featureSetVersion: 'v1', promoted: true, reasons: ['beats both baselines'], metrics: { macroF1: 0.44 }, artifactPath: 'models/stack-1' });
    database.runs.finish('run-1', 'completed', { seconds: 12 });

    expect(database.runs.get('run-1')).toMatchObject({ status: 'completed', seed: 7, config: { models: ['logreg'] }, summary: { seconds: 12 } });
    expect(database.runs.performance('run-1')[0]).toMatchObject({ macroF1: 0.38, confusion: [[1, 2, 3], [4, 5, 6], [7, 8, 9]] });
    expect(database.runs.backtests('run-1')[0]).toMatchObject({ trades: 2, settings: { cost: 0.001 } });
    expect(database.runs.trades('run-1')).toHaveLength(1);
    expect(database.runs.shap('run-1', 'logreg')[0]!.feature).toBe('a');
    expect(database.runs.promotedModel()).toMatchObject({ modelId: 'stack-1', promoted: true, reasons: ['beats both baselines'] });
    expect(() => database.runs.recordPerformance([{ runId: 'run-1', model: 'x', fold: 0, rows: 1, accuracy: 1.5, balancedAccuracy: null, macroF1: null, logLoss: null, topDecileBuyPrecision: null, perClass: {}, confusion: [], trainSeconds: null }])).toThrowError(/accuracy must be in \[0, 1\], got 1.5/);
  });

  it('records predictions, sector summaries, drift and replay rows, refusing probabilities that do not sum to 1', () => {
    const prediction = { modelId: 'm', symbol: 'AAPL', date: 50, signal: 'BUY' as const, pSell: 0.1, pHold: 0.3, pBuy: 0.6, confidence: 0.6, rank: 1, topFeatures: [{ feature: 'rsi_14', value: 0.2 }] };
    database.predictions.recordPredictions([prediction]);
    expect(database.predictions.predictions('m', 50)).toEqual([prediction]);
    expect(() => database.predictions.recordPredictions([{ ...prediction, pBuy: 0.7 }])).toThrowError(/probabilities sum to 1.1/);
    expect(() => database.predictions.recordPredictions([{ ...prediction, signal: 'LONG' as never }])).toThrowError(/must be SELL, HOLD or BUY/);
    database.predictions.recordSectorPerformance([{ modelId: 'm', date: 50, sector: 'Information Technology', symbols: 1, buyCount: 1, holdCount: 0, sellCount: 0, meanPBuy: 0.6, meanPSell: 0.1, return20d: 0.02 }]);
    expect(database.predictions.sectorPerformance('m', 50)).toHaveLength(1);
    database.predictions.recordDrift([{ modelId: 'm', date: 50, feature: 'rsi_14', psi: 0.3, ksStatistic: 0.2, ksPValue: 0.01, status: 'drift' }]);
    expect(database.predictions.drift('m', 50)[0]!.status).toBe('drift');
    database.predictions.recordErrors([{ modelId: 'm', symbol: 'AAPL', date: 40, trueLabel: 'SELL', predictedLabel: 'BUY', pTrue: 0.1, loss: 2.3 }]);
    expect(database.predictions.errors('m')[0]!.loss).toBe(2.3);
  });

  it('stores events idempotently, keeps the rare-event archive and packed event features', () => {
    const event = { symbol: 'AAPL', source: 'sec' as const, sourceId: '0000320193-20-000062', eventType: 'earnings', publishedAt: '2020-07-30T16:30:31-04:00', effectiveDate: isoToDay('2020-07-31'), severity: 0.4, impactDividend: 0, impactLiquidity: 0, impactCredit: 0, sentiment: null, title: '8-K 2.02', items: '2.02,9.01', rare: false, payload: null };
    expect(database.events.upsertEvents([event, { ...event, eventType: 'bankruptcy', severity: 1, rare: true }])).toBe(2);
    database.events.upsertEvents([event]);
    expect(database.events.events('AAPL')).toHaveLength(2);
    expect(database.events.rareEvents().map((row) => row.eventType)).toEqual(['bankruptcy']);
    expect(() => database.events.upsertEvents([{ ...event, publishedAt: 'yesterday' }])).toThrowError(InvalidArgumentError);
    database.features.registerFeatureSet('events-v1', ['a', 'b']);
    database.events.writeEventFeatures('events-v1', 'AAPL', Int32Array.from([1, 2]), Float64Array.from([0, 1, 2, 3]), 2);
    expect(database.events.readEventFeatures('events-v1', 'AAPL')).toEqual({ dates: Int32Array.from([1, 2]), values: Float64Array.from([0, 1, 2, 3]), featureCount: 2 });
    database.events.upsertDynamicEvents([{ symbol: 'AAPL', date: 5, kind: 'gap_up', magnitude: 0.06, details: { open: 1 } }]);
    expect(database.events.dynamicEvents('AAPL')).toEqual([{ symbol: 'AAPL', date: 5, kind: 'gap_up', magnitude: 0.06, details: { open: 1 } }]);
  });
});
