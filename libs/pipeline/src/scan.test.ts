import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError, createFeatureMatrix, isQuantError, isoToDay, type Bars } from '@quant/core';
import { openDatabase } from '@quant/db';
import { TECHNICAL_FEATURE_NAMES, buildMarketContext, computeTechnicalFeatures } from '@quant/features';
import { createEmbeddedSource, type PriceSource } from '@quant/ingest';
import { modelFromJSON } from '@quant/models';
import { getSymbolInfo, getUniverse, loadBars } from '@quant/sample-data';
import { stackingFromJSON } from '@quant/stacking';
import { createPromotedModel, type PromotedFixture } from './__fixtures__/promoted-model.js';
import { scan, type ScanResult } from './scan.js';
import { FeatureSetMismatchError, NoPromotedModelError } from './scan-model.js';
import { SCAN_CSV_HEADER, parseCsvLine } from './scan-output.js';

const folders: string[] = [];
function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'quant-scan-'));
  folders.push(folder);
  return folder;
}
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

const clock = () => new Date('2021-05-15T12:00:00Z');
/** Scorable symbols of several sectors, and one of each unscorable kind. */
const SCORED = ['AAPL', 'MSFT', 'JPM', 'XOM', 'JNJ', 'AMZN', 'NVDA', 'PG', 'NEE', 'CAT', 'DIS', 'ARNC'];
const UNSCORABLE = { CHK: 'insufficient-history', MON: 'insufficient-history', VAR: 'stale', AET: 'stale', SCG: 'data-quality', ZZZZ: 'not-found', KO: 'download-failed' } as const;

/** The embedded source, except that KO's download fails the way a flaky network does. */
const flakySource: PriceSource = {
  name: 'embedded',
  async fetchPrices(symbol, range, signal) {
    if (symbol === 'KO') throw new NetworkError('KO: connection reset by peer (after 4 attempts)');
    return createEmbeddedSource({ dataset: 'sp500' }).fetchPrices(symbol, range, signal);
  },
};

/** What the model says for the symbols, computed here independently of the scan: full-universe context, last row. */
function expectedProbabilities(fixture: PromotedFixture, symbols: readonly string[], options: { asOf?: string; failed?: readonly string[] } = {}): Map<string, [number, number, number]> {
  const { asOf } = options;
  const universe = getUniverse('sp500');
  const all: Bars[] = [];
  for (const symbol of universe.symbols) {
    if (options.failed?.includes(symbol)) continue;
    try {
      const bars = loadBars(symbol, { dataset: 'sp500' });
      if (asOf === undefined) all.push(bars);
      else {
        let end = bars.dates.length;
        while (end > 0 && bars.dates[end - 1]! > isoToDay(asOf)) end--;
        if (end > 0) all.push({ ...bars, dates: bars.dates.subarray(0, end), open: bars.open.subarray(0, end), high: bars.high.subarray(0, end), low: bars.low.subarray(0, end), close: bars.close.subarray(0, end), adjustedClose: bars.adjustedClose.subarray(0, end), volume: bars.volume.subarray(0, end) });
      }
    } catch {
      // Symbols whose bars fail the data checks are not part of the scan's context either.
    }
  }
  const sectorOf = (symbol: string) => getSymbolInfo(symbol, { dataset: 'sp500' }).sector;
  const context = buildMarketContext(all, sectorOf);
  const values = new Float32Array(symbols.length * TECHNICAL_FEATURE_NAMES.length);
  symbols.forEach((symbol, row) => {
    const bars = all.find((series) => series.symbol === symbol)!;
    const matrix = computeTechnicalFeatures(bars, { ...context, sector: sectorOf(symbol) });
    for (let column = 0; column < matrix.columnCount; column++) values[column * symbols.length + row] = matrix.values[column * matrix.rowCount + matrix.rowCount - 1]!;
  });
  const X = createFeatureMatrix({ columns: TECHNICAL_FEATURE_NAMES, values, symbols, rowSymbols: Int32Array.from(symbols, (_, index) => index), rowDates: new Int32Array(symbols.length) });
  const model = fixture.file.classifier.kind === 'stacking' ? stackingFromJSON(fixture.file.classifier) : modelFromJSON(fixture.file.classifier);
  const probabilities = model.predictProba(X);
  return new Map(symbols.map((symbol, row) => [symbol, [probabilities[row * 3]!, probabilities[row * 3 + 1]!, probabilities[row * 3 + 2]!]]));
}

