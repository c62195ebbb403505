/**
 * A JSON/text HTTP client that never hangs and never hammers: per-request timeout, retries with exponential backoff
 * and full jitter (Brooker, "Exponential Backoff And Jitter", AWS Architecture Blog 2015) that honour Retry-After,
 * a token-bucket rate limit and a circuit breaker per service. Every failure is a typed QuantError that says what
 * happened and how many attempts were made.
 */
import {
  CancelledError,
  FormatError,
  NetworkError,
  NotFoundError,
  QuantError,
  RateLimitedError,
  TimeoutError,
  createRandom,
  isQuantError,
  type Random,
} from '@quant/core';
import { CircuitBreaker, CircuitOpenError, type CircuitBreakerOptions } from './circuit-breaker.js';
import { systemClock, type Clock } from './clock.js';
import { TokenBucket, type RateLimiterOptions } from './rate-limiter.js';

export type FetchFunction = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<Response>;

export interface RetryPolicy {
  /** Retries after the first attempt (default 3). */
  readonly retries: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs x 2^n)] (default 500 ms). */
  readonly baseDelayMs: number;
  /** Longest wait between attempts, also the cap on a server's Retry-After (default 30 s). */
  readonly maxDelayMs: number;
}

export interface HttpClientOptions {
  /** Name used in messages and failure reports ("yahoo", "sec"). */
  readonly service: string;
  readonly fetch?: FetchFunction;
  readonly clock?: Clock;
  /** Seed of the jitter (deterministic tests); default 1. */
  readonly seed?: number;
  /** Per-request timeout (default 10 s). */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Rate limit of the service, or a bucket shared with other clients of it. */
  readonly rateLimit?: RateLimiterOptions | TokenBucket;
  readonly circuitBreaker?: CircuitBreakerOptions;
  /** Headers for every request (SEC requires a User-Agent naming the requester). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Per-request settings. */
export interface RequestOptions {
  /** Headers added to (and overriding) the client's headers for this request. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpResult<T> {
  readonly value: T;
  readonly attempts: number;
}

/** Attempts made by the failed call, for failure reports. */
export function attemptsOf(error: unknown): number {
  return isQuantError(error) && typeof error.details['attempts'] === 'number' ? (error.details['attempts'] as number) : 1;
}

const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

export class HttpClient {
  readonly service: string;
  readonly #fetch: FetchFunction;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #timeoutMs: number;
  readonly #retry: RetryPolicy;
  readonly #bucket: TokenBucket | undefined;
  readonly #breaker: CircuitBreaker;
  readonly #headers: Record<string, string>;

  constructor(options: HttpClientOptions) {
    this.service = options.service;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#clock = options.clock ?? systemClock;
    this.#random = createRandom(options.seed ?? 1);
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#bucket = options.rateLimit instanceof TokenBucket ? options.rateLimit : options.rateLimit ? new TokenBucket(options.rateLimit, this.#clock) : undefined;
    this.#breaker = new CircuitBreaker(options.service, options.circuitBreaker ?? {}, this.#clock);
    this.#headers = { ...options.headers };
  }

  get circuitState() {
    return this.#breaker.state;
  }

  /** GET a JSON document. An HTML page or invalid (truncated) JSON is a FormatError, retried like a server error. */
  getJson(url: string, signal?: AbortSignal, options: RequestOptions = {}): Promise<HttpResult<unknown>> {
    return this.#request(url, signal, options, (text, response) => this.#parseJson(url, text, response));
  }

  /**
   * GET through the same timeouts, retries, rate limit and circuit breaker, returning the response itself (status
   * 2xx, body buffered). Used as the `fetch` of third-party clients such as yahoo-finance2. With `expectJson`, a body
   * that is not valid JSON is refused (and retried) here, as getJson does, instead of reaching the caller.
   */
  getResponse(url: string, signal?: AbortSignal, options: RequestOptions & { readonly expectJson?: boolean } = {}): Promise<HttpResult<Response>> {
    return this.#request(url, signal, options, (text, response) => {
      if (options.expectJson) this.#parseJson(url, text, response);
      return new Response(text, { status: response.status, headers: response.headers });
    });
  }

  /** GET a text document (HTML filings, CSV). */
  getText(url: string, signal?: AbortSignal, options: RequestOptions = {}): Promise<HttpResult<string>> {
    return this.#request(url, signal, options, (text) => text);
  }

  #parseJson(url: string, text: string, response: Response): unknown {
    const type = response.headers.get('content-type') ?? '';
    if (/html/i.test(type) || /^\s*</.test(text)) {
      throw new FormatError(`${this.service}: expected JSON from ${url} but got an HTML page (${text.slice(0, 60).replace(/\s+/g, ' ')}...)`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new FormatError(`${this.service}: the response from ${url} is not valid JSON (${text.length} bytes; truncated?)`, { cause: error });
    }
  }

