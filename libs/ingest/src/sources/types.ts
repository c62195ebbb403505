/** The small interfaces every source implements, so the trainer can swap embedded, CSV and live data. */
import type { Bars } from '@quant/core';

export interface DateRange {
  /** First day wanted (day number, inclusive); default: as early as the source has. */
  readonly from?: number;
  /** Last day wanted (inclusive); default: the latest. */
  readonly to?: number;
}

export interface Split {
  readonly date: number;
  readonly numerator: number;
  readonly denominator: number;
}

export interface Dividend {
  readonly date: number;
  readonly amount: number;
}

export interface PriceHistory {
  readonly bars: Bars;
  readonly splits: readonly Split[];
  readonly dividends: readonly Dividend[];
}

export interface PriceSource {
  /** Short name used in failure reports and stored rows ("embedded", "csv", "yahoo"). */
  readonly name: string;
  /** Daily bars of a symbol in a range. Throws a QuantError (NOT_FOUND, DATA_QUALITY, TIMEOUT, ...) on failure. */
  fetchPrices(symbol: string, range?: DateRange, signal?: AbortSignal): Promise<PriceHistory>;
}