describe('scan with a promoted tree model', () => {
  let fixture: PromotedFixture;
  let folder: string;
  let result: ScanResult;

  beforeAll(async () => {
    folder = temporaryFolder();
    fixture = createPromotedModel(folder, { kind: 'boosting' });
    result = await scan(
      { symbols: [...SCORED, ...Object.keys(UNSCORABLE)], databasePath: fixture.databasePath, outputFolder: join(folder, 'output') },
      { now: clock, priceSource: flakySource },
    );
  }, 120_000);

  it('scores as of the last day of the data and lists every symbol it could not score, with the reason', () => {
    expect(result.asOf).toBe('2021-05-14');
    expect(result.requested).toBe(SCORED.length + Object.keys(UNSCORABLE).length);
    expect(result.rows.map((row) => row.symbol).sort()).toEqual([...SCORED].sort());
    expect(Object.fromEntries(result.unscored.map((entry) => [entry.symbol, entry.reason]))).toEqual(UNSCORABLE);
    const detail = (symbol: string) => result.unscored.find((entry) => entry.symbol === symbol)!.detail;
    expect(detail('CHK')).toMatch(/^66 bars; the features need 253/);
    expect(detail('VAR')).toMatch(/last bar 2021-04-15 is \d+ trading days before 2021-05-14/);
    expect(detail('KO')).toMatch(/NETWORK: KO: connection reset/);
    expect(detail('ZZZZ')).toMatch(/NOT_FOUND/);
    expect(detail('SCG')).toMatch(/DATA_QUALITY/);
  });

  it('ranks by the model probabilities: BUY by P(BUY), then SELL by P(SELL), then HOLD', () => {
    const expected = expectedProbabilities(fixture, SCORED, { failed: ['KO'] });
    for (const row of result.rows) {
      const [pSell, pHold, pBuy] = expected.get(row.symbol)!;
      expect([row.pSell, row.pHold, row.pBuy]).toEqual([pSell, pHold, pBuy]);
      const best = Math.max(pSell, pHold, pBuy);
      expect(row.signal).toBe(pBuy === best && pBuy > pHold ? 'BUY' : pSell === best && pSell > pHold ? 'SELL' : 'HOLD');
      expect(row.confidence).toBe(row.signal === 'BUY' ? pBuy : row.signal === 'SELL' ? pSell : pHold);
      expect(row.options).toBe(row.signal === 'BUY' ? 'CALLS' : row.signal === 'SELL' ? 'PUTS' : null);
    }
    // The ranking, rebuilt from the independent probabilities.
    const group = (symbol: string) => result.rows.find((row) => row.symbol === symbol)!.signal;
    const order = [...SCORED].sort((a, b) => {
      const rank = { BUY: 0, SELL: 1, HOLD: 2 } as const;
      const [sellA, , buyA] = expected.get(a)!;
      const [sellB, , buyB] = expected.get(b)!;
      const strength = (signal: string, sell: number, buy: number) => (signal === 'BUY' ? buy : signal === 'SELL' ? sell : Math.max(buy, sell));
      return rank[group(a)] - rank[group(b)] || strength(group(b), sellB, buyB) - strength(group(a), sellA, buyA) || (a < b ? -1 : 1);
    });
    expect(result.rows.map((row) => row.symbol)).toEqual(order);
    expect(result.rows.map((row) => row.rank)).toEqual(result.rows.map((_, index) => index + 1));
    // The fixture model is not constant: the scan has more than one signal or spread probabilities.
    expect(new Set(result.rows.map((row) => row.pBuy.toFixed(6))).size).toBeGreaterThan(3);
  });

  it('explains each BUY and SELL row with three features pushing the signal, from the explainer', () => {
    expect(result.rows.some((row) => row.signal !== 'HOLD')).toBe(true);
    for (const row of result.rows) {
      // HOLD rows are not explained (see scan.ts); signals always are.
      expect(row.topFeatures).toHaveLength(row.signal === 'HOLD' ? 0 : 3);
      const magnitudes = row.topFeatures.map((entry) => Math.abs(entry.shap));
      expect(magnitudes).toEqual([...magnitudes].sort((a, b) => b - a));
      for (const entry of row.topFeatures) expect(TECHNICAL_FEATURE_NAMES).toContain(entry.feature);
    }
  });

  it('writes CSV, JSON and database rows that agree with each other', () => {
    const csv = readFileSync(result.files.csv, 'utf8').trimEnd().split('\n');
    expect(parseCsvLine(csv[0]!)).toEqual([...SCAN_CSV_HEADER]);
    const json = JSON.parse(readFileSync(result.files.json, 'utf8')) as ScanResult & { formatVersion: number };
    expect(json.formatVersion).toBe(1);
    const database = openDatabase(fixture.databasePath);
    try {
      const day = isoToDay(result.asOf);
      const stored = database.predictions.predictions(fixture.modelId, day);
      expect(csv.length - 1).toBe(result.rows.length);
      expect(json.rows).toHaveLength(result.rows.length);
      expect(stored).toHaveLength(result.rows.length);
      result.rows.forEach((row, index) => {
        const fields = parseCsvLine(csv[index + 1]!);
        const record = Object.fromEntries(SCAN_CSV_HEADER.map((name, column) => [name, fields[column]!]));
        const fromJson = json.rows[index]!;
        const fromDb = stored[index]!;
        for (const [rank, symbol, signal, pBuy, pHold, pSell, confidence] of [
          [Number(record['rank']), record['symbol'], record['signal'], Number(record['p_buy']), Number(record['p_hold']), Number(record['p_sell']), Number(record['confidence'])],
          [fromJson.rank, fromJson.symbol, fromJson.signal, fromJson.pBuy, fromJson.pHold, fromJson.pSell, fromJson.confidence],
          [fromDb.rank, fromDb.symbol, fromDb.signal, fromDb.pBuy, fromDb.pHold, fromDb.pSell, fromDb.confidence],
        ] as const) {
          expect({ rank, symbol, signal, pBuy, pHold, pSell, confidence }).toEqual({
            rank: row.rank, symbol: row.symbol, signal: row.signal, pBuy: row.pBuy, pHold: row.pHold, pSell: row.pSell, confidence: row.confidence,
          });
        }
        expect(record['options']).toBe(row.options ?? '');
        expect(record['feature_1']).toBe(row.topFeatures[0]?.feature ?? '');
        if (row.topFeatures.length > 0) expect(Number(record['shap_1'])).toBe(row.topFeatures[0]!.shap);
        expect(fromJson.topFeatures).toEqual(row.topFeatures);
        expect(fromDb.topFeatures).toEqual(JSON.parse(JSON.stringify(row.topFeatures)));
      });

      const sectors = database.predictions.sectorPerformance(fixture.modelId, day);
      expect(sectors.map((sector) => sector.sector)).toEqual(json.sectors.map((sector) => sector.sector));
      expect(sectors.reduce((sum, sector) => sum + sector.symbols, 0)).toBe(result.rows.length);
      for (const sector of sectors) {
        const members = result.rows.filter((row) => (row.sector ?? 'Unclassified') === sector.sector);
        expect(sector.symbols).toBe(members.length);
        expect(sector.buyCount).toBe(members.filter((row) => row.signal === 'BUY').length);
        expect(sector.sellCount).toBe(members.filter((row) => row.signal === 'SELL').length);
        expect(sector.meanPBuy).toBeCloseTo(members.reduce((sum, row) => sum + row.pBuy, 0) / members.length, 12);
        const returns = members.map((row) => row.return20d!);
        expect(sector.return20d).toBeCloseTo(returns.reduce((sum, value) => sum + value, 0) / returns.length, 12);
      }

      const drift = database.predictions.drift(fixture.modelId, day);
      expect(drift).toHaveLength(TECHNICAL_FEATURE_NAMES.length);
      expect(json.drift.features).toHaveLength(TECHNICAL_FEATURE_NAMES.length);
      const psi = new Map(json.drift.features.map((entry) => [entry.feature, entry.psi]));
      for (const entry of drift) expect(entry.psi).toBeCloseTo(psi.get(entry.feature)!, 12);
      expect(result.drift.summary.rows).toBe(20 * SCORED.length);
    } finally {
      database.close();
    }

    const unscored = readFileSync(result.files.unscoredCsv, 'utf8').trimEnd().split('\n').slice(1).map(parseCsvLine);
    expect(unscored.map((fields) => [fields[0], fields[2]])).toEqual(result.unscored.map((entry) => [entry.symbol, entry.reason]));
    expect(json.unscored).toEqual(result.unscored);
  });

  it('computes only the newest bars of the next scan, and nothing when the same day is scanned again', async () => {
    const subset = ['AAPL', 'MSFT', 'JPM'];
    const folderForRuns = temporaryFolder();
    const local = createPromotedModel(folderForRuns, { kind: 'boosting' });
    const options = { symbols: subset, databasePath: local.databasePath, outputFolder: join(folderForRuns, 'output') };
    const first = await scan({ ...options, asOf: '2021-05-12' }, { now: clock });
    expect(first.featureStore).toMatchObject({ computed: 3, streamed: 0, stored: 0, written: 3 });
    const second = await scan(options, { now: clock });
    expect(second.asOf).toBe('2021-05-14');
    // Two new trading days (13th and 14th) per symbol, streamed.
    expect(second.featureStore).toMatchObject({ computed: 0, streamed: 3, stored: 0, computedBars: 6, written: 3 });
    const third = await scan(options, { now: clock });
    expect(third.featureStore).toMatchObject({ computed: 0, streamed: 0, stored: 3, computedBars: 0, written: 0 });
    // The incremental scan scores exactly what a full computation gives.
    const expected = expectedProbabilities(local, subset);
    for (const row of second.rows) {
      const [pSell, pHold, pBuy] = expected.get(row.symbol)!;
      expect(row.pSell).toBeCloseTo(pSell, 9);
      expect(row.pHold).toBeCloseTo(pHold, 9);
      expect(row.pBuy).toBeCloseTo(pBuy, 9);
    }
    expect(third.rows).toEqual(second.rows);
    // As of an earlier day, the first scan's answer comes back.
    const again = await scan({ ...options, asOf: '2021-05-12' }, { now: clock });
    expect(again.rows).toEqual(first.rows);
    expect(again.featureStore.computed).toBe(0);
  }, 120_000);
});