  async #request<T>(
    url: string,
    signal: AbortSignal | undefined,
    options: RequestOptions,
    parse: (text: string, response: Response) => T,
  ): Promise<HttpResult<T>> {
    const headers = options.headers === undefined ? this.#headers : { ...this.#headers, ...options.headers };
    let attempt = 0;
    for (;;) {
      attempt++;
      if (signal?.aborted) throw this.#cancelled(url, signal, attempt - 1);
      let retryAfterMs: number | undefined;
      try {
        this.#breaker.beforeCall();
        if (this.#bucket) await this.#bucket.acquire(signal);
        const value = await this.#attempt(url, signal, headers, parse, (delay) => (retryAfterMs = delay));
        this.#breaker.onSuccess();
        return { value, attempts: attempt };
      } catch (error) {
        if (error instanceof CircuitOpenError) throw withAttempts(error, attempt - 1);
        if (signal?.aborted) throw this.#cancelled(url, signal, attempt);
        const retryable = isRetryable(error);
        if (retryable) this.#breaker.onFailure();
        else if (!(error instanceof CancelledError)) this.#breaker.onSuccess(); // the service answered; the request was wrong
        if (!retryable || attempt > this.#retry.retries) throw withAttempts(error, attempt);
        const backoff = this.#random.next() * Math.min(this.#retry.maxDelayMs, this.#retry.baseDelayMs * 2 ** (attempt - 1));
        const wait = Math.min(this.#retry.maxDelayMs, Math.max(backoff, retryAfterMs ?? 0));
        try {
          await this.#clock.sleep(wait, signal);
        } catch {
          throw this.#cancelled(url, signal!, attempt);
        }
      }
    }
  }

  async #attempt<T>(
    url: string,
    signal: AbortSignal | undefined,
    headers: Record<string, string>,
    parse: (text: string, response: Response) => T,
    setRetryAfter: (milliseconds: number) => void,
  ): Promise<T> {
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onOuterAbort, { once: true });
    let timedOut = false;
    const timer = new AbortController();
    const timeout = this.#clock.sleep(this.#timeoutMs, timer.signal).then(
      () => {
        timedOut = true;
        controller.abort(new TimeoutError(`${this.service}: no complete answer from ${url} within ${this.#timeoutMs} ms`));
      },
      () => undefined,
    );
    try {
      const response = await this.#fetch(url, { signal: controller.signal, headers });
      const text = await response.text();
      if (response.status === 429) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'), this.#clock);
        if (retryAfter !== undefined) setRetryAfter(retryAfter);
        throw new RateLimitedError(`${this.service}: rate limited (HTTP 429)${retryAfter === undefined ? '' : `, retry after ${Math.round(retryAfter)} ms`}`, { details: { url, status: 429 } });
      }
      if (response.status === 404) throw new NotFoundError(`${this.service}: ${url} does not exist (HTTP 404)`, { details: { url, status: 404 } });
      if (response.status >= 500) throw new NetworkError(`${this.service}: server error HTTP ${response.status} from ${url}`, { details: { url, status: response.status } });
      if (response.status >= 400) throw new QuantError('INVALID_ARGUMENT', `${this.service}: HTTP ${response.status} for ${url}`, { details: { url, status: response.status } });
      return parse(text, response);
    } catch (error) {
      if (timedOut) throw new TimeoutError(`${this.service}: no complete answer from ${url} within ${this.#timeoutMs} ms`, { cause: error });
      if (isQuantError(error)) throw error;
      if (signal?.aborted) throw error;
      throw new NetworkError(`${this.service}: request to ${url} failed: ${(error as Error).message}`, { cause: error });
    } finally {
      timer.abort();
      await timeout;
      signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  #cancelled(url: string, signal: AbortSignal, attempts: number): QuantError {
    const reason = signal.reason;
    if (isQuantError(reason)) return withAttempts(reason, attempts);
    return new CancelledError(`${this.service}: request to ${url} cancelled`, { cause: reason, details: { attempts } });
  }
}

function isRetryable(error: unknown): boolean {
  return error instanceof TimeoutError || error instanceof RateLimitedError || error instanceof NetworkError || error instanceof FormatError;
}

function withAttempts(error: unknown, attempts: number): QuantError {
  if (!isQuantError(error)) return new NetworkError(String(error), { cause: error, details: { attempts } });
  (error.details as Record<string, unknown>)['attempts'] = attempts;
  return error;
}

/** Retry-After as milliseconds: delay-seconds or an HTTP date (RFC 9110, section 10.2.3). */
export function parseRetryAfter(value: string | null, clock: Clock): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - clock.epochMilliseconds());
}
