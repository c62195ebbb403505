import { InvalidArgumentError, NotFoundError, createFeatureMatrix, describeValue, type FeatureMatrix } from '@quant/core';
import type { Connection } from './database.js';
import type { SymbolRepository } from './symbols.js';
import { requireText } from './validate.js';

/** One symbol's feature block: its dates and a column-major matrix (values[column * rows + row]). */
export interface FeatureBlock {
  readonly symbol: string;
  readonly dates: Int32Array;
  readonly values: Float32Array | Float64Array;
}

/**
 * The feature store (`feature_store`, `feature_sets`). Each feature-set version has a fixed list of columns, and
 * every stored block carries its version, so a changed feature list can never be mixed with old rows: reading a
 * version returns only blocks written with that version's columns.
 *
 * Layout: one packed block per (version, symbol), values stored as Float32. The benchmark in docs/benchmarks.md
 * compares it with one row per (symbol, date): the packed layout writes and reads the full universe several times
 * faster, because SQLite handles a few hundred large blobs far more cheaply than 600,000 small rows.
 */
export class FeatureStore {
  readonly #connection: Connection;
  readonly #symbols: SymbolRepository;

  constructor(connection: Connection, symbols: SymbolRepository) {
    this.#connection = connection;
    this.#symbols = symbols;
  }

  /** Declares a feature-set version and its columns; declaring it again with other columns is an error. */
  registerFeatureSet(version: string, columns: readonly string[]): void {
    requireText(version, 'feature-set version');
    if (columns.length === 0 || new Set(columns).size !== columns.length || columns.some((name) => typeof name !== 'string' || name === '')) {
      throw new InvalidArgumentError(`feature set ${version} needs a non-empty list of unique column names`);
    }
    const existing = this.columns(version);
    if (existing !== undefined) {
      if (existing.length !== columns.length || existing.some((name, index) => name !== columns[index])) {
        throw new InvalidArgumentError(`feature set ${version} is already registered with other columns; a changed list needs a new version`);
      }
      return;
    }
    this.#connection.prepare('INSERT INTO feature_sets (version, columns) VALUES (?, ?)').run(version, JSON.stringify(columns));
  }

  /** Columns of a registered version, or undefined. */
  columns(version: string): string[] | undefined {
    const row = this.#connection.prepare('SELECT columns FROM feature_sets WHERE version = ?').get(version) as { columns: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.columns) as string[]);
  }

  /** Writes (replaces) the blocks of several symbols in one transaction. */
  write(version: string, blocks: readonly FeatureBlock[]): void {
    const columns = this.columns(version);
    if (columns === undefined) throw new NotFoundError(`feature set ${JSON.stringify(version)} is not registered`);
    const prepared = blocks.map((block) => {
      this.#symbols.require(block.symbol);
      const rows = block.dates.length;
      if (rows === 0) throw new InvalidArgumentError(`${block.symbol}: a feature block needs at least one row`);
      if (block.values.length !== rows * columns.length) {
        throw new InvalidArgumentError(
          `${block.symbol}: ${block.values.length} values do not fill ${rows} rows x ${columns.length} columns of feature set ${version}`,
        );
      }
      for (let row = 1; row < rows; row++) {
        if (block.dates[row]! <= block.dates[row - 1]!) throw new InvalidArgumentError(`${block.symbol}: feature dates must be strictly increasing`);
      }
      const values = block.values instanceof Float32Array ? block.values : Float32Array.from(block.values);
      return [
        block.symbol,
        version,
        block.dates[0]!,
        block.dates[rows - 1]!,
        rows,
        columns.length,
        Buffer.from(block.dates.buffer, block.dates.byteOffset, block.dates.byteLength),
        Buffer.from(values.buffer, values.byteOffset, values.byteLength),
      ];
    });
    const statement = this.#connection.prepare(`
      INSERT INTO feature_store (symbol, feature_set_version, first_date, last_date, row_count, column_count, dates, "values")
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (feature_set_version, symbol) DO UPDATE SET first_date = excluded.first_date, last_date = excluded.last_date,
        row_count = excluded.row_count, column_count = excluded.column_count, dates = excluded.dates, "values" = excluded."values",
        updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`);
    this.#connection.transaction(() => {
      for (const row of prepared) statement.run(row);
    })();
  }

  /** Symbols stored for a version, with their date ranges. */
  list(version: string): { symbol: string; firstDate: number; lastDate: number; rows: number }[] {
    return this.#connection
      .prepare('SELECT symbol, first_date AS firstDate, last_date AS lastDate, row_count AS rows FROM feature_store WHERE feature_set_version = ? ORDER BY symbol')
      .all(version) as { symbol: string; firstDate: number; lastDate: number; rows: number }[];
  }

  /**
   * The feature matrix of a version: the given symbols (default all stored), rows grouped by symbol in the order
   * asked, dates ascending within a symbol. Values are Float32 (as stored).
   */
  read(version: string, symbols?: readonly string[]): FeatureMatrix {
    const columns = this.columns(version);
    if (columns === undefined) throw new NotFoundError(`feature set ${JSON.stringify(version)} is not registered`);
    const statement = this.#connection.prepare(
      'SELECT symbol, row_count AS rows, column_count AS columnCount, dates, "values" FROM feature_store WHERE feature_set_version = ? AND symbol = ?',
    );
    const wanted = symbols ?? this.list(version).map((entry) => entry.symbol);
    const blocks = wanted.map((symbol) => {
      const row = statement.get(version, symbol) as { symbol: string; rows: number; columnCount: number; dates: Buffer; values: Buffer } | undefined;
      if (row === undefined) throw new NotFoundError(`no features of ${describeValue(symbol)} for feature set ${version}`);
      if (row.columnCount !== columns.length) throw new InvalidArgumentError(`${symbol}: stored block has ${row.columnCount} columns, version ${version} has ${columns.length}`);
      return row;
    });
    const rowCount = blocks.reduce((sum, block) => sum + block.rows, 0);
    const values = new Float32Array(rowCount * columns.length);
    const rowSymbols = new Int32Array(rowCount);
    const rowDates = new Int32Array(rowCount);
    let offset = 0;
    blocks.forEach((block, symbolIndex) => {
      // Copy out of SQLite's buffers (they may not be 4-byte aligned), then scatter columns into the global layout.
      const dates = new Int32Array(new Uint8Array(block.dates).buffer);
      const blockValues = new Float32Array(new Uint8Array(block.values).buffer);
      rowDates.set(dates, offset);
      rowSymbols.fill(symbolIndex, offset, offset + block.rows);
      for (let column = 0; column < columns.length; column++) {
        values.set(blockValues.subarray(column * block.rows, (column + 1) * block.rows), column * rowCount + offset);
      }
      offset += block.rows;
    });
    return createFeatureMatrix({ columns, values, symbols: wanted, rowSymbols, rowDates });
  }
}
