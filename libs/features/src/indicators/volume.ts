/**
 * Volume indicators: OBV, accumulation/distribution, Chaikin oscillator and money flow, MFI, rolling VWAP.
 *
 * Cumulative indicators (OBV, A/D) cannot "restart" after missing data without losing their level, so a bar with a
 * missing input yields NaN at that bar and contributes nothing; the running total carries on from the last valid bar
 * (OBV compares with the last valid close).
 */
import { assertPeriod, assertSameLength, outputArray } from '../internal/validate.js';
import { rollingEma, rollingMean, rollingSum } from '../rolling.js';

function isMissing(value: number): boolean {
  return value - value !== 0;
}

/**
 * On-balance volume (Granville 1963): starts at 0 on bar 0 and adds the volume on up closes, subtracts it on down
 * closes, leaves it on unchanged closes. Warm-up: 0.
 */
export function obv(close: Float64Array, volume: Float64Array, out?: Float64Array): Float64Array {
  const length = assertSameLength({ close, volume });
  const result = outputArray(length, out);
  let total = 0;
  let previous = NaN;
  for (let index = 0; index < length; index++) {
    const price = close[index]!;
    const size = volume[index]!;
    if (isMissing(price) || isMissing(size)) {
      result[index] = NaN;
      continue;
    }
    if (price > previous) total += size;
    else if (price < previous) total -= size;
    previous = price;
    result[index] = total;
  }
  return result;
}

/** Close location value `((close - low) - (high - close)) / (high - low)` in [-1, 1]; 0 for a zero range. */
function closeLocation(high: number, low: number, close: number): number {
  const range = high - low;
  return range > 0 ? (close - low - (high - close)) / range : range === 0 ? 0 : NaN;
}

/**
 * Accumulation/distribution line (Chaikin): running sum of `closeLocation x volume`, starting with bar 0.
 * Warm-up: 0.
 */
export function accumulationDistribution(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  out?: Float64Array,
): Float64Array {
  const length = assertSameLength({ high, low, close, volume });
  const result = outputArray(length, out);
  let total = 0;
  for (let index = 0; index < length; index++) {
    const flow = closeLocation(high[index]!, low[index]!, close[index]!) * volume[index]!;
    if (isMissing(flow)) {
      result[index] = NaN;
      continue;
    }
    total += flow;
    result[index] = total;
  }
  return result;
}

export interface ChaikinOscillatorOptions {
  /** Fast EMA period (default 3). */
  fastPeriod?: number;
  /** Slow EMA period (default 10). */
  slowPeriod?: number;
}

/**
 * Chaikin oscillator: EMA(fast) - EMA(slow) of the accumulation/distribution line, both SMA-seeded.
 * Warm-up: `max(fastPeriod, slowPeriod) - 1`.
 */
export function chaikinOscillator(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  options: ChaikinOscillatorOptions = {},
): Float64Array {
  const fastPeriod = options.fastPeriod ?? 3;
  const slowPeriod = options.slowPeriod ?? 10;
  assertPeriod('fastPeriod', fastPeriod);
  assertPeriod('slowPeriod', slowPeriod);
  const line = accumulationDistribution(high, low, close, volume);
  const fast = rollingEma(line, fastPeriod);
  const slow = rollingEma(line, slowPeriod, line);
  for (let index = 0; index < fast.length; index++) fast[index] = fast[index]! - slow[index]!;
  return fast;
}

/**
 * Chaikin money flow: `sum(closeLocation x volume) / sum(volume)` over `period` bars, in [-1, 1]. Zero total volume
 * gives 0 (no flow), as in `trading-signals`. Warm-up: `period - 1`.
 */
export function chaikinMoneyFlow(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period = 20,
  out?: Float64Array,
): Float64Array {
  assertPeriod('period', period);
  const length = assertSameLength({ high, low, close, volume });
  const flows = new Float64Array(length);
  for (let index = 0; index < length; index++) {
    flows[index] = closeLocation(high[index]!, low[index]!, close[index]!) * volume[index]!;
  }
  const result = rollingSum(flows, period, outputArray(length, out));
  const volumes = rollingSum(volume, period, flows);
  for (let index = 0; index < length; index++) {
    const total = volumes[index]!;
    result[index] = total > 0 ? result[index]! / total : total === 0 ? 0 : NaN;
  }
  return result;
}

/**
 * Money Flow Index (Quong & Soudack 1989): typical price `TP = (H + L + C) / 3`, raw flow `TP x volume`, counted as
 * positive when TP rises and negative when it falls (unchanged TP counts as neither); `MFI = 100 x positive /
 * (positive + negative)` over `period` flows. No flow at all (flat prices or zero volume) gives the neutral 50.
 * Warm-up: `period`.
 */
export function mfi(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period = 14,
  out?: Float64Array,
): Float64Array {
  assertPeriod('period', period);
  const length = assertSameLength({ high, low, close, volume });
  const positive = new Float64Array(length);
  const negative = new Float64Array(length);
  let previous = NaN;
  for (let index = 0; index < length; index++) {
    const typical = (high[index]! + low[index]! + close[index]!) / 3;
    const flow = typical * volume[index]!;
    if (isMissing(flow) || isMissing(previous)) {
      // Bar 0 has no previous typical price; a missing bar has no flow. Both make their windows NaN.
      positive[index] = NaN;
      negative[index] = NaN;
    } else {
      positive[index] = typical > previous ? flow : 0;
      negative[index] = typical < previous ? flow : 0;
    }
    previous = typical;
  }
  const positiveSums = rollingSum(positive, period);
  const result = rollingSum(negative, period, outputArray(length, out));
  for (let index = 0; index < length; index++) {
    const up = positiveSums[index]!;
    const total = up + result[index]!;
    result[index] = total > 0 ? (100 * up) / total : total === 0 ? 50 : NaN;
  }
  return result;
}

/**
 * Rolling volume-weighted average price over `period` bars with the typical price `(H + L + C) / 3`:
 * `sum(TP x volume) / sum(volume)`. With zero volume over the whole window it falls back to the plain mean of the
 * typical price (a documented neutral value, never a division by zero). Warm-up: `period - 1`.
 */
export function rollingVwap(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  volume: Float64Array,
  period = 20,
  out?: Float64Array,
): Float64Array {
  assertPeriod('period', period);
  const length = assertSameLength({ high, low, close, volume });
  const typical = new Float64Array(length);
  const weighted = new Float64Array(length);
  for (let index = 0; index < length; index++) {
    const price = (high[index]! + low[index]! + close[index]!) / 3;
    typical[index] = price;
    weighted[index] = price * volume[index]!;
  }
  const result = rollingSum(weighted, period, outputArray(length, out));
  const volumes = rollingSum(volume, period);
  const means = rollingMean(typical, period, weighted);
  for (let index = 0; index < length; index++) {
    const total = volumes[index]!;
    result[index] = total > 0 ? result[index]! / total : total === 0 ? means[index]! : NaN;
  }
  return result;
}
