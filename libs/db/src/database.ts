/**
 * Opening a database: pragmas for durability and concurrency, then the forward-only migrations in one transaction.
 */
import Database from 'better-sqlite3';
import { FormatError, IncompatibleVersionError, InvalidArgumentError, QuantError, describeValue } from '@quant/core';
import { MIGRATIONS, SCHEMA_VERSION, type Migration } from './schema.js';

/** The raw better-sqlite3 connection type, for callers that need a query the repositories do not offer. */
export type Connection = Database.Database;

export interface OpenDatabaseOptions {
  /** Open without writing: no migrations are applied, and an outdated schema is an error. */
  readonly readonly?: boolean;
  /** How long a statement waits for another connection's lock before failing, in milliseconds. Default 10,000. */
  readonly busyTimeoutMs?: number;
  /**
   * `FULL` makes every commit durable across power loss; `NORMAL` (the default) is durable across process crashes,
   * which is the failure the trainer must survive, and several times faster in WAL mode.
   */
  readonly synchronous?: 'NORMAL' | 'FULL';
  /** Migrations to apply (tests use this to simulate older or newer code). Default: the schema's migrations. */
  readonly migrations?: readonly Migration[];
}

export interface OpenedDatabase {
  readonly connection: Connection;
  /** Schema version after opening. */
  readonly schemaVersion: number;
  /** Migrations applied by this open (empty when the database was current). */
  readonly appliedMigrations: readonly number[];
}

/** Opens (creating if needed) a database file, or `:memory:`, and brings its schema up to date. */
export function openConnection(path: string, options: OpenDatabaseOptions = {}): OpenedDatabase {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError(`a database path must be a non-empty string, got ${describeValue(path)}`);
  }
  const migrations = options.migrations ?? MIGRATIONS;
  checkMigrationList(migrations);
  let connection: Connection;
  try {
    connection = new Database(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  } catch (error) {
    throw new QuantError('NOT_FOUND', `cannot open database ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    connection.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 10_000))}`);
    connection.pragma('foreign_keys = ON');
    if (!options.readonly) {
      // WAL lets the scanner read while the trainer writes, and makes a killed writer lose only its open transaction.
      const mode = connection.pragma('journal_mode = WAL', { simple: true });
      if (path !== ':memory:' && String(mode).toLowerCase() !== 'wal') {
        throw new FormatError(`cannot switch ${path} to WAL mode (journal_mode is ${String(mode)})`);
      }
      connection.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
    }
    const appliedMigrations = migrate(connection, migrations, path, options.readonly ?? false);
    return { connection, schemaVersion: currentVersion(connection), appliedMigrations };
  } catch (error) {
    connection.close();
    throw error;
  }
}

function checkMigrationList(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new InvalidArgumentError(`migrations must be numbered 1, 2, 3...; found ${migration.version} at position ${index + 1}`);
    }
  });
}

function hasMigrationTable(connection: Connection): boolean {
  return connection.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
}

function currentVersion(connection: Connection): number {
  if (!hasMigrationTable(connection)) return 0;
  const row = connection.prepare('SELECT max(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

function migrate(connection: Connection, migrations: readonly Migration[], path: string, readonly: boolean): number[] {
  const known = migrations.length;
  const found = currentVersion(connection);
  if (found > known) {
    throw new IncompatibleVersionError(
      `database ${path} has schema version ${found}, newer than this code (version ${known}); upgrade @quant/db to open it`,
      { details: { path, databaseVersion: found, codeVersion: known } },
    );
  }
  if (found === known) return [];
  if (readonly) {
    throw new IncompatibleVersionError(`database ${path} has schema version ${found}; version ${known} is needed and it is opened read-only`);
  }
  const applied: number[] = [];
  // One IMMEDIATE transaction for all pending migrations: a crash leaves the old schema whole, never half a migration,
  // and two processes opening the same file at once cannot both migrate.
  connection.transaction(() => {
    connection.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version     INTEGER PRIMARY KEY,
      name        TEXT NOT NULL,
      applied_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    ) STRICT`);
    const start = currentVersion(connection);
    const record = connection.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)');
    for (const migration of migrations.slice(start)) {
      connection.exec(migration.sql);
      record.run(migration.version, migration.name);
      applied.push(migration.version);
    }
  }).immediate();
  return applied;
}

export { SCHEMA_VERSION };
