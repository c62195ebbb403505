/**
 * Token bucket (Turner 1986): `ratePerSecond` tokens are added continuously up to `burst`; each request takes one,
 * waiting when none is left. Requests are served first come, first served, so a waiting request is never overtaken.
 */
import { InvalidArgumentError, describeValue } from '@quant/core';
import type { Clock } from './clock.js';

export interface RateLimiterOptions {
  readonly ratePerSecond: number;
  /** Tokens available at once (default 1: evenly spaced requests). */
  readonly burst?: number;
}

export class TokenBucket {
  readonly #ratePerMillisecond: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #updatedAt: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: RateLimiterOptions, clock: Clock) {
    if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw new InvalidArgumentError(`ratePerSecond must be a positive number, got ${describeValue(options.ratePerSecond)}`);
    }
    const burst = options.burst ?? 1;
    if (!Number.isInteger(burst) || burst < 1) throw new InvalidArgumentError(`burst must be a positive integer, got ${describeValue(burst)}`);
    this.#ratePerMillisecond = options.ratePerSecond / 1000;
    this.#burst = burst;
    this.#clock = clock;
    this.#tokens = burst;
    this.#updatedAt = clock.now();
  }

  /** Waits for a token (or rejects with CancelledError when `signal` aborts). */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#take(signal));
    // The next caller waits for this one whether it succeeds or is cancelled.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const now = this.#clock.now();
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#updatedAt) * this.#ratePerMillisecond);
      this.#updatedAt = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.#clock.sleep((1 - this.#tokens) / this.#ratePerMillisecond, signal);
    }
  }
}
