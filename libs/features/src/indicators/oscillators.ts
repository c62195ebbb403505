/**
 * Range oscillators: stochastics, Williams %R, CCI.
 */
import { assertPeriod, assertSameLength, outputArray } from '../internal/validate.js';
import { rollingMax, rollingMean, rollingMin } from '../rolling.js';

export interface StochasticOptions {
  /** Look-back of the high/low range for %K (default 14). */
  period?: number;
  /** SMA period of %D (default 3). */
  signalPeriod?: number;
}

export interface StochasticResult {
  /** Fast %K in [0, 100]. Warm-up: `period - 1`. */
  readonly k: Float64Array;
  /** SMA of %K. Warm-up: `period + signalPeriod - 2`. */
  readonly d: Float64Array;
}

/**
 * Stochastic oscillator (Lane 1950s): `%K = 100 * (close - lowestLow) / (highestHigh - lowestLow)` over `period`
 * bars, `%D = SMA(%K, signalPeriod)`. A zero range (flat window) gives the neutral 50; `technicalindicators` returns 0
 * there instead.
 */
export function stochastic(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  options: StochasticOptions = {},
): StochasticResult {
  const period = options.period ?? 14;
  const signalPeriod = options.signalPeriod ?? 3;
  assertPeriod('period', period);
  assertPeriod('signalPeriod', signalPeriod);
  const length = assertSameLength({ high, low, close });
  const k = rollingMax(high, period);
  const lowest = rollingMin(low, period);
  for (let index = 0; index < length; index++) {
    const floor = lowest[index]!;
    const range = k[index]! - floor;
    k[index] = range > 0 ? (100 * (close[index]! - floor)) / range : range === 0 ? 50 : NaN;
  }
  const d = rollingMean(k, signalPeriod, lowest);
  return { k, d };
}

/**
 * Williams %R (Williams 1973): `-100 * (highestHigh - close) / (highestHigh - lowestLow)`, in [-100, 0].
 * A zero range gives the neutral -50. Warm-up: `period - 1`.
 */
export function williamsR(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 14,
  out?: Float64Array,
): Float64Array {
  assertPeriod('period', period);
  const length = assertSameLength({ high, low, close });
  const result = rollingMax(high, period, outputArray(length, out));
  const lowest = rollingMin(low, period);
  for (let index = 0; index < length; index++) {
    const ceiling = result[index]!;
    const range = ceiling - lowest[index]!;
    result[index] = range > 0 ? (-100 * (ceiling - close[index]!)) / range : range === 0 ? -50 : NaN;
  }
  return result;
}

/**
 * Commodity Channel Index (Lambert 1980): `(TP - SMA(TP)) / (0.015 * MAD)` with typical price
 * `TP = (high + low + close) / 3` and MAD the mean absolute deviation of TP from its current SMA. A flat window
 * (MAD = 0) gives 0. Warm-up: `period - 1`.
 *
 * The MAD is the one place that loops over the window (O(period) per bar): the deviations are measured from the
 * window's own mean, so every term changes whenever the mean moves and no running sum can carry them.
 */
export function cci(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 20,
  out?: Float64Array,
): Float64Array {
  assertPeriod('period', period);
  const length = assertSameLength({ high, low, close });
  const typical = new Float64Array(length);
  for (let index = 0; index < length; index++) typical[index] = (high[index]! + low[index]! + close[index]!) / 3;
  const result = rollingMean(typical, period, outputArray(length, out));
  for (let index = 0; index < length; index++) {
    const mean = result[index]!;
    if (Number.isNaN(mean)) continue;
    let deviation = 0;
    for (let offset = index - period + 1; offset <= index; offset++) deviation += Math.abs(typical[offset]! - mean);
    deviation /= period;
    const value = typical[index]! - mean;
    result[index] = deviation > 0 ? value / (0.015 * deviation) : 0;
  }
  return result;
}
