/**
 * @quant/db: the system's state in one SQLite file (better-sqlite3), with a versioned schema and typed repositories.
 */
import { openConnection, type Connection, type OpenDatabaseOptions } from './database.js';
import { EventRepository } from './events.js';
import { FeatureStore } from './features.js';
import { PredictionRepository } from './predictions.js';
import { PriceRepository } from './prices.js';
import { RunRepository } from './runs.js';
import { SymbolRepository } from './symbols.js';

export interface QuantDatabase {
  readonly path: string;
  /** The raw connection, for queries the repositories do not offer. */
  readonly connection: Connection;
  readonly schemaVersion: number;
  /** Migrations applied when this handle opened the file. */
  readonly appliedMigrations: readonly number[];
  readonly symbols: SymbolRepository;
  readonly prices: PriceRepository;
  readonly features: FeatureStore;
  readonly runs: RunRepository;
  readonly predictions: PredictionRepository;
  readonly events: EventRepository;
  /** Runs `work` in one transaction: every write inside it lands, or none does. */
  transaction<T>(work: () => T): T;
  /** `PRAGMA integrity_check`: 'ok' or the problems SQLite finds. */
  integrityCheck(): string;
  close(): void;
}

/** Opens (or creates) a database file and applies any pending migrations. */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): QuantDatabase {
  const { connection, schemaVersion, appliedMigrations } = openConnection(path, options);
  const symbols = new SymbolRepository(connection);
  return {
    path,
    connection,
    schemaVersion,
    appliedMigrations,
    symbols,
    prices: new PriceRepository(connection, symbols),
    features: new FeatureStore(connection, symbols),
    runs: new RunRepository(connection),
    predictions: new PredictionRepository(connection),
    events: new EventRepository(connection),
    transaction: (work) => connection.transaction(work)(),
    integrityCheck: () => (connection.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; '),
    close: () => connection.close(),
  };
}

export { SCHEMA_VERSION, MIGRATIONS, TABLES } from './schema.js';
export type { Migration } from './schema.js';
export type { Connection, OpenDatabaseOptions } from './database.js';
export { SymbolRepository } from './symbols.js';
export { PriceRepository } from './prices.js';
export type { UpsertResult } from './prices.js';
export { FeatureStore } from './features.js';
export type { FeatureBlock } from './features.js';
export { RunRepository } from './runs.js';
export type { RunStatus, TrainingRun, ModelPerformanceRow, BacktestRow, TradeRow, ShapRow, PromotionDecision } from './runs.js';
export { PredictionRepository } from './predictions.js';
export type { PredictionRow, SectorPerformanceRow, DriftRow, ReplayRow } from './predictions.js';
export { EventRepository } from './events.js';
export type { EventRow, DynamicEventRow, DayRange } from './events.js';
