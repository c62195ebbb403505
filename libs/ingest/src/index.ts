/**
 * @quant/ingest: market data that never hangs, never loses data, and works offline. A resilient HTTP layer
 * (timeouts, retries, rate limits, circuit breaker), a per-symbol runner with deadlines and typed failures, price
 * sources (Yahoo, embedded, CSV) with validation and incremental updates, SEC EDGAR filings and Yahoo news.
 */
export { HttpClient, parseRetryAfter, attemptsOf } from './resilience/http.js';
export type { HttpClientOptions, HttpResult, RequestOptions, RetryPolicy, FetchFunction } from './resilience/http.js';
export { TokenBucket } from './resilience/rate-limiter.js';
export type { RateLimiterOptions } from './resilience/rate-limiter.js';
export { CircuitBreaker, CircuitOpenError } from './resilience/circuit-breaker.js';
export type { CircuitBreakerOptions, CircuitState } from './resilience/circuit-breaker.js';
export { systemClock } from './resilience/clock.js';
export type { Clock } from './resilience/clock.js';
export { runPerSymbol } from './resilience/run.js';
export type { IngestFailure, IngestSuccess, RunPerSymbolOptions, RunPerSymbolResult } from './resilience/run.js';

export type {
  PriceSource,
  PriceHistory,
  DateRange,
  Split,
  Dividend,
  FilingSource,
  FilingQuery,
  NewsSource,
} from './sources/types.js';
export { createYahooPriceSource, toHistory } from './sources/yahoo.js';
export type { YahooPriceSourceOptions } from './sources/yahoo.js';
export { createCsvFolderSource, parsePriceCsv } from './sources/csv.js';
export type { CsvFolderSourceOptions } from './sources/csv.js';
export { createEmbeddedSource } from './sources/embedded.js';

export { validatePriceHistory, enforcePriceValidation, DEFAULT_MAX_DAILY_LOG_RETURN } from './validation/price-validation.js';
export type { PriceIssue, PriceIssueKind, PriceValidationReport, PriceValidationOptions, IssuePolicy } from './validation/price-validation.js';
export { ingestPrices, appendBars } from './ingest-prices.js';
export type { IngestPricesOptions, PriceUpdate, PriceUpdateMode } from './ingest-prices.js';

export {
  createEdgarSource,
  filingDocumentUrl,
  parseCompanyTickers,
  parseSubmissions,
  parseFilingColumns,
  EDGAR_URLS,
  SEC_MAX_REQUESTS_PER_SECOND,
} from './sources/edgar.js';
export type { EdgarSource, EdgarSourceOptions, EdgarCompany, EdgarSubmissions, EdgarSubmissionsQuery, TickerEntry } from './sources/edgar.js';
export { inferAcceptanceClock, acceptanceInstant, newYorkToUtc, newYorkWallClock } from './sources/edgar-time.js';
export type { AcceptanceClock, AcceptanceClockEvidence, AcceptanceInput } from './sources/edgar-time.js';
export { htmlToText } from './sources/html-text.js';
export { createYahooNewsSource, toNewsItems } from './sources/news.js';
export type { YahooNewsSourceOptions } from './sources/news.js';
