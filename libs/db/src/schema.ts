/**
 * The schema, as forward-only numbered migrations. A migration is never edited once released: changes come as a new
 * migration with the next number. `openDatabase` applies the missing ones in one transaction.
 *
 * Conventions (docs/schema.md documents every table and column):
 * - trading dates are INTEGER day numbers (days since 1970-01-01, as in @quant/core), compact and fast to range-scan;
 * - timestamps are ISO 8601 UTC TEXT, filled by SQLite (`strftime`) so that no library code reads the clock;
 * - every symbol column references `symbols`, so an unknown symbol is refused, never stored as an orphan
 *   (`price_data` by the integer `symbols.id`, for speed; the other tables by the readable `symbols.symbol`);
 * - STRICT tables, so a value of the wrong type is refused instead of being coerced;
 * - CHECK constraints hold the domain rules (positive prices, probabilities in [0, 1], known labels).
 */

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
const LABEL = "IN ('SELL', 'HOLD', 'BUY')";
const PROBABILITY = 'BETWEEN 0 AND 1';

const initialSchema = /* sql */ `
CREATE TABLE symbols (
  id          INTEGER PRIMARY KEY,
  symbol      TEXT NOT NULL UNIQUE CHECK (length(symbol) BETWEEN 1 AND 16),
  name        TEXT NOT NULL DEFAULT '',
  kind        TEXT NOT NULL DEFAULT 'stock' CHECK (kind IN ('stock', 'etf')),
  sector      TEXT,
  cap_tier    TEXT CHECK (cap_tier IN ('large', 'mid', 'small')),
  cik         TEXT CHECK (cik IS NULL OR (length(cik) = 10 AND cik NOT GLOB '*[^0-9]*')),
  updated_at  TEXT NOT NULL DEFAULT ${NOW}
) STRICT;

-- The hot table: keyed by the integer symbol id, because integer keys and a foreign key to a rowid make bulk upserts
-- about 25% faster than TEXT symbols (measured: 335,000 against 265,000 rows per second; docs/benchmarks.md).
CREATE TABLE price_data (
  symbol_id       INTEGER NOT NULL REFERENCES symbols (id),
  date            INTEGER NOT NULL,
  open            REAL NOT NULL CHECK (open > 0),
  high            REAL NOT NULL CHECK (high > 0),
  low             REAL NOT NULL CHECK (low > 0),
  close           REAL NOT NULL CHECK (close > 0),
  adjusted_close  REAL NOT NULL CHECK (adjusted_close > 0),
  volume          REAL NOT NULL CHECK (volume >= 0),
  source          TEXT NOT NULL,
  PRIMARY KEY (symbol_id, date)
) STRICT, WITHOUT ROWID;

CREATE TABLE feature_sets (
  version     TEXT PRIMARY KEY,
  columns     TEXT NOT NULL CHECK (json_valid(columns) AND json_type(columns) = 'array'),
  created_at  TEXT NOT NULL DEFAULT ${NOW}
) STRICT;

-- One packed block per symbol and feature-set version: the dates as Int32 and the values as a column-major Float32
-- matrix (row_count x column_count). Reading a universe is one sequential scan of large blobs (see benchmarks).
CREATE TABLE feature_store (
  symbol               TEXT NOT NULL REFERENCES symbols (symbol),
  feature_set_version  TEXT NOT NULL REFERENCES feature_sets (version),
  first_date           INTEGER NOT NULL,
  last_date            INTEGER NOT NULL CHECK (last_date >= first_date),
  row_count            INTEGER NOT NULL CHECK (row_count > 0),
  column_count         INTEGER NOT NULL CHECK (column_count > 0),
  dates                BLOB NOT NULL CHECK (length(dates) = 4 * row_count),
  "values"             BLOB NOT NULL CHECK (length("values") = 4 * row_count * column_count),
  updated_at           TEXT NOT NULL DEFAULT ${NOW},
  PRIMARY KEY (feature_set_version, symbol)
) STRICT, WITHOUT ROWID;

CREATE TABLE training_runs (
  run_id               TEXT PRIMARY KEY,
  status               TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'interrupted')),
  universe             TEXT NOT NULL,
  feature_set_version  TEXT REFERENCES feature_sets (version),
  seed                 INTEGER NOT NULL,
  config               TEXT NOT NULL CHECK (json_valid(config)),
  summary              TEXT CHECK (summary IS NULL OR json_valid(summary)),
  started_at           TEXT NOT NULL DEFAULT ${NOW},
  finished_at          TEXT
) STRICT;

CREATE TABLE model_performance (
  run_id             TEXT NOT NULL REFERENCES training_runs (run_id) ON DELETE CASCADE,
  model              TEXT NOT NULL,
  fold               INTEGER NOT NULL CHECK (fold >= 0),
  rows               INTEGER NOT NULL CHECK (rows >= 0),
  accuracy           REAL CHECK (accuracy ${PROBABILITY}),
  balanced_accuracy  REAL CHECK (balanced_accuracy ${PROBABILITY}),
  macro_f1           REAL CHECK (macro_f1 ${PROBABILITY}),
  log_loss           REAL CHECK (log_loss >= 0),
  top_decile_buy_precision REAL CHECK (top_decile_buy_precision ${PROBABILITY}),
  per_class          TEXT NOT NULL CHECK (json_valid(per_class)),
  confusion          TEXT NOT NULL CHECK (json_valid(confusion)),
  train_seconds      REAL CHECK (train_seconds >= 0),
  PRIMARY KEY (run_id, model, fold)
) STRICT;

CREATE TABLE backtest_results (
  run_id             TEXT NOT NULL REFERENCES training_runs (run_id) ON DELETE CASCADE,
  model              TEXT NOT NULL,
  trades             INTEGER NOT NULL CHECK (trades >= 0),
  win_rate           REAL CHECK (win_rate ${PROBABILITY}),
  average_win        REAL,
  average_loss       REAL,
  profit_factor      REAL CHECK (profit_factor >= 0),
  sharpe             REAL,
  max_drawdown       REAL CHECK (max_drawdown BETWEEN 0 AND 1),
  total_return       REAL,
  benchmark_return   REAL,
  settings           TEXT NOT NULL CHECK (json_valid(settings)),
  PRIMARY KEY (run_id, model)
) STRICT;

CREATE TABLE trades (
  id           INTEGER PRIMARY KEY,
  run_id       TEXT NOT NULL REFERENCES training_runs (run_id) ON DELETE CASCADE,
  model        TEXT NOT NULL,
  symbol       TEXT NOT NULL REFERENCES symbols (symbol),
  signal       TEXT NOT NULL CHECK (signal IN ('BUY', 'SELL')),
  entry_date   INTEGER NOT NULL,
  entry_price  REAL NOT NULL CHECK (entry_price > 0),
  exit_date    INTEGER NOT NULL CHECK (exit_date >= entry_date),
  exit_price   REAL NOT NULL CHECK (exit_price > 0),
  exit_reason  TEXT NOT NULL CHECK (exit_reason IN ('target', 'stop', 'time')),
  return       REAL NOT NULL,
  cost         REAL NOT NULL CHECK (cost >= 0),
  UNIQUE (run_id, model, symbol, entry_date)
) STRICT;
CREATE INDEX trades_by_symbol ON trades (symbol, entry_date);

CREATE TABLE model_promotion_history (
  id                  INTEGER PRIMARY KEY,
  run_id              TEXT NOT NULL REFERENCES training_runs (run_id),
  model_id            TEXT NOT NULL,
  feature_set_version TEXT NOT NULL REFERENCES feature_sets (version),
  promoted            INTEGER NOT NULL CHECK (promoted IN (0, 1)),
  reasons             TEXT NOT NULL CHECK (json_valid(reasons) AND json_type(reasons) = 'array'),
  metrics             TEXT NOT NULL CHECK (json_valid(metrics)),
  artifact_path       TEXT,
  decided_at          TEXT NOT NULL DEFAULT ${NOW},
  UNIQUE (run_id, model_id)
) STRICT;
CREATE INDEX promotions_latest ON model_promotion_history (promoted, decided_at);

CREATE TABLE model_predictions (
  model_id     TEXT NOT NULL,
  symbol       TEXT NOT NULL REFERENCES symbols (symbol),
  date         INTEGER NOT NULL,
  signal       TEXT NOT NULL CHECK (signal ${LABEL}),
  p_sell       REAL NOT NULL CHECK (p_sell ${PROBABILITY}),
  p_hold       REAL NOT NULL CHECK (p_hold ${PROBABILITY}),
  p_buy        REAL NOT NULL CHECK (p_buy ${PROBABILITY}),
  confidence   REAL NOT NULL CHECK (confidence ${PROBABILITY}),
  rank         INTEGER CHECK (rank >= 1),
  top_features TEXT NOT NULL CHECK (json_valid(top_features)),
  created_at   TEXT NOT NULL DEFAULT ${NOW},
  PRIMARY KEY (model_id, date, symbol),
  CHECK (abs(p_sell + p_hold + p_buy - 1) < 1e-6)
) STRICT, WITHOUT ROWID;
CREATE INDEX predictions_by_symbol ON model_predictions (symbol, date);

CREATE TABLE sector_performance (
  model_id     TEXT NOT NULL,
  date         INTEGER NOT NULL,
  sector       TEXT NOT NULL,
  symbols      INTEGER NOT NULL CHECK (symbols >= 0),
  buy_count    INTEGER NOT NULL CHECK (buy_count >= 0),
  hold_count   INTEGER NOT NULL CHECK (hold_count >= 0),
  sell_count   INTEGER NOT NULL CHECK (sell_count >= 0),
  mean_p_buy   REAL CHECK (mean_p_buy ${PROBABILITY}),
  mean_p_sell  REAL CHECK (mean_p_sell ${PROBABILITY}),
  return_20d   REAL,
  PRIMARY KEY (model_id, date, sector),
  CHECK (buy_count + hold_count + sell_count = symbols)
) STRICT, WITHOUT ROWID;

CREATE TABLE drift_monitoring (
  model_id       TEXT NOT NULL,
  date           INTEGER NOT NULL,
  feature        TEXT NOT NULL,
  psi            REAL NOT NULL CHECK (psi >= 0),
  ks_statistic   REAL NOT NULL CHECK (ks_statistic ${PROBABILITY}),
  ks_p_value     REAL NOT NULL CHECK (ks_p_value ${PROBABILITY}),
  status         TEXT NOT NULL CHECK (status IN ('stable', 'warning', 'drift')),
  PRIMARY KEY (model_id, date, feature)
) STRICT, WITHOUT ROWID;

CREATE TABLE error_replay_buffer (
  model_id         TEXT NOT NULL,
  symbol           TEXT NOT NULL REFERENCES symbols (symbol),
  date             INTEGER NOT NULL,
  true_label       TEXT NOT NULL CHECK (true_label ${LABEL}),
  predicted_label  TEXT NOT NULL CHECK (predicted_label ${LABEL}),
  p_true           REAL NOT NULL CHECK (p_true ${PROBABILITY}),
  loss             REAL NOT NULL CHECK (loss >= 0),
  created_at       TEXT NOT NULL DEFAULT ${NOW},
  PRIMARY KEY (model_id, symbol, date)
) STRICT, WITHOUT ROWID;

CREATE TABLE shap_analysis (
  run_id          TEXT NOT NULL REFERENCES training_runs (run_id) ON DELETE CASCADE,
  model           TEXT NOT NULL,
  feature         TEXT NOT NULL,
  class           TEXT NOT NULL CHECK (class IN ('ALL', 'SELL', 'HOLD', 'BUY')),
  mean_abs_shap   REAL NOT NULL CHECK (mean_abs_shap >= 0),
  rank            INTEGER NOT NULL CHECK (rank >= 1),
  PRIMARY KEY (run_id, model, class, feature)
) STRICT;

-- Events from SEC filings and news, point in time: effective_date is the first trading day on which the event was
-- public (acceptance after the close counts from the next trading day).
CREATE TABLE events (
  id                INTEGER PRIMARY KEY,
  symbol            TEXT NOT NULL REFERENCES symbols (symbol),
  source            TEXT NOT NULL CHECK (source IN ('sec', 'news')),
  source_id         TEXT NOT NULL,
  event_type        TEXT NOT NULL,
  published_at      TEXT NOT NULL,
  effective_date    INTEGER NOT NULL,
  severity          REAL NOT NULL CHECK (severity ${PROBABILITY}),
  impact_dividend   REAL NOT NULL DEFAULT 0,
  impact_liquidity  REAL NOT NULL DEFAULT 0,
  impact_credit     REAL NOT NULL DEFAULT 0,
  sentiment         REAL CHECK (sentiment BETWEEN -1 AND 1),
  title             TEXT NOT NULL DEFAULT '',
  items             TEXT,
  rare              INTEGER NOT NULL DEFAULT 0 CHECK (rare IN (0, 1)),
  payload           TEXT CHECK (payload IS NULL OR json_valid(payload)),
  UNIQUE (source, source_id, symbol, event_type)
) STRICT;
CREATE INDEX events_by_symbol_date ON events (symbol, effective_date);
CREATE INDEX events_rare ON events (rare, effective_date) WHERE rare = 1;

-- Events detected from market data itself (gaps, volume spikes, limit moves), kept apart from filings and news.
CREATE TABLE dynamic_events (
  symbol      TEXT NOT NULL REFERENCES symbols (symbol),
  date        INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('gap_up', 'gap_down', 'volume_spike', 'large_move', 'stale_price')),
  magnitude   REAL NOT NULL,
  details     TEXT CHECK (details IS NULL OR json_valid(details)),
  PRIMARY KEY (symbol, date, kind)
) STRICT, WITHOUT ROWID;

-- The 23 event features per symbol and trading day, packed as 23 Float64 values in feature-set order.
CREATE TABLE event_features (
  symbol               TEXT NOT NULL REFERENCES symbols (symbol),
  feature_set_version  TEXT NOT NULL REFERENCES feature_sets (version),
  date                 INTEGER NOT NULL,
  "values"             BLOB NOT NULL CHECK (length("values") % 8 = 0),
  PRIMARY KEY (feature_set_version, symbol, date)
) STRICT, WITHOUT ROWID;
`;

export const MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'initial schema', sql: initialSchema }];

/** The schema version this code writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** The 15 tables of the system (plus `symbols` and `feature_sets`, which they reference, and `schema_migrations`). */
export const TABLES = [
  'price_data',
  'feature_store',
  'model_predictions',
  'trades',
  'model_performance',
  'backtest_results',
  'drift_monitoring',
  'error_replay_buffer',
  'sector_performance',
  'model_promotion_history',
  'dynamic_events',
  'shap_analysis',
  'training_runs',
  'events',
  'event_features',
] as const;
