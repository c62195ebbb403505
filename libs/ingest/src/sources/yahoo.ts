/**
 * Daily prices from Yahoo Finance through yahoo-finance2 (chart API: OHLC, volume, adjusted close, splits and
 * dividends). Its requests go through our HttpClient, so they get our timeouts, retries, rate limit and circuit
 * breaker; its log lines go to our Logger, never to the console.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import YahooFinance from 'yahoo-finance2';
import { FormatError, NotFoundError, assertValidBars, createBars, dayToIso, isQuantError, silentLogger, type Logger } from '@quant/core';
import type { HttpClient } from '../resilience/http.js';
import type { DateRange, PriceHistory, PriceSource } from './types.js';

export interface YahooPriceSourceOptions {
  readonly http: HttpClient;
  readonly logger?: Logger;
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
  const logger = options.logger ?? silentLogger;
  const bridge = {
    info: (...parts: unknown[]) => logger.info(parts.map(String).join(' ')),
    warn: (...parts: unknown[]) => logger.warn(parts.map(String).join(' ')),
    error: (...parts: unknown[]) => logger.error(parts.map(String).join(' ')),
    debug: (...parts: unknown[]) => logger.debug(parts.map(String).join(' ')),
    dir: (...parts: unknown[]) => logger.debug(parts.map((part) => JSON.stringify(part)).join(' ')),
  };
  // The caller's abort signal travels with each call (several symbols may be fetched at once through one client).
  const callSignal = new AsyncLocalStorage<AbortSignal | undefined>();
  const yahoo = new YahooFinance({
    versionCheck: false,
    logger: bridge,
    // Our client does the timeouts and retries; yahoo-finance2 sees a fetch that either answers 2xx or throws.
    fetch: (async (input: string | URL | Request) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return (await options.http.getResponse(url, callSignal.getStore())).value;
    }) as typeof fetch,
  });

  return {
    name: 'yahoo',
    async fetchPrices(symbol: string, range: DateRange = {}, signal?: AbortSignal): Promise<PriceHistory> {
      let result: ChartResult;
      try {
        result = (await callSignal.run(signal, () =>
          yahoo.chart(symbol, {
            period1: dayToIso(range.from ?? 0),
            ...(range.to === undefined ? {} : { period2: dayToIso(range.to + 1) }),
            interval: '1d',
            events: 'div|split',
          } as never),
        )) as unknown as ChartResult;
      } catch (error) {
        if (isQuantError(error)) throw error;
        const message = (error as Error).message ?? String(error);
        if (/No data found|delisted|Not Found/i.test(message)) throw new NotFoundError(`yahoo: no prices for ${symbol}: ${message}`, { cause: error });
        throw new FormatError(`yahoo: unexpected chart response for ${symbol}: ${message}`, { cause: error });
      }
      return toHistory(symbol, result, range);
    },
  };
}

/** Converts a chart result to bars on exchange-local trading days; rows without prices (holidays) are skipped. */
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
  assertValidBars(bars);
  return {
    bars,
    splits: (result.events?.splits ?? []).map((split) => ({ date: dayOf(split.date), numerator: split.numerator, denominator: split.denominator })),
    dividends: (result.events?.dividends ?? []).map((dividend) => ({ date: dayOf(dividend.date), amount: dividend.amount })),
  };
}
