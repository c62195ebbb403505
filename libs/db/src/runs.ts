import { InvalidArgumentError, NotFoundError } from '@quant/core';
import type { Connection } from './database.js';
import { requireFinite, requireInteger, requireOptionalFinite, requireProbability, requireText, toJson } from './validate.js';

export type RunStatus = 'running' | 'completed' | 'failed' | 'interrupted';

export interface TrainingRun {
  readonly runId: string;
  readonly status: RunStatus;
  readonly universe: string;
  readonly featureSetVersion: string | null;
  readonly seed: number;
  readonly config: unknown;
  readonly summary: unknown;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

export interface ModelPerformanceRow {
  readonly runId: string;
  readonly model: string;
  /** Walk-forward fold; folds are numbered from 0. */
  readonly fold: number;
  readonly rows: number;
  readonly accuracy: number | null;
  readonly balancedAccuracy: number | null;
  readonly macroF1: number | null;
  readonly logLoss: number | null;
  readonly topDecileBuyPrecision: number | null;
  readonly perClass: unknown;
  readonly confusion: readonly (readonly number[])[];
  readonly trainSeconds: number | null;
}

export interface BacktestRow {
  readonly runId: string;
  readonly model: string;
  readonly trades: number;
  readonly winRate: number | null;
  readonly averageWin: number | null;
  readonly averageLoss: number | null;
  readonly profitFactor: number | null;
  readonly sharpe: number | null;
  readonly maxDrawdown: number | null;
  readonly totalReturn: number | null;
  readonly benchmarkReturn: number | null;
  readonly settings: unknown;
}

export interface TradeRow {
  readonly runId: string;
  readonly model: string;
  readonly symbol: string;
  readonly signal: 'BUY' | 'SELL';
  readonly entryDate: number;
  readonly entryPrice: number;
  readonly exitDate: number;
  readonly exitPrice: number;
  readonly exitReason: 'target' | 'stop' | 'time';
  readonly return: number;
  readonly cost: number;
}

export interface ShapRow {
  readonly runId: string;
  readonly model: string;
  readonly feature: string;
  readonly class: 'ALL' | 'SELL' | 'HOLD' | 'BUY';
  readonly meanAbsShap: number;
  readonly rank: number;
}

export interface PromotionDecision {
  readonly runId: string;
  readonly modelId: string;
  readonly featureSetVersion: string;
  readonly promoted: boolean;
  readonly reasons: readonly string[];
  readonly metrics: unknown;
  readonly artifactPath: string | null;
  readonly decidedAt?: string;
}

/** Training runs and everything a run produces: performance, backtests, trades, SHAP importances, promotions. */
export class RunRepository {
  readonly #connection: Connection;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  start(run: { runId: string; universe: string; seed: number; config: unknown; featureSetVersion?: string | null }): void {
    this.#connection
      .prepare('INSERT INTO training_runs (run_id, status, universe, feature_set_version, seed, config) VALUES (?, ?, ?, ?, ?, ?)')
      .run(requireText(run.runId, 'run id'), 'running', requireText(run.universe, 'universe'), run.featureSetVersion ?? null, requireInteger(run.seed, 'seed'), toJson(run.config, 'run config'));
  }

  finish(runId: string, status: Exclude<RunStatus, 'running'>, summary: unknown): void {
    const result = this.#connection
      .prepare("UPDATE training_runs SET status = ?, summary = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE run_id = ?")
      .run(status, toJson(summary, 'run summary'), runId);
    if (result.changes === 0) throw new NotFoundError(`no training run ${JSON.stringify(runId)}`);
  }

  get(runId: string): TrainingRun | undefined {
    const row = this.#connection
      .prepare(
        `SELECT run_id AS runId, status, universe, feature_set_version AS featureSetVersion, seed, config, summary,
           started_at AS startedAt, finished_at AS finishedAt FROM training_runs WHERE run_id = ?`,
      )
      .get(runId) as (Omit<TrainingRun, 'config' | 'summary'> & { config: string; summary: string | null }) | undefined;
    return row === undefined ? undefined : { ...row, config: JSON.parse(row.config), summary: row.summary === null ? null : JSON.parse(row.summary) };
  }

