import { InvalidArgumentError, LABELS, type Label } from '@quant/core';
import type { Connection } from './database.js';
import { requireFinite, requireInteger, requireProbability, requireText, toJson } from './validate.js';

export interface PredictionRow {
  readonly modelId: string;
  readonly symbol: string;
  readonly date: number;
  readonly signal: Label;
  readonly pSell: number;
  readonly pHold: number;
  readonly pBuy: number;
  readonly confidence: number;
  readonly rank: number | null;
  readonly topFeatures: unknown;
}

export interface SectorPerformanceRow {
  readonly modelId: string;
  readonly date: number;
  readonly sector: string;
  readonly symbols: number;
  readonly buyCount: number;
  readonly holdCount: number;
  readonly sellCount: number;
  readonly meanPBuy: number | null;
  readonly meanPSell: number | null;
  readonly return20d: number | null;
}

export interface DriftRow {
  readonly modelId: string;
  readonly date: number;
  readonly feature: string;
  readonly psi: number;
  readonly ksStatistic: number;
  readonly ksPValue: number;
  readonly status: 'stable' | 'warning' | 'drift';
}

export interface ReplayRow {
  readonly modelId: string;
  readonly symbol: string;
  readonly date: number;
  readonly trueLabel: Label;
  readonly predictedLabel: Label;
  readonly pTrue: number;
  readonly loss: number;
}

function requireLabel(value: unknown, what: string): Label {
  if (!LABELS.includes(value as Label)) throw new InvalidArgumentError(`${what} must be SELL, HOLD or BUY, got ${JSON.stringify(value)}`);
  return value as Label;
}

/** What the scanner writes: predictions, sector summaries, drift, and misclassified samples for replay. */
export class PredictionRepository {
  readonly #connection: Connection;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  /** Writes one scan's predictions in one transaction (a (model, date, symbol) written again is replaced). */
  recordPredictions(rows: readonly PredictionRow[]): void {
    const statement = this.#connection.prepare(`
      INSERT OR REPLACE INTO model_predictions (model_id, symbol, date, signal, p_sell, p_hold, p_buy, confidence, rank, top_features)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const values = rows.map((row) => {
      const where = `prediction ${row.symbol} ${row.date}`;
      const pSell = requireProbability(row.pSell, `${where}: P(SELL)`);
      const pHold = requireProbability(row.pHold, `${where}: P(HOLD)`);
      const pBuy = requireProbability(row.pBuy, `${where}: P(BUY)`);
      if (Math.abs(pSell + pHold + pBuy - 1) >= 1e-6) throw new InvalidArgumentError(`${where}: probabilities sum to ${pSell + pHold + pBuy}, not 1`);
      return [requireText(row.modelId, 'model id'), row.symbol, requireInteger(row.date, 'date'), requireLabel(row.signal, `${where}: signal`), pSell, pHold, pBuy,
        requireProbability(row.confidence, `${where}: confidence`), row.rank, toJson(row.topFeatures, 'top features')];
    });
    this.#connection.transaction(() => values.forEach((value) => statement.run(value)))();
  }

  predictions(modelId: string, date: number): PredictionRow[] {
    const rows = this.#connection
      .prepare(
        `SELECT model_id AS modelId, symbol, date, signal, p_sell AS pSell, p_hold AS pHold, p_buy AS pBuy, confidence, rank,
           top_features AS topFeatures FROM model_predictions WHERE model_id = ? AND date = ? ORDER BY rank, symbol`,
      )
      .all(modelId, date) as (Omit<PredictionRow, 'topFeatures'> & { topFeatures: string })[];
    return rows.map((row) => ({ ...row, topFeatures: JSON.parse(row.topFeatures) }));
  }

  recordSectorPerformance(rows: readonly SectorPerformanceRow[]): void {
    const statement = this.#connection.prepare(`
      INSERT OR REPLACE INTO sector_performance (model_id, date, sector, symbols, buy_count, hold_count, sell_count, mean_p_buy, mean_p_sell, return_20d)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#connection.transaction(() =>
      rows.forEach((row) =>
        statement.run(row.modelId, row.date, requireText(row.sector, 'sector'), row.symbols, row.buyCount, row.holdCount, row.sellCount, row.meanPBuy, row.meanPSell, row.return20d),
      ),
    )();
  }

  sectorPerformance(modelId: string, date: number): SectorPerformanceRow[] {
    return this.#connection
      .prepare(
        `SELECT model_id AS modelId, date, sector, symbols, buy_count AS buyCount, hold_count AS holdCount, sell_count AS sellCount,
           mean_p_buy AS meanPBuy, mean_p_sell AS meanPSell, return_20d AS return20d FROM sector_performance
         WHERE model_id = ? AND date = ? ORDER BY sector`,
      )
      .all(modelId, date) as SectorPerformanceRow[];
  }

  recordDrift(rows: readonly DriftRow[]): void {
    const statement = this.#connection.prepare(
      'INSERT OR REPLACE INTO drift_monitoring (model_id, date, feature, psi, ks_statistic, ks_p_value, status) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const values = rows.map((row) => [row.modelId, row.date, row.feature, requireFinite(row.psi, `PSI of ${row.feature}`), requireProbability(row.ksStatistic, `KS statistic of ${row.feature}`), requireProbability(row.ksPValue, `KS p-value of ${row.feature}`), row.status]);
    this.#connection.transaction(() => values.forEach((value) => statement.run(value)))();
  }

  drift(modelId: string, date: number): DriftRow[] {
    return this.#connection
      .prepare(
        `SELECT model_id AS modelId, date, feature, psi, ks_statistic AS ksStatistic, ks_p_value AS ksPValue, status
         FROM drift_monitoring WHERE model_id = ? AND date = ? ORDER BY psi DESC`,
      )
      .all(modelId, date) as DriftRow[];
  }

  /** Keeps misclassified samples so that later training can replay them. */
  recordErrors(rows: readonly ReplayRow[]): void {
    const statement = this.#connection.prepare(`
      INSERT OR REPLACE INTO error_replay_buffer (model_id, symbol, date, true_label, predicted_label, p_true, loss)
      VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const values = rows.map((row) => [row.modelId, row.symbol, requireInteger(row.date, 'date'), requireLabel(row.trueLabel, 'true label'), requireLabel(row.predictedLabel, 'predicted label'), requireProbability(row.pTrue, 'P(true label)'), requireFinite(row.loss, 'loss')]);
    this.#connection.transaction(() => values.forEach((value) => statement.run(value)))();
  }

  /** The hardest samples of a model (largest loss first). */
  errors(modelId: string, limit = 1000): ReplayRow[] {
    return this.#connection
      .prepare(
        `SELECT model_id AS modelId, symbol, date, true_label AS trueLabel, predicted_label AS predictedLabel, p_true AS pTrue, loss
         FROM error_replay_buffer WHERE model_id = ? ORDER BY loss DESC LIMIT ?`,
      )
      .all(modelId, limit) as ReplayRow[];
  }
}
