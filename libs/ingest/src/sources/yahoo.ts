/**
 * Daily prices from Yahoo Finance through yahoo-finance2 (chart API: OHLC, volume, adjusted close, splits and
 * dividends). Its requests go through our HttpClient, so they get our timeouts, retries, rate limit and circuit
 * breaker; its log lines go to our Logger, never to the console. Every history is validated before it is returned
 * (see validatePriceHistory): by default a history with issues is refused with a DataQualityError.
 */
import { createBars, dayToIso, type Logger } from '@quant/core';
import type { HttpClient } from '../resilience/http.js';
import { enforcePriceValidation, type IssuePolicy, type PriceValidationOptions } from '../validation/price-validation.js';
import type { DateRange, PriceHistory, PriceSource } from './types.js';
import { createYahooClient } from './yahoo-client.js';

export interface YahooPriceSourceOptions {
  readonly http: HttpClient;
  readonly logger?: Logger;
  /** 'reject' (default): a history with issues is a DataQualityError; 'flag': returned with `issues`. */
  readonly onIssue?: IssuePolicy;
  readonly validation?: Omit<PriceValidationOptions, 'allowEmpty'>;
}

interface ChartQuote {
  date: Date;
  open: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  volume: number | null;
  adjclose?: number | null;
}

interface ChartResult {
  meta: { symbol: string; gmtoffset?: number | null };
  quotes: ChartQuote[];
  events?: {
    splits?: { date: Date; numerator: number; denominator: number }[];
    dividends?: { date: Date; amount: number }[];
  };
}

const DAY_SECONDS = 86_400;

export function createYahooPriceSource(options: YahooPriceSourceOptions): PriceSource {
  const client = createYahooClient(options.http, options.logger);
  return {
    name: 'yahoo',
    async fetchPrices(symbol: string, range: DateRange = {}, signal?: AbortSignal): Promise<PriceHistory> {
      const result = (await client.call(`${symbol} prices`, signal, (yahoo) =>
        yahoo.chart(symbol, {
          period1: dayToIso(range.from ?? 0),
          ...(range.to === undefined ? {} : { period2: dayToIso(range.to + 1) }),
          interval: '1d',
          events: 'div|split',
        } as never),
      )) as unknown as ChartResult;
      // A request that starts at a given day (an incremental update) may rightly find no trading day yet.
      return enforcePriceValidation(toHistory(symbol, result, range), options.onIssue ?? 'reject', {
        ...options.validation,
        allowEmpty: range.from !== undefined,
      });
    },
  };
}

/**
 * Converts a chart result to bars on exchange-local trading days; rows without prices (holidays) are skipped.
 * Checks nothing about the values: validatePriceHistory does.
 */
export function toHistory(symbol: string, result: ChartResult, range: DateRange = {}): PriceHistory {
  const offset = result.meta.gmtoffset ?? 0;
  const dayOf = (date: Date) => Math.floor((date.getTime() / 1000 + offset) / DAY_SECONDS);
  const rows = result.quotes.filter(
    (quote) => quote.open !== null && quote.high !== null && quote.low !== null && quote.close !== null && quote.volume !== null,
  );
  const inRange = rows.filter((quote) => {
    const day = dayOf(quote.date);
    return (range.from === undefined || day >= range.from) && (range.to === undefined || day <= range.to);
  });
  const bars = createBars({
    symbol,
    dates: inRange.map((quote) => dayOf(quote.date)),
    open: inRange.map((quote) => quote.open!),
    high: inRange.map((quote) => quote.high!),
    low: inRange.map((quote) => quote.low!),
    close: inRange.map((quote) => quote.close!),
    adjustedClose: inRange.map((quote) => quote.adjclose ?? quote.close!),
    volume: inRange.map((quote) => quote.volume!),
  });
  const inBars = (day: number) => (range.from === undefined || day >= range.from) && (range.to === undefined || day <= range.to);
  return {
    bars,
    splits: (result.events?.splits ?? [])
      .map((split) => ({ date: dayOf(split.date), numerator: split.numerator, denominator: split.denominator }))
      .filter((split) => inBars(split.date)),
    dividends: (result.events?.dividends ?? []).map((dividend) => ({ date: dayOf(dividend.date), amount: dividend.amount })).filter((dividend) => inBars(dividend.date)),
  };
}
