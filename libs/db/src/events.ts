import { InvalidArgumentError, describeValue } from '@quant/core';
import type { Connection } from './database.js';
import { requireFinite, requireInteger, requireText, toJson } from './validate.js';

/** Checks one event before anything is written; the message names the event and the bad value. */
function checkEvent(event: EventRow): void {
  const where = `event ${describeValue(event?.sourceId)} of ${describeValue(event?.symbol)}`;
  if (event.source !== 'sec' && event.source !== 'news') throw new InvalidArgumentError(`${where}: source must be 'sec' or 'news', got ${describeValue(event.source)}`);
  if (!(typeof event.severity === 'number' && event.severity >= 0 && event.severity <= 1)) throw new InvalidArgumentError(`${where}: severity must be in [0, 1], got ${describeValue(event.severity)}`);
  for (const [name, value] of [['dividend impact', event.impactDividend], ['liquidity impact', event.impactLiquidity], ['credit impact', event.impactCredit]] as const) {
    if (!(typeof value === 'number' && value >= -1 && value <= 1)) throw new InvalidArgumentError(`${where}: ${name} must be in [-1, 1], got ${describeValue(value)}`);
  }
  if (event.sentiment !== null && !(typeof event.sentiment === 'number' && event.sentiment >= -1 && event.sentiment <= 1)) {
    throw new InvalidArgumentError(`${where}: sentiment must be null or in [-1, 1], got ${describeValue(event.sentiment)}`);
  }
  if (typeof event.rare !== 'boolean') throw new InvalidArgumentError(`${where}: rare must be a boolean, got ${describeValue(event.rare)}`);
}

const EVENT_COLUMNS = `symbol, source, source_id AS sourceId, event_type AS eventType, published_at AS publishedAt, effective_date AS effectiveDate,
  severity, impact_dividend AS impactDividend, impact_liquidity AS impactLiquidity, impact_credit AS impactCredit, sentiment,
  title, items, rare, payload`;

type StoredEventRow = Omit<EventRow, 'rare' | 'payload'> & { rare: number; payload: string | null };

function fromStored(row: StoredEventRow): EventRow {
  return { ...row, rare: row.rare === 1, payload: row.payload === null ? null : JSON.parse(row.payload) };
}

/** A day range, both ends included; either end may be left open. */
export interface DayRange {
  readonly from?: number;
  readonly to?: number;
}

const MINIMUM_DAY = -2_147_483_648;
const MAXIMUM_DAY = 2_147_483_647;

function rangeBounds(range: DayRange): [number, number] {
  const from = range.from === undefined ? MINIMUM_DAY : requireInteger(range.from, 'range start');
  const to = range.to === undefined ? MAXIMUM_DAY : requireInteger(range.to, 'range end');
  if (from > to) throw new InvalidArgumentError(`range start ${from} is after range end ${to}`);
  return [from, to];
}

export interface EventRow {
  readonly symbol: string;
  readonly source: 'sec' | 'news';
  /** The source's own id: an accession number for filings, a URL or id for news. */
  readonly sourceId: string;
  readonly eventType: string;
  /** When the event became public (ISO 8601 with time zone). */
  readonly publishedAt: string;
  /** First trading day on which the event is known (point in time). */
  readonly effectiveDate: number;
  readonly severity: number;
  readonly impactDividend: number;
  readonly impactLiquidity: number;
  readonly impactCredit: number;
  readonly sentiment: number | null;
  readonly title: string;
  readonly items: string | null;
  /** Rare, high-severity events are kept for replay (the rare-event archive). */
  readonly rare: boolean;
  readonly payload: unknown;
}

export interface DynamicEventRow {
  readonly symbol: string;
  readonly date: number;
  readonly kind: 'gap_up' | 'gap_down' | 'volume_spike' | 'large_move' | 'stale_price';
  readonly magnitude: number;
  readonly details: unknown;
}

/** Events from filings and news, events detected in market data, and the packed event features. */
export class EventRepository {
  readonly #connection: Connection;

  constructor(connection: Connection) {
    this.#connection = connection;
  }