describe('scan with live prices', () => {
  it('stores the prices, fetches only the days after the stored ones, and recomputes a history a dividend rescaled', async () => {
    const folder = temporaryFolder();
    const fixture = createPromotedModel(folder, { kind: 'boosting' });
    const embedded = createEmbeddedSource({ dataset: 'sp500' });
    let today = isoToDay('2021-05-11');
    let dividendFor: string | null = null;
    const requests: { symbol: string; from: number | undefined }[] = [];
    // Yahoo as seen on three days: everything up to "today", a failed download for one symbol, and on the last day a
    // dividend for one symbol (which rescales its adjusted history).
    const yahoo: PriceSource = {
      name: 'yahoo',
      async fetchPrices(symbol, range = {}, signal) {
        requests.push({ symbol, from: range.from });
        if (symbol === 'KO') throw new NetworkError('KO: timed out after 3 retries');
        const history = await embedded.fetchPrices(symbol, { ...range, to: Math.min(range.to ?? today, today) }, signal);
        return symbol === dividendFor ? { ...history, dividends: [{ date: isoToDay('2021-05-13'), amount: 0.22 }] } : history;
      },
    };
    const options = { source: 'live' as const, symbols: ['AAPL', 'MSFT', 'KO'], databasePath: fixture.databasePath, outputFolder: join(folder, 'output') };
    const first = await scan(options, { now: clock, priceSource: yahoo });
    expect(first.asOf).toBe('2021-05-11');
    expect(first.rows.map((row) => row.symbol).sort()).toEqual(['AAPL', 'MSFT']);
    expect(first.unscored).toEqual([expect.objectContaining({ symbol: 'KO', reason: 'download-failed', detail: 'NETWORK: KO: timed out after 3 retries' })]);
    expect(requests.filter((request) => request.from !== undefined)).toHaveLength(0);

    today = isoToDay('2021-05-12');
    requests.length = 0;
    const second = await scan(options, { now: clock, priceSource: yahoo });
    expect(second.asOf).toBe('2021-05-12');
    // Every stored symbol asks only for the days after its last stored one; KO, never stored, for everything.
    expect(requests.find((request) => request.symbol === 'AAPL')!.from).toBe(isoToDay('2021-05-12'));
    expect(requests.find((request) => request.symbol === 'KO')!.from).toBeUndefined();
    expect(second.featureStore).toMatchObject({ streamed: 2, computed: 0, computedBars: 2 });

    today = isoToDay('2021-05-14');
    dividendFor = 'AAPL';
    const third = await scan(options, { now: clock, priceSource: yahoo });
    // AAPL's stored rows belong to the history before the dividend: its features are computed afresh.
    expect(third.featureStore).toMatchObject({ streamed: 1, computed: 1 });
    const database = openDatabase(fixture.databasePath);
    try {
      const stored = database.prices.read('AAPL');
      expect(stored.dates[stored.dates.length - 1]).toBe(isoToDay('2021-05-14'));
      expect(Array.from(stored.adjustedClose)).toEqual(Array.from(loadBars('AAPL', { dataset: 'sp500' }).adjustedClose));
    } finally {
      database.close();
    }
  }, 180_000);
});

