/**
 * Time, injected: the resilience code waits and measures through a Clock, so tests can drive it and nothing in the
 * library reads the system clock behind the caller's back.
 */
import { CancelledError } from '@quant/core';

export interface Clock {
  /** Milliseconds on a monotonic scale. */
  now(): number;
  /** Wall-clock time in milliseconds since 1970 (to read HTTP dates such as Retry-After). */
  epochMilliseconds(): number;
  /** Resolves after `milliseconds`, or rejects with CancelledError when `signal` aborts first. */
  sleep(milliseconds: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock (performance.now and timers), for applications. */
export const systemClock: Clock = {
  now: () => performance.now(),
  epochMilliseconds: () => Date.now(),
  sleep: (milliseconds, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new CancelledError('wait cancelled', { cause: signal.reason }));
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.max(0, milliseconds));
      const onAbort = () => {
        clearTimeout(timer);
        reject(new CancelledError('wait cancelled', { cause: signal?.reason }));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
