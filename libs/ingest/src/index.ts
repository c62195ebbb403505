/**
 * @quant/ingest: market data that never hangs, never loses data, and works offline (first part: the resilient HTTP
 * layer, the per-symbol runner and the Yahoo price source).
 */
export { HttpClient, parseRetryAfter, attemptsOf } from './resilience/http.js';
export type { HttpClientOptions, HttpResult, RetryPolicy, FetchFunction } from './resilience/http.js';
export { TokenBucket } from './resilience/rate-limiter.js';
export type { RateLimiterOptions } from './resilience/rate-limiter.js';
export { CircuitBreaker, CircuitOpenError } from './resilience/circuit-breaker.js';
export type { CircuitBreakerOptions, CircuitState } from './resilience/circuit-breaker.js';
export { systemClock } from './resilience/clock.js';
export type { Clock } from './resilience/clock.js';
export { runPerSymbol } from './resilience/run.js';
export type { IngestFailure, IngestSuccess, RunPerSymbolOptions, RunPerSymbolResult } from './resilience/run.js';
export { createYahooPriceSource, toHistory } from './sources/yahoo.js';
export type { YahooPriceSourceOptions } from './sources/yahoo.js';
export type { PriceSource, PriceHistory, DateRange, Split, Dividend } from './sources/types.js';
export { createCsvFolderSource, parsePriceCsv } from './sources/csv.js';
export { createEmbeddedSource } from './sources/embedded.js';
