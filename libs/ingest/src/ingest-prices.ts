/**
 * Ingests prices for many symbols: per-symbol deadlines and typed failures (runPerSymbol), validation of every
 * history (rejected or flagged, never stored silently), and incremental updates that fetch only the days after the
 * last stored one.
 *
 * Domain rule for incremental updates: stored closes are split-adjusted and stored adjusted closes are split- and
 * dividend-adjusted as of the day they were fetched. A split or a dividend after the last stored day changes every
 * earlier adjusted value, so appending the new days would leave a seam in the series. When the new days carry such
 * an event, the whole history is fetched again and returned as a replacement (mode 'full').
 */
import { DataQualityError, createBars, dayToIso, describeValue, InvalidArgumentError, lastIndexOnOrBefore, sliceBars, type Bars } from '@quant/core';
import { runPerSymbol, type RunPerSymbolOptions, type RunPerSymbolResult } from './resilience/run.js';
import type { DateRange, PriceHistory, PriceSource } from './sources/types.js';
import { enforcePriceValidation, type IssuePolicy, type PriceIssue, type PriceValidationOptions } from './validation/price-validation.js';

export interface IngestPricesOptions extends Omit<RunPerSymbolOptions, 'source'> {
  /**
   * Last stored trading day per symbol (day number, see isoToDay). A symbol listed here gets only the days after it;
   * a symbol absent is fetched in full. Pass what the database holds; ingest does not read the database itself.
   */
  readonly lastStored?: ReadonlyMap<string, number>;
  /** First day wanted for a full history (default: as early as the source has). */
  readonly from?: number;
  /** Last day wanted, usually today (default: the latest the source has). */
  readonly to?: number;
  /** 'reject' (default): a history with issues fails the symbol with DATA_QUALITY; 'flag': kept with its issues. */
  readonly onIssue?: IssuePolicy;
  readonly validation?: Omit<PriceValidationOptions, 'allowEmpty'>;
}

export type PriceUpdateMode =
  /** `history` is the whole history in the requested range: replace what is stored. */
  | 'full'
  /** `history` holds only days after the last stored one: append them. */
  | 'incremental'
  /** Nothing new (no request was needed, or no trading day since the last stored one). */
  | 'up-to-date';

export interface PriceUpdate {
  readonly symbol: string;
  readonly mode: PriceUpdateMode;
  /** The ranges asked of the source, in order (empty when no request was needed). */
  readonly requested: readonly DateRange[];
  readonly history: PriceHistory;
  /** Validation issues kept with policy 'flag' (empty otherwise: with 'reject' such a symbol fails). */
  readonly issues: readonly PriceIssue[];
  /** Why an incremental update became a full one. */
  readonly reason?: string;
}

export function ingestPrices(source: PriceSource, symbols: readonly string[], options: IngestPricesOptions = {}): Promise<RunPerSymbolResult<PriceUpdate>> {
  const policy = options.onIssue ?? 'reject';
  if (policy !== 'reject' && policy !== 'flag') throw new InvalidArgumentError(`onIssue must be 'reject' or 'flag', got ${describeValue(policy)}`);
  return runPerSymbol(symbols, (symbol, signal) => updateSymbol(source, symbol, options, policy, signal), { ...options, source: source.name });
}

async function updateSymbol(source: PriceSource, symbol: string, options: IngestPricesOptions, policy: IssuePolicy, signal: AbortSignal): Promise<PriceUpdate> {
  const full: DateRange = { ...(options.from === undefined ? {} : { from: options.from }), ...(options.to === undefined ? {} : { to: options.to }) };
  const last = options.lastStored?.get(symbol);
  const fetchFull = async (requested: DateRange[], reason?: string): Promise<PriceUpdate> => {
    requested.push(full);
    const history = enforcePriceValidation(await source.fetchPrices(symbol, full, signal), policy, options.validation);
    return { symbol, mode: 'full', requested, history, issues: history.issues ?? [], ...(reason === undefined ? {} : { reason }) };
  };
  if (last === undefined) return fetchFull([]);
  if (!Number.isInteger(last)) throw new InvalidArgumentError(`${symbol}: the last stored day must be a day number, got ${describeValue(last)}`);
  if (options.to !== undefined && last >= options.to) {
    return { symbol, mode: 'up-to-date', requested: [], history: { bars: emptyBars(symbol), splits: [], dividends: [] }, issues: [] };
  }

  const missing: DateRange = { from: last + 1, ...(options.to === undefined ? {} : { to: options.to }) };
  const fetched = await source.fetchPrices(symbol, missing, signal);
  const event = adjustmentEventAfter(fetched, last);
  if (event !== undefined) return fetchFull([missing], `${event} after the last stored day ${dayToIso(last)} changes the adjusted prices of the stored bars`);
  // A source that ignores `from` must not make stored days appear twice.
  const bars = sliceBars(fetched.bars, lastIndexOnOrBefore(fetched.bars.dates, last) + 1);
  const history = enforcePriceValidation({ ...fetched, bars }, policy, { ...options.validation, allowEmpty: true });
  return {
    symbol,
    mode: bars.dates.length === 0 ? 'up-to-date' : 'incremental',
    requested: [missing],
    history,
    issues: history.issues ?? [],
  };
}

function adjustmentEventAfter(history: PriceHistory, last: number): string | undefined {
  const split = history.splits.find((item) => item.date > last);
  if (split !== undefined) return `a ${split.numerator}:${split.denominator} split on ${dayToIso(split.date)}`;
  const dividend = history.dividends.find((item) => item.date > last);
  if (dividend !== undefined) return `a dividend of ${dividend.amount} on ${dayToIso(dividend.date)}`;
  return undefined;
}

function emptyBars(symbol: string): Bars {
  return createBars({ symbol, dates: [], open: [], high: [], low: [], close: [], adjustedClose: [], volume: [] });
}

/**
 * Appends the bars of an incremental update to the stored ones. The new bars must all come after the last stored
 * day (dates strictly increasing across the seam); anything else is refused rather than overwritten.
 */
export function appendBars(stored: Bars, fresh: Bars): Bars {
  if (stored.symbol !== fresh.symbol) throw new InvalidArgumentError(`cannot append bars of ${fresh.symbol} to bars of ${stored.symbol}`);
  if (fresh.dates.length === 0) return stored;
  const lastStored = stored.dates[stored.dates.length - 1];
  if (lastStored !== undefined && fresh.dates[0]! <= lastStored) {
    throw new DataQualityError(
      `${stored.symbol}: the new bars start on ${dayToIso(fresh.dates[0]!)} but bars up to ${dayToIso(lastStored)} are stored; an update must only add later days`,
      { details: { symbol: stored.symbol } },
    );
  }
  const join = <T extends Float64Array | Int32Array>(a: T, b: T, make: (length: number) => T): T => {
    const out = make(a.length + b.length);
    out.set(a);
    out.set(b, a.length);
    return out;
  };
  const floats = (length: number) => new Float64Array(length);
  return {
    symbol: stored.symbol,
    dates: join(stored.dates, fresh.dates, (length) => new Int32Array(length)),
    open: join(stored.open, fresh.open, floats),
    high: join(stored.high, fresh.high, floats),
    low: join(stored.low, fresh.low, floats),
    close: join(stored.close, fresh.close, floats),
    adjustedClose: join(stored.adjustedClose, fresh.adjustedClose, floats),
    volume: join(stored.volume, fresh.volume, floats),
  };
}
