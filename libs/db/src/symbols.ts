import { NotFoundError, normalizeCik, type SymbolInfo } from '@quant/core';
import type { Connection } from './database.js';
import { requireText } from './validate.js';

/** Rows of the `symbols` table, which every symbol column references. */
export class SymbolRepository {
  readonly #connection: Connection;
  readonly #upsert;
  readonly #get;
  readonly #ids = new Map<string, number>();

  constructor(connection: Connection) {
    this.#connection = connection;
    this.#upsert = connection.prepare(`
      INSERT INTO symbols (symbol, name, kind, sector, cap_tier, cik) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (symbol) DO UPDATE SET name = excluded.name, kind = excluded.kind, sector = excluded.sector,
        cap_tier = excluded.cap_tier, cik = excluded.cik, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
      WHERE (name, kind, sector, cap_tier, cik) IS NOT (excluded.name, excluded.kind, excluded.sector, excluded.cap_tier, excluded.cik)`);
    this.#get = connection.prepare('SELECT symbol, name, kind, sector, cap_tier AS capTier, cik FROM symbols WHERE symbol = ?');
  }

  /** Adds or updates symbols in one transaction; returns how many rows changed. */
  upsert(symbols: readonly SymbolInfo[]): number {
    const rows = symbols.map((info) => [
      requireText(info.symbol, 'symbol'),
      info.name ?? '',
      info.kind ?? 'stock',
      info.sector ?? null,
      info.capTier ?? null,
      normalizeCik(info.cik),
    ]);
    return this.#connection.transaction(() => rows.reduce((changes, row) => changes + this.#upsert.run(...row).changes, 0))();
  }

  get(symbol: string): SymbolInfo | undefined {
    return this.#get.get(symbol) as SymbolInfo | undefined;
  }

  require(symbol: string): SymbolInfo {
    const info = this.get(symbol);
    if (info === undefined) throw new NotFoundError(`unknown symbol ${JSON.stringify(symbol)}: add it with symbols.upsert first`, { details: { symbol } });
    return info;
  }

  /** The integer id that `price_data` uses for a symbol (cached; ids never change once assigned). */
  id(symbol: string): number {
    let id = this.#ids.get(symbol);
    if (id === undefined) {
      const row = this.#connection.prepare('SELECT id FROM symbols WHERE symbol = ?').get(symbol) as { id: number } | undefined;
      if (row === undefined) throw new NotFoundError(`unknown symbol ${JSON.stringify(symbol)}: add it with symbols.upsert first`, { details: { symbol } });
      id = row.id;
      this.#ids.set(symbol, id);
    }
    return id;
  }

  list(): SymbolInfo[] {
    return this.#connection.prepare('SELECT symbol, name, kind, sector, cap_tier AS capTier, cik FROM symbols ORDER BY symbol').all() as SymbolInfo[];
  }
}
