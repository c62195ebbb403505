import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '@quant/db';
import { createMemoryCheckpoint } from './run-checkpoint.js';
import { resolveTrainOptions } from './options.js';
import { train, type TrainResult } from './train.js';
import type { RunReporter } from './reporter.js';
import { readPromotedModelFile } from './artifact.js';

const folder = mkdtempSync(join(tmpdir(), 'quant-train-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function recordingReporter(): RunReporter & { lines: string[] } {
  const lines: string[] = [];
  const record = (kind: string) => (...args: unknown[]) => lines.push(`${kind} ${JSON.stringify(args)}`);
  return {
    lines,
    phaseStart: record('phaseStart'),
    phaseProgress: record('phaseProgress'),
    phaseEnd: record('phaseEnd'),
    symbol: record('symbol'),
    model: record('model'),
    fitProgress: () => {},
    info: record('info'),
    warn: record('warn'),
  };
}

describe('train', () => {
  const options = resolveTrainOptions({
    symbols: ['AEO', 'AIG', 'ALB', 'AON', 'AVY', 'CF', 'NOPE'],
    models: ['logistic-regression', 'naive-bayes', 'random-forest'],
    folds: 2,
    innerFolds: 2,
    sampleStride: 3,
    threads: 1,
    seed: 3,
    databasePath: join(folder, 'q.db'),
    outputFolder: join(folder, 'out'),
    checkpointFolder: join(folder, 'checkpoint'),
  });
  let clock = Date.parse('2026-01-02T10:00:00Z');
  const now = () => new Date((clock += 250));
  let result: TrainResult;
  const reporter = recordingReporter();

  it('trains, evaluates every model beside both baselines and records a failing symbol', async () => {
    result = await train(options, { checkpoint: createMemoryCheckpoint('run-test'), reporter, now });
    expect(result.symbols.completed).toBe(6);
    expect(result.symbols.failed.map((failure) => [failure.symbol, failure.code])).toEqual([['NOPE', 'NOT_FOUND']]);
    expect(result.models.map((model) => model.name).sort()).toEqual(['logistic-regression', 'majority', 'naive-bayes', 'random-forest', 'stacking', 'volatility-only']);
    for (const model of result.models) {
      expect(model.folds).toHaveLength(2);
      expect(model.mean.macroF1).toBeGreaterThan(0);
      expect(model.mean.logLoss).toBeGreaterThan(0);
    }
    // Walk-forward: every test block starts after its training window ends (purge + embargo in between).
    for (const fold of result.folds) expect(fold.testStart > fold.trainEnd).toBe(true);
    // One line per symbol, with its sample count.
    expect(reporter.lines.filter((line) => line.startsWith('symbol'))).toHaveLength(6);
    expect(reporter.lines.some((line) => line.includes('NOPE') && line.startsWith('warn'))).toBe(true);
  }, 300_000);

  it('writes the database tables and the results file', () => {
    const database = openDatabase(options.databasePath);
    try {
      const run = database.runs.get('run-test');
      expect(run?.status).toBe('completed');
      const performance = database.runs.performance('run-test');
      expect(performance).toHaveLength(6 * 2);
      const majority = performance.find((row) => row.model === 'majority' && row.fold === 0)!;
      expect(majority.macroF1).toBeCloseTo(result.models.find((model) => model.name === 'majority')!.folds[0]!.macroF1, 12);
      const backtests = database.runs.backtests('run-test');
      expect(backtests).toHaveLength(1);
      expect(database.runs.trades('run-test')).toHaveLength(backtests[0]!.trades);
      const verdicts = database.connection.prepare('SELECT model_id, promoted FROM model_promotion_history WHERE run_id = ?').all('run-test') as { model_id: string; promoted: number }[];
      expect(verdicts.length).toBe(result.promotion.verdicts.length);
      expect(verdicts.filter((row) => row.promoted === 1).length).toBe(result.promotion.promoted === null ? 0 : 1);
      if (result.shap !== null) expect(database.runs.shap('run-test', result.shap.model).length).toBe(4 * result.columns.length);
    } finally {
      database.close();
    }
    const stored = JSON.parse(readFileSync(result.resultsPath, 'utf8')) as TrainResult;
    expect(stored.models).toEqual(JSON.parse(JSON.stringify(result.models)));
    if (result.promotion.artifactPath !== null) {
      const file = readPromotedModelFile(result.promotion.artifactPath);
      expect(file.columns).toEqual(result.columns);
      expect(file.featureReferences).toHaveLength(result.columns.length);
    }
  });
});

describe('train with event features', () => {
  it('trains on the 202-column layout, with stored events in the event columns', async () => {
    const eventsFolder = mkdtempSync(join(tmpdir(), 'quant-train-events-'));
    try {
      const options = resolveTrainOptions({
        symbols: ['AEO', 'AIG', 'ALB', 'AON'],
        models: ['naive-bayes', 'logistic-regression'],
        events: true,
        folds: 2,
        innerFolds: 2,
        sampleStride: 4,
        databasePath: join(eventsFolder, 'q.db'),
        outputFolder: join(eventsFolder, 'out'),
        checkpointFolder: join(eventsFolder, 'checkpoint'),
      });
      // A dividend cut of AIG, stored before the run (as a live run or an import would).
      const database = openDatabase(options.databasePath);
      database.symbols.upsert([{ symbol: 'AIG', name: 'AIG', kind: 'stock', sector: 'Financials', capTier: 'large', cik: null }]);
      database.events.upsertEvents([
        { symbol: 'AIG', source: 'sec', sourceId: '0000005272-16-000001', eventType: 'dividend', publishedAt: '2016-03-01T21:00:00.000Z', effectiveDate: 16862, severity: 0.5, impactDividend: -1, impactLiquidity: 0, impactCredit: 0, sentiment: null, title: 'dividend cut', items: '8.01', rare: false, payload: {} },
      ]);
      database.close();
      let clock = 0;
      const result = await train(options, { checkpoint: createMemoryCheckpoint('run-events'), now: () => new Date((clock += 100)) });
      expect(result.columns).toHaveLength(202);
      expect(result.columns.slice(179, 182)).toEqual(['event_count_refinancing_7d', 'event_count_refinancing_30d', 'event_count_refinancing_90d']);
      expect(result.featureSetVersion).toMatch(/^technical-179-.*\+event-23-/);
      const stored = openDatabase(options.databasePath);
      try {
        const matrix = stored.features.read(result.featureSetVersion, ['AIG']);
        const column = matrix.columns.indexOf('event_count_dividend_30d');
        const day = matrix.rowDates.indexOf(16862 + 7);
        expect(day).toBeGreaterThan(0);
        expect(matrix.values[column * matrix.rowCount + day]).toBe(1);
        expect(matrix.values[column * matrix.rowCount + day - 20]).toBe(0);
      } finally {
        stored.close();
      }
    } finally {
      rmSync(eventsFolder, { recursive: true, force: true });
    }
  }, 300_000);
});