describe('scan with a promoted stack', () => {
  it('restores the stack, explains with its tree base model, and scores as of an earlier day', async () => {
    const folder = temporaryFolder();
    const fixture = createPromotedModel(folder, { kind: 'stacking' });
    const symbols = ['AAPL', 'XOM', 'JPM', 'PFE', 'WMT'];
    const result = await scan({ symbols, asOf: '2020-03-20', databasePath: fixture.databasePath, outputFolder: join(folder, 'output') }, { now: clock });
    expect(result.model).toBe('stacking');
    expect(result.explainer).toBe('xgboost');
    expect(result.asOf).toBe('2020-03-20');
    const expected = expectedProbabilities(fixture, symbols, { asOf: '2020-03-20' });
    for (const row of result.rows) {
      expect(row.barDate).toBe('2020-03-20');
      const [pSell, pHold, pBuy] = expected.get(row.symbol)!;
      expect([row.pSell, row.pHold, row.pBuy]).toEqual([pSell, pHold, pBuy]);
      expect(row.topFeatures).toHaveLength(row.signal === 'HOLD' ? 0 : 3);
    }
    expect(result.files.csv).toMatch(/scan-2020-03-20\.csv$/);
  }, 120_000);
});

describe('refusals', () => {
  it('refuses when there is no database or no promoted model, saying to run the trainer', async () => {
    const folder = temporaryFolder();
    const missing = scan({ databasePath: join(folder, 'none.db'), outputFolder: folder }, { now: clock });
    await expect(missing).rejects.toBeInstanceOf(NoPromotedModelError);
    await expect(missing).rejects.toThrow(/run `npx nx run trainer:train` first/);

    const fixture = createPromotedModel(folder, { promote: false });
    const none = scan({ databasePath: fixture.databasePath, outputFolder: folder }, { now: clock });
    await expect(none).rejects.toBeInstanceOf(NoPromotedModelError);
    await expect(none).rejects.toThrow(/no model has been promoted in .*quant\.db: run `npx nx run trainer:train`/);
    const error = await none.catch((caught: unknown) => caught);
    expect(isQuantError(error, 'NOT_FOUND')).toBe(true);
  });

  it('refuses a model trained on another feature-set version', async () => {
    const folder = temporaryFolder();
    const fixture = createPromotedModel(folder, { featureSetVersion: 'technical-179-00000000' });
    const attempt = scan({ databasePath: fixture.databasePath, outputFolder: folder }, { now: clock });
    await expect(attempt).rejects.toBeInstanceOf(FeatureSetMismatchError);
    await expect(attempt).rejects.toThrow(/trained on feature set technical-179-00000000, but this code computes technical-179-[0-9a-f]{8}.*Retrain/);
    const error = await attempt.catch((caught: unknown) => caught);
    expect(isQuantError(error, 'INCOMPATIBLE_VERSION')).toBe(true);
  });

  it('refuses a model that uses event features the scanner does not compute', async () => {
    const folder = temporaryFolder();
    const fixture = createPromotedModel(folder, { extraColumns: ['event_earnings_days_since'] });
    await expect(scan({ databasePath: fixture.databasePath, outputFolder: folder }, { now: clock })).rejects.toThrow(
      /uses 1 feature\(s\) the scanner does not compute \(event_earnings_days_since\)/,
    );
  });

  it('refuses a promotion whose model file is gone or corrupt', async () => {
    const folder = temporaryFolder();
    const fixture = createPromotedModel(folder);
    rmSync(fixture.modelPath);
    await expect(scan({ databasePath: fixture.databasePath, outputFolder: folder }, { now: clock })).rejects.toThrow(/the file of promoted model .* is missing/);
    writeFileSync(fixture.modelPath, '{"formatVersion": 1, "runId": ');
    await expect(scan({ databasePath: fixture.databasePath, outputFolder: folder }, { now: clock })).rejects.toThrow(/cannot read the model file/);
  });

  it('refuses a stack whose named explainer is not one of its base models', async () => {
    const folder = temporaryFolder();
    const fixture = createPromotedModel(folder, { kind: 'stacking' });
    writeFileSync(fixture.modelPath, JSON.stringify({ ...fixture.file, explainer: 'lightgbm' }));
    await expect(scan({ databasePath: fixture.databasePath, outputFolder: folder }, { now: clock })).rejects.toThrow(
      /explainer "lightgbm": no base model named "lightgbm"; the stack has xgboost, random-forest/,
    );
  });

  it('refuses bad options naming the value', async () => {
    await expect(scan({ asOf: '2021-02-30' }, { now: clock })).rejects.toThrow(/"2021-02-30" is not a calendar date/);
    await expect(scan({ symbols: ['aapl'] }, { now: clock })).rejects.toThrow(/not a ticker symbol: "aapl"/);
  });
});
