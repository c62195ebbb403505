/**
 * Momentum indicators: RSI, ROC, MACD, TRIX.
 */
import { assertPeriod, outputArray } from '../internal/validate.js';
import { rollingEma } from '../rolling.js';

/**
 * Relative Strength Index (Wilder 1978). Gains and losses of close-to-close changes are smoothed with Wilder's
 * average, seeded with the simple mean of the first `period` changes; `RSI = 100 - 100 / (1 + avgGain / avgLoss)`.
 * Conventions: no losses and some gains gives 100, no movement at all (a flat series) gives the neutral 50.
 * A missing close restarts the smoothing. Warm-up: `period` (the first change needs two closes).
 */
export function rsi(close: Float64Array, period = 14, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const result = outputArray(close.length, out);
  let count = 0;
  let averageGain = 0;
  let averageLoss = 0;
  if (close.length > 0) result[0] = NaN;
  for (let index = 1; index < close.length; index++) {
    const change = close[index]! - close[index - 1]!;
    if (change - change !== 0) {
      count = 0;
      averageGain = 0;
      averageLoss = 0;
      result[index] = NaN;
      continue;
    }
    const gain = change > 0 ? change : 0;
    const loss = change < 0 ? -change : 0;
    if (count < period) {
      // Accumulate sums first; they become the SMA seed when the window is full.
      averageGain += gain;
      averageLoss += loss;
      count++;
      if (count < period) {
        result[index] = NaN;
        continue;
      }
      averageGain /= period;
      averageLoss /= period;
    } else {
      averageGain += (gain - averageGain) / period;
      averageLoss += (loss - averageLoss) / period;
    }
    result[index] =
      averageLoss === 0 ? (averageGain === 0 ? 50 : 100) : 100 - 100 / (1 + averageGain / averageLoss);
  }
  return result;
}

/**
 * Rate of change in percent: `100 * (x[t] / x[t - period] - 1)`. NaN when the base is 0. Warm-up: `period`.
 */
export function roc(values: Float64Array, period = 12, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const result = outputArray(values.length, out);
  for (let index = 0; index < values.length; index++) {
    const base = index < period ? NaN : values[index - period]!;
    const value = base === 0 ? NaN : (100 * (values[index]! - base)) / base;
    result[index] = value - value === 0 ? value : NaN;
  }
  return result;
}

export interface MacdOptions {
  /** Fast EMA period (default 12). */
  fastPeriod?: number;
  /** Slow EMA period (default 26). */
  slowPeriod?: number;
  /** Signal EMA period (default 9). */
  signalPeriod?: number;
}

export interface MacdResult {
  /** EMA(fast) - EMA(slow). Warm-up: `slowPeriod - 1` (for fast <= slow). */
  readonly macd: Float64Array;
  /** EMA(signalPeriod) of the MACD line. Warm-up: `slowPeriod + signalPeriod - 2`. */
  readonly signal: Float64Array;
  /** MACD - signal. Same warm-up as `signal`. */
  readonly histogram: Float64Array;
}

/**
 * Moving Average Convergence/Divergence (Appel 1979), 12/26/9 by default. All three EMAs are SMA-seeded; the signal
 * EMA starts at the first defined MACD value.
 */
export function macd(close: Float64Array, options: MacdOptions = {}): MacdResult {
  const fastPeriod = options.fastPeriod ?? 12;
  const slowPeriod = options.slowPeriod ?? 26;
  const signalPeriod = options.signalPeriod ?? 9;
  assertPeriod('fastPeriod', fastPeriod);
  assertPeriod('slowPeriod', slowPeriod);
  assertPeriod('signalPeriod', signalPeriod);
  const line = rollingEma(close, fastPeriod);
  const slow = rollingEma(close, slowPeriod);
  for (let index = 0; index < line.length; index++) line[index] = line[index]! - slow[index]!;
  const signal = rollingEma(line, signalPeriod);
  // Reuse the slow EMA buffer for the histogram: it is no longer needed.
  const histogram = slow;
  for (let index = 0; index < line.length; index++) histogram[index] = line[index]! - signal[index]!;
  return { macd: line, signal, histogram };
}

/**
 * TRIX (Hutson 1983): one-bar rate of change, in percent, of a triple-smoothed EMA (each EMA SMA-seeded).
 * Warm-up: `3 * (period - 1) + 1`.
 */
export function trix(close: Float64Array, period = 15, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const smoothed = rollingEma(close, period);
  rollingEma(smoothed, period, smoothed);
  rollingEma(smoothed, period, smoothed);
  return roc(smoothed, 1, out);
}
