/**
 * Circuit breaker (Nygard, "Release It!"): after `failureThreshold` consecutive failures the circuit opens and calls
 * fail at once for `cooldownMs`, so a service that keeps failing is not hammered; then one trial call is let through
 * (half-open): success closes the circuit, failure opens it again.
 */
import { InvalidArgumentError, QuantError, describeValue } from '@quant/core';
import type { Clock } from './clock.js';

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  readonly failureThreshold?: number;
  readonly cooldownMs?: number;
}

export class CircuitOpenError extends QuantError {
  constructor(service: string, retryInMs: number) {
    super('NETWORK', `${service}: circuit open after repeated failures; not calling it for another ${Math.ceil(retryInMs)} ms`, {
      details: { service, retryInMs },
    });
  }
}

export class CircuitBreaker {
  readonly service: string;
  readonly #failureThreshold: number;
  readonly #cooldownMs: number;
  readonly #clock: Clock;
  #failures = 0;
  #openedAt = 0;
  #state: CircuitState = 'closed';
  #trialInFlight = false;

  constructor(service: string, options: CircuitBreakerOptions, clock: Clock) {
    const failureThreshold = options.failureThreshold ?? 5;
    const cooldownMs = options.cooldownMs ?? 30_000;
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw new InvalidArgumentError(`failureThreshold must be a positive integer, got ${describeValue(failureThreshold)}`);
    }
    if (!(cooldownMs >= 0)) throw new InvalidArgumentError(`cooldownMs must be non-negative, got ${describeValue(cooldownMs)}`);
    this.service = service;
    this.#failureThreshold = failureThreshold;
    this.#cooldownMs = cooldownMs;
    this.#clock = clock;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#clock.now() - this.#openedAt >= this.#cooldownMs) this.#state = 'half-open';
    return this.#state;
  }

  /** Throws CircuitOpenError when calls are not allowed now; otherwise records that a call starts. */
  beforeCall(): void {
    const state = this.state;
    if (state === 'open') throw new CircuitOpenError(this.service, this.#cooldownMs - (this.#clock.now() - this.#openedAt));
    if (state === 'half-open') {
      if (this.#trialInFlight) throw new CircuitOpenError(this.service, 0);
      this.#trialInFlight = true;
    }
  }

  onSuccess(): void {
    this.#failures = 0;
    this.#trialInFlight = false;
    this.#state = 'closed';
  }

  onFailure(): void {
    this.#trialInFlight = false;
    this.#failures++;
    if (this.#state === 'half-open' || this.#failures >= this.#failureThreshold) {
      this.#state = 'open';
      this.#openedAt = this.#clock.now();
    }
  }
}