  /** Writes the metrics of several (model, fold) pairs in one transaction; a pair written again is replaced. */
  recordPerformance(rows: readonly ModelPerformanceRow[]): void {
    const statement = this.#connection.prepare(`
      INSERT OR REPLACE INTO model_performance (run_id, model, fold, rows, accuracy, balanced_accuracy, macro_f1, log_loss,
        top_decile_buy_precision, per_class, confusion, train_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const values = rows.map((row) => [
      row.runId,
      requireText(row.model, 'model'),
      requireInteger(row.fold, 'fold'),
      requireInteger(row.rows, 'rows'),
      optionalProbability(row.accuracy, 'accuracy'),
      optionalProbability(row.balancedAccuracy, 'balanced accuracy'),
      optionalProbability(row.macroF1, 'macro-F1'),
      requireOptionalFinite(row.logLoss, 'log loss'),
      optionalProbability(row.topDecileBuyPrecision, 'top-decile BUY precision'),
      toJson(row.perClass, 'per-class metrics'),
      toJson(row.confusion, 'confusion matrix'),
      requireOptionalFinite(row.trainSeconds, 'training seconds'),
    ]);
    this.#connection.transaction(() => values.forEach((value) => statement.run(value)))();
  }

  performance(runId: string): ModelPerformanceRow[] {
    const rows = this.#connection
      .prepare(
        `SELECT run_id AS runId, model, fold, rows, accuracy, balanced_accuracy AS balancedAccuracy, macro_f1 AS macroF1,
           log_loss AS logLoss, top_decile_buy_precision AS topDecileBuyPrecision, per_class AS perClass, confusion,
           train_seconds AS trainSeconds FROM model_performance WHERE run_id = ? ORDER BY model, fold`,
      )
      .all(runId) as (Omit<ModelPerformanceRow, 'perClass' | 'confusion'> & { perClass: string; confusion: string })[];
    return rows.map((row) => ({ ...row, perClass: JSON.parse(row.perClass), confusion: JSON.parse(row.confusion) }));
  }

  recordBacktest(row: BacktestRow): void {
    this.#connection
      .prepare(
        `INSERT OR REPLACE INTO backtest_results (run_id, model, trades, win_rate, average_win, average_loss, profit_factor,
           sharpe, max_drawdown, total_return, benchmark_return, settings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        row.runId,
        requireText(row.model, 'model'),
        requireInteger(row.trades, 'trades'),
        optionalProbability(row.winRate, 'win rate'),
        requireOptionalFinite(row.averageWin, 'average win'),
        requireOptionalFinite(row.averageLoss, 'average loss'),
        requireOptionalFinite(row.profitFactor, 'profit factor'),
        requireOptionalFinite(row.sharpe, 'Sharpe ratio'),
        optionalProbability(row.maxDrawdown, 'maximum drawdown'),
        requireOptionalFinite(row.totalReturn, 'total return'),
        requireOptionalFinite(row.benchmarkReturn, 'benchmark return'),
        toJson(row.settings, 'backtest settings'),
      );
  }

  backtests(runId: string): BacktestRow[] {
    const rows = this.#connection
      .prepare(
        `SELECT run_id AS runId, model, trades, win_rate AS winRate, average_win AS averageWin, average_loss AS averageLoss,
           profit_factor AS profitFactor, sharpe, max_drawdown AS maxDrawdown, total_return AS totalReturn,
           benchmark_return AS benchmarkReturn, settings FROM backtest_results WHERE run_id = ? ORDER BY model`,
      )
      .all(runId) as (Omit<BacktestRow, 'settings'> & { settings: string })[];
    return rows.map((row) => ({ ...row, settings: JSON.parse(row.settings) }));
  }

  /** Writes trades in one transaction; the same (run, model, symbol, entry date) written again is replaced. */
  recordTrades(trades: readonly TradeRow[]): void {
    const statement = this.#connection.prepare(`
      INSERT INTO trades (run_id, model, symbol, signal, entry_date, entry_price, exit_date, exit_price, exit_reason, return, cost)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (run_id, model, symbol, entry_date) DO UPDATE SET signal = excluded.signal, entry_price = excluded.entry_price,
        exit_date = excluded.exit_date, exit_price = excluded.exit_price, exit_reason = excluded.exit_reason,
        return = excluded.return, cost = excluded.cost`);
    const values = trades.map((trade) => [
      trade.runId,
      trade.model,
      trade.symbol,
      trade.signal,
      requireInteger(trade.entryDate, 'entry date'),
      requireFinite(trade.entryPrice, 'entry price'),
      requireInteger(trade.exitDate, 'exit date'),
      requireFinite(trade.exitPrice, 'exit price'),
      trade.exitReason,
      requireFinite(trade.return, 'trade return'),
      requireFinite(trade.cost, 'trade cost'),
    ]);
    this.#connection.transaction(() => values.forEach((value) => statement.run(value)))();
  }

  trades(runId: string, model?: string): TradeRow[] {
    return this.#connection
      .prepare(
        `SELECT run_id AS runId, model, symbol, signal, entry_date AS entryDate, entry_price AS entryPrice, exit_date AS exitDate,
           exit_price AS exitPrice, exit_reason AS exitReason, return, cost FROM trades
         WHERE run_id = ? AND (? IS NULL OR model = ?) ORDER BY entry_date, symbol`,
      )
      .all(runId, model ?? null, model ?? null) as TradeRow[];
  }

  recordShap(rows: readonly ShapRow[]): void {
    const statement = this.#connection.prepare(
      'INSERT OR REPLACE INTO shap_analysis (run_id, model, feature, class, mean_abs_shap, rank) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const values = rows.map((row) => [row.runId, row.model, requireText(row.feature, 'feature'), row.class, requireFinite(row.meanAbsShap, 'mean |SHAP|'), requireInteger(row.rank, 'rank')]);
    this.#connection.transaction(() => values.forEach((value) => statement.run(value)))();
  }

  shap(runId: string, model: string): ShapRow[] {
    return this.#connection
      .prepare(
        `SELECT run_id AS runId, model, feature, class, mean_abs_shap AS meanAbsShap, rank FROM shap_analysis
         WHERE run_id = ? AND model = ? ORDER BY class, rank`,
      )
      .all(runId, model) as ShapRow[];
  }

  /** Records the promotion gate's verdict with its reasons (promoted or not). */
  recordPromotion(decision: PromotionDecision): void {
    if (!Array.isArray(decision.reasons)) throw new InvalidArgumentError('a promotion decision needs a list of reasons');
    this.#connection
      .prepare(
        `INSERT INTO model_promotion_history (run_id, model_id, feature_set_version, promoted, reasons, metrics, artifact_path)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(decision.runId, requireText(decision.modelId, 'model id'), decision.featureSetVersion, decision.promoted ? 1 : 0, toJson(decision.reasons, 'reasons'), toJson(decision.metrics, 'metrics'), decision.artifactPath);
  }

  /** The most recently promoted model, or undefined when none has been promoted. */
  promotedModel(): PromotionDecision | undefined {
    const row = this.#connection
      .prepare(
        `SELECT run_id AS runId, model_id AS modelId, feature_set_version AS featureSetVersion, promoted, reasons, metrics,
           artifact_path AS artifactPath, decided_at AS decidedAt FROM model_promotion_history
         WHERE promoted = 1 ORDER BY decided_at DESC, id DESC LIMIT 1`,
      )
      .get() as { runId: string; modelId: string; featureSetVersion: string; promoted: number; reasons: string; metrics: string; artifactPath: string | null; decidedAt: string } | undefined;
    return row === undefined ? undefined : { ...row, promoted: row.promoted === 1, reasons: JSON.parse(row.reasons), metrics: JSON.parse(row.metrics) };
  }
}

function optionalProbability(value: number | null | undefined, what: string): number | null {
  return value === null || value === undefined ? null : requireProbability(value, what);
}