  /** Stores events idempotently: the same (source, source id, symbol, type) is updated, not duplicated. */
  upsertEvents(events: readonly EventRow[]): number {
    const statement = this.#connection.prepare(`
      INSERT INTO events (symbol, source, source_id, event_type, published_at, effective_date, severity, impact_dividend,
        impact_liquidity, impact_credit, sentiment, title, items, rare, payload)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (source, source_id, symbol, event_type) DO UPDATE SET published_at = excluded.published_at,
        effective_date = excluded.effective_date, severity = excluded.severity, impact_dividend = excluded.impact_dividend,
        impact_liquidity = excluded.impact_liquidity, impact_credit = excluded.impact_credit, sentiment = excluded.sentiment,
        title = excluded.title, items = excluded.items, rare = excluded.rare, payload = excluded.payload`);
    const values = events.map((event) => {
      checkEvent(event);
      if (Number.isNaN(Date.parse(event.publishedAt))) throw new InvalidArgumentError(`event ${event.sourceId}: publishedAt ${JSON.stringify(event.publishedAt)} is not a date-time`);
      return [requireText(event.symbol, 'symbol'), event.source, requireText(event.sourceId, 'source id'), requireText(event.eventType, 'event type'), event.publishedAt,
        requireInteger(event.effectiveDate, 'effective date'), requireFinite(event.severity, 'severity'), requireFinite(event.impactDividend, 'dividend impact'),
        requireFinite(event.impactLiquidity, 'liquidity impact'), requireFinite(event.impactCredit, 'credit impact'), event.sentiment, event.title, event.items,
        event.rare ? 1 : 0, event.payload === undefined ? null : toJson(event.payload, 'payload')];
    });
    return this.#connection.transaction(() => values.reduce((changes, value) => changes + statement.run(value).changes, 0))();
  }

  /** Events of a symbol effective in [from, to] (day numbers, both included), oldest first. */
  events(symbol: string, range: DayRange = {}): EventRow[] {
    const [from, to] = rangeBounds(range);
    const rows = this.#connection
      .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE symbol = ? AND effective_date BETWEEN ? AND ? ORDER BY effective_date, id`)
      .all(symbol, from, to) as StoredEventRow[];
    return rows.map(fromStored);
  }

  /**
   * The events that the event features of `symbol` over the day range [from, to] need: those effective in
   * [from - lookbackDays, to], oldest first. The features look back at most 400 calendar days (the latest periodic
   * report), so that is the default.
   */
  eventsForFeatures(symbol: string, range: { readonly from: number; readonly to: number }, lookbackDays = 400): EventRow[] {
    const [from, to] = rangeBounds(range);
    return this.events(symbol, { from: from - requireInteger(lookbackDays, 'lookback days'), to });
  }

  /** The rare-event archive, newest first; only `symbol`'s when given. */
  rareEvents(limit = 100, symbol?: string): EventRow[] {
    const rows = (
      symbol === undefined
        ? this.#connection.prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE rare = 1 ORDER BY effective_date DESC, id DESC LIMIT ?`).all(requireInteger(limit, 'limit'))
        : this.#connection
            .prepare(`SELECT ${EVENT_COLUMNS} FROM events WHERE rare = 1 AND symbol = ? ORDER BY effective_date DESC, id DESC LIMIT ?`)
            .all(symbol, requireInteger(limit, 'limit'))
    ) as StoredEventRow[];
    return rows.map(fromStored);
  }

  upsertDynamicEvents(events: readonly DynamicEventRow[]): void {
    const statement = this.#connection.prepare(
      'INSERT OR REPLACE INTO dynamic_events (symbol, date, kind, magnitude, details) VALUES (?, ?, ?, ?, ?)',
    );
    const values = events.map((event) => [event.symbol, requireInteger(event.date, 'date'), event.kind, requireFinite(event.magnitude, 'magnitude'), event.details === undefined ? null : toJson(event.details, 'details')]);
    this.#connection.transaction(() => values.forEach((value) => statement.run(value)))();
  }

  dynamicEvents(symbol: string): DynamicEventRow[] {
    const rows = this.#connection
      .prepare('SELECT symbol, date, kind, magnitude, details FROM dynamic_events WHERE symbol = ? ORDER BY date, kind')
      .all(symbol) as (Omit<DynamicEventRow, 'details'> & { details: string | null })[];
    return rows.map((row) => ({ ...row, details: row.details === null ? null : JSON.parse(row.details) }));
  }

  /** Stores a symbol's event features: one row per date, `values` row-major (dates.length x featureCount). */
  writeEventFeatures(version: string, symbol: string, dates: Int32Array, values: Float64Array, featureCount: number): void {
    if (values.length !== dates.length * featureCount) {
      throw new InvalidArgumentError(`${symbol}: ${values.length} event feature values do not fill ${dates.length} dates x ${featureCount} features`);
    }
    const statement = this.#connection.prepare('INSERT OR REPLACE INTO event_features (symbol, feature_set_version, date, "values") VALUES (?, ?, ?, ?)');
    this.#connection.transaction(() => {
      for (let row = 0; row < dates.length; row++) {
        const slice = values.slice(row * featureCount, (row + 1) * featureCount);
        statement.run(symbol, version, dates[row]!, Buffer.from(slice.buffer));
      }
    })();
  }

  /** A symbol's stored event features, all dates or those in `range` (both ends included), in date order. */
  readEventFeatures(version: string, symbol: string, range: DayRange = {}): { dates: Int32Array; values: Float64Array; featureCount: number } {
    const [from, to] = rangeBounds(range);
    const rows = this.#connection
      .prepare('SELECT date, "values" FROM event_features WHERE feature_set_version = ? AND symbol = ? AND date BETWEEN ? AND ? ORDER BY date')
      .all(version, symbol, from, to) as { date: number; values: Buffer }[];
    const featureCount = rows.length === 0 ? 0 : rows[0]!.values.length / 8;
    const dates = new Int32Array(rows.length);
    const values = new Float64Array(rows.length * featureCount);
    rows.forEach((row, index) => {
      dates[index] = row.date;
      values.set(new Float64Array(new Uint8Array(row.values).buffer), index * featureCount);
    });
    return { dates, values, featureCount };
  }
}
