/**
 * Moving averages. Thin, named entry points over the rolling primitives so that indicator code reads like the
 * textbook definitions.
 */
import { rollingEma, rollingMean, rollingWilder } from '../rolling.js';

/** Simple moving average over `period` values. Warm-up: `period - 1`. */
export function sma(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  return rollingMean(values, period, out);
}

/**
 * Exponential moving average, `alpha = 2 / (period + 1)`, seeded with the SMA of the first `period` values.
 * Warm-up: `period - 1`.
 */
export function ema(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  return rollingEma(values, period, out);
}

/** Wilder's moving average (RMA), `alpha = 1 / period`, SMA-seeded (Wilder 1978). Warm-up: `period - 1`. */
export function wilderAverage(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  return rollingWilder(values, period, out);
}
