/**
 * Runs one task per symbol with bounded concurrency and a per-symbol deadline. A symbol that fails or runs past its
 * deadline is recorded with the reason and the run goes on: one bad symbol costs at most its deadline.
 */
import { InvalidArgumentError, TimeoutError, isQuantError, describeValue } from '@quant/core';
import { systemClock, type Clock } from './clock.js';
import { attemptsOf } from './http.js';

export interface IngestFailure {
  readonly symbol: string;
  /** The source that failed ("yahoo", "sec", "csv"...). */
  readonly source: string;
  /** QuantError code (TIMEOUT, RATE_LIMITED, NETWORK, FORMAT, DATA_QUALITY, NOT_FOUND...). */
  readonly code: string;
  readonly reason: string;
  readonly attempts: number;
  readonly elapsedMs: number;
}

export interface IngestSuccess<T> {
  readonly symbol: string;
  readonly value: T;
  readonly elapsedMs: number;
}

export interface RunPerSymbolOptions {
  readonly source: string;
  /** Symbols in flight at once (default 4). */
  readonly concurrency?: number;
  /** Longest time one symbol may take, retries included (default 60 s). */
  readonly symbolDeadlineMs?: number;
  readonly clock?: Clock;
  /** Stops the whole run (Ctrl+C): symbols not started are not attempted, running ones are cancelled. */
  readonly signal?: AbortSignal;
  /** Called as each symbol finishes. */
  readonly onResult?: (result: { symbol: string; ok: boolean; completed: number; total: number }) => void;
}

export interface RunPerSymbolResult<T> {
  readonly succeeded: IngestSuccess<T>[];
  readonly failed: IngestFailure[];
}

export async function runPerSymbol<T>(
  symbols: readonly string[],
  task: (symbol: string, signal: AbortSignal) => Promise<T>,
  options: RunPerSymbolOptions,
): Promise<RunPerSymbolResult<T>> {
  const concurrency = options.concurrency ?? 4;
  const deadline = options.symbolDeadlineMs ?? 60_000;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError(`concurrency must be a positive integer, got ${describeValue(concurrency)}`);
  if (!(deadline > 0)) throw new InvalidArgumentError(`symbolDeadlineMs must be positive, got ${describeValue(deadline)}`);
  const clock = options.clock ?? systemClock;
  const succeeded: IngestSuccess<T>[] = [];
  const failed: IngestFailure[] = [];
  let next = 0;
  let completed = 0;

  const runOne = async (symbol: string): Promise<void> => {
    const started = clock.now();
    let ok = false;
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const timer = new AbortController();
    const deadlineReached = clock.sleep(deadline, timer.signal).then(
      () => controller.abort(new TimeoutError(`${symbol}: ${options.source} did not finish within the ${deadline} ms deadline`)),
      () => undefined,
    );
    try {
      // The task gets the signal; if it ignores it, the race still ends the symbol at its deadline.
      const aborted = new Promise<never>((_, reject) => {
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
      });
      const value = await Promise.race([task(symbol, controller.signal), aborted]);
      succeeded.push({ symbol, value, elapsedMs: clock.now() - started });
      ok = true;
    } catch (error) {
      failed.push({
        symbol,
        source: options.source,
        code: isQuantError(error) ? error.code : 'INTERNAL',
        reason: error instanceof Error ? error.message : String(error),
        attempts: attemptsOf(error),
        elapsedMs: clock.now() - started,
      });
    } finally {
      timer.abort();
      await deadlineReached;
      options.signal?.removeEventListener('abort', onOuterAbort);
      completed++;
      options.onResult?.({ symbol, ok, completed, total: symbols.length });
    }
  };

  const worker = async (): Promise<void> => {
    while (next < symbols.length && !options.signal?.aborted) await runOne(symbols[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, symbols.length) }, worker));
  const order = new Map(symbols.map((symbol, index) => [symbol, index]));
  const byOrder = (a: { symbol: string }, b: { symbol: string }) => order.get(a.symbol)! - order.get(b.symbol)!;
  return { succeeded: succeeded.sort(byOrder), failed: failed.sort(byOrder) };
}
