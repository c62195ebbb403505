import { InvalidArgumentError, createBars, dayToIso, type Bars } from '@quant/core';
import type { Connection } from './database.js';
import type { SymbolRepository } from './symbols.js';
import { requireText } from './validate.js';

/** Rows per multi-row INSERT: 9 parameters each stays far below SQLite's 32,766-parameter limit. */
const BATCH = 200;
const COLUMNS = '(symbol_id, date, open, high, low, close, adjusted_close, volume, source)';
const UPSERT_TAIL = `
  ON CONFLICT (symbol_id, date) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low,
    close = excluded.close, adjusted_close = excluded.adjusted_close, volume = excluded.volume, source = excluded.source
  WHERE (open, high, low, close, adjusted_close, volume, source)
    IS NOT (excluded.open, excluded.high, excluded.low, excluded.close, excluded.adjusted_close, excluded.volume, excluded.source)`;

export interface UpsertResult {
  /** Rows inserted or changed; re-writing identical bars gives 0. */
  readonly changed: number;
  readonly rows: number;
}

/** Daily bars (`price_data`). */
export class PriceRepository {
  readonly #connection: Connection;
  readonly #symbols: SymbolRepository;
  readonly #batch;
  readonly #single;

  constructor(connection: Connection, symbols: SymbolRepository) {
    this.#connection = connection;
    this.#symbols = symbols;
    const placeholders = (rows: number) => Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ');
    this.#batch = connection.prepare(`INSERT INTO price_data ${COLUMNS} VALUES ${placeholders(BATCH)} ${UPSERT_TAIL}`);
    this.#single = connection.prepare(`INSERT INTO price_data ${COLUMNS} VALUES ${placeholders(1)} ${UPSERT_TAIL}`);
  }

  /**
   * Writes bars in one transaction, all or nothing. Every value is checked first (finite, positive prices,
   * non-negative volume, integer dates), and the symbol must exist; a refusal names the symbol, date and value.
   */
  upsert(bars: Bars, source: string): UpsertResult {
    return this.upsertMany([bars], source);
  }

  /** Writes several series in one transaction (much faster than one transaction per symbol). */
  upsertMany(series: readonly Bars[], source: string): UpsertResult {
    requireText(source, 'source');
    const ids = series.map((bars) => {
      const id = this.#symbols.id(bars.symbol);
      checkBars(bars);
      return id;
    });
    const parameters = new Array<string | number>(BATCH * 9);
    return this.#connection.transaction(() => {
      let changed = 0;
      let rows = 0;
      series.forEach((bars, seriesIndex) => {
        const id = ids[seriesIndex]!;
        const count = bars.dates.length;
        let row = 0;
        for (; row + BATCH <= count; row += BATCH) {
          for (let offset = 0; offset < BATCH; offset++) fillRow(parameters, offset * 9, id, bars, row + offset, source);
          changed += this.#batch.run(parameters).changes;
        }
        for (; row < count; row++) {
          const single = new Array<string | number>(9);
          fillRow(single, 0, id, bars, row, source);
          changed += this.#single.run(single).changes;
        }
        rows += count;
      });
      return { changed, rows };
    })();
  }

  /** Bars of a symbol, optionally limited to days [from, to] (inclusive); empty bars when none are stored. */
  read(symbol: string, range: { from?: number; to?: number } = {}): Bars {
    const rows = this.#connection
      .prepare(
        `SELECT date, open, high, low, close, adjusted_close, volume FROM price_data
         WHERE symbol_id = (SELECT id FROM symbols WHERE symbol = ?) AND date BETWEEN ? AND ? ORDER BY date`,
      )
      .raw()
      .all(symbol, range.from ?? -2_147_483_648, range.to ?? 2_147_483_647) as number[][];
    const count = rows.length;
    const columns = Array.from({ length: 7 }, (_, index) => (index === 0 ? new Int32Array(count) : new Float64Array(count)));
    for (let row = 0; row < count; row++) {
      const values = rows[row]!;
      for (let column = 0; column < 7; column++) columns[column]![row] = values[column]!;
    }
    return createBars({
      symbol,
      dates: columns[0]!,
      open: columns[1]!,
      high: columns[2]!,
      low: columns[3]!,
      close: columns[4]!,
      adjustedClose: columns[5]!,
      volume: columns[6]!,
    });
  }

  /** First and last stored day of a symbol, for incremental updates; null when nothing is stored. */
  dateRange(symbol: string): { first: number; last: number; count: number } | null {
    const row = this.#connection
      .prepare('SELECT min(date) AS first, max(date) AS last, count(*) AS count FROM price_data WHERE symbol_id = (SELECT id FROM symbols WHERE symbol = ?)')
      .get(symbol) as { first: number | null; last: number | null; count: number };
    return row.first === null || row.last === null ? null : { first: row.first, last: row.last, count: row.count };
  }

  count(): number {
    return (this.#connection.prepare('SELECT count(*) AS count FROM price_data').get() as { count: number }).count;
  }
}

function fillRow(target: (string | number)[], offset: number, id: number, bars: Bars, row: number, source: string): void {
  target[offset] = id;
  target[offset + 1] = bars.dates[row]!;
  target[offset + 2] = bars.open[row]!;
  target[offset + 3] = bars.high[row]!;
  target[offset + 4] = bars.low[row]!;
  target[offset + 5] = bars.close[row]!;
  target[offset + 6] = bars.adjustedClose[row]!;
  target[offset + 7] = bars.volume[row]!;
  target[offset + 8] = source;
}

/** Refuses values the schema would refuse, with a message that names them (SQLite would store NaN as NULL). */
function checkBars(bars: Bars): void {
  const { dates } = bars;
  for (let row = 1; row < dates.length; row++) {
    if (dates[row]! <= dates[row - 1]!) {
      throw new InvalidArgumentError(
        `${bars.symbol}: dates must be strictly increasing; ${dayToIso(dates[row]!)} follows ${dayToIso(dates[row - 1]!)}`,
      );
    }
  }
  // Column by column over plain numbers; the message is built only when a value fails.
  for (const field of ['open', 'high', 'low', 'close', 'adjustedClose'] as const) {
    const column = bars[field];
    for (let row = 0; row < column.length; row++) {
      const value = column[row]!;
      if (!(value > 0 && value < Infinity)) refuse(bars, row, field, value, 'finite and positive');
    }
  }
  const volume = bars.volume;
  for (let row = 0; row < volume.length; row++) {
    const value = volume[row]!;
    if (!(value >= 0 && value < Infinity)) refuse(bars, row, 'volume', value, 'finite and non-negative');
  }
}

function refuse(bars: Bars, row: number, field: string, value: number, rule: string): never {
  const date = dayToIso(bars.dates[row]!);
  throw new InvalidArgumentError(`${bars.symbol} ${date}: ${field} must be ${rule}, got ${value}`, {
    details: { symbol: bars.symbol, date, field, value: String(value) },
  });
}
