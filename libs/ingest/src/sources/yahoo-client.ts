/**
 * One yahoo-finance2 instance wired to our HttpClient: its requests get our timeouts, retries, rate limit and
 * circuit breaker, its log lines go to our Logger (never the console), and the caller's abort signal reaches the
 * request. Shared by the Yahoo price and news sources.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import YahooFinance from 'yahoo-finance2';
import { FormatError, NotFoundError, isQuantError, silentLogger, type Logger } from '@quant/core';
import type { HttpClient } from '../resilience/http.js';

export interface YahooClient {
  readonly yahoo: InstanceType<typeof YahooFinance>;
  /** Runs one yahoo-finance2 call with `signal` attached to its requests, mapping its errors to QuantErrors. */
  call<T>(what: string, signal: AbortSignal | undefined, run: (yahoo: InstanceType<typeof YahooFinance>) => Promise<T>): Promise<T>;
}

export function createYahooClient(http: HttpClient, logger: Logger = silentLogger): YahooClient {
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
    // Our client does the timeouts and retries, and refuses (and retries) truncated JSON and HTML error pages;
    // yahoo-finance2 sees a fetch that either answers 2xx with JSON or throws.
    fetch: (async (input: string | URL | Request) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return (await http.getResponse(url, callSignal.getStore(), { expectJson: true })).value;
    }) as typeof fetch,
  });
  return {
    yahoo,
    async call(what, signal, run) {
      try {
        return await callSignal.run(signal, () => run(yahoo));
      } catch (error) {
        if (isQuantError(error)) throw error;
        const message = (error as Error).message ?? String(error);
        if (/No data found|delisted|Not Found/i.test(message)) throw new NotFoundError(`yahoo: no data for ${what}: ${message}`, { cause: error });
        // yahoo-finance2 checks every response against its schema: a failure here means Yahoo changed its JSON.
        throw new FormatError(`yahoo: unexpected response for ${what} (schema change?): ${message}`, { cause: error });
      }
    },
  };
}
