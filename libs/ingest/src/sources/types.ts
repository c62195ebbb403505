/** The small interfaces every source implements, so the trainer can swap embedded, CSV and live data. */
import type { Bars, Filing, NewsItem } from '@quant/core';
import type { PriceIssue } from '../validation/price-validation.js';

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
  /** Issues found by validation when the caller chose to keep flagged data (policy 'flag'); absent when clean. */
  readonly issues?: readonly PriceIssue[];
}

export interface PriceSource {
  /** Short name used in failure reports and stored rows ("embedded", "csv", "yahoo"). */
  readonly name: string;
  /** Daily bars of a symbol in a range. Throws a QuantError (NOT_FOUND, DATA_QUALITY, TIMEOUT, ...) on failure. */
  fetchPrices(symbol: string, range?: DateRange, signal?: AbortSignal): Promise<PriceHistory>;
}

/** Which filings to fetch: a filing-date range (day numbers) and optionally only some forms. */
export interface FilingQuery extends DateRange {
  /** Form types to keep, as EDGAR writes them ('8-K', '8-K/A', '10-Q'); default all. */
  readonly forms?: readonly string[];
}

export interface FilingSource {
  readonly name: string;
  /** A company's filings, oldest first. Throws a QuantError on failure. */
  fetchFilings(symbol: string, query?: FilingQuery, signal?: AbortSignal): Promise<Filing[]>;
}

export interface NewsSource {
  readonly name: string;
  /** Recent headlines about a symbol, oldest first. Throws a QuantError on failure. */
  fetchNews(symbol: string, signal?: AbortSignal): Promise<NewsItem[]>;
}
