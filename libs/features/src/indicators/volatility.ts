/**
 * Volatility: true range and ATR, Bollinger, Keltner and Donchian channels, realized-volatility estimators.
 */
import { InvalidArgumentError, describeValue } from '@quant/core';
import { assertFinite, assertPeriod, assertSameLength, outputArray } from '../internal/validate.js';
import { logReturn, rollingEma, rollingMax, rollingMean, rollingMin, rollingStd, rollingWilder } from '../rolling.js';

/**
 * True range (Wilder 1978): `max(high - low, |high - prevClose|, |low - prevClose|)`. Bar 0 has no previous close,
 * so its true range is `high - low` (defined, not NaN). Warm-up: 0.
 */
export function trueRange(high: Float64Array, low: Float64Array, close: Float64Array, out?: Float64Array): Float64Array {
  const length = assertSameLength({ high, low, close });
  const result = outputArray(length, out);
  for (let index = 0; index < length; index++) {
    const span = high[index]! - low[index]!;
    const value =
      index === 0
        ? span
        : Math.max(span, Math.abs(high[index]! - close[index - 1]!), Math.abs(low[index]! - close[index - 1]!));
    result[index] = value - value === 0 ? value : NaN;
  }
  return result;
}

/**
 * Average true range (Wilder 1978): Wilder's average of the true range from bar 1 (the first bar with a previous
 * close), seeded with the mean of the first `period` of them, as TA-Lib and `technicalindicators` do.
 * Warm-up: `period`.
 */
export function atr(high: Float64Array, low: Float64Array, close: Float64Array, period = 14, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const ranges = trueRange(high, low, close);
  if (ranges.length > 0) ranges[0] = NaN;
  return rollingWilder(ranges, period, outputArray(ranges.length, out ?? ranges));
}

export interface BollingerOptions {
  /** SMA period (default 20). */
  period?: number;
  /** Band width in population standard deviations (default 2). */
  multiplier?: number;
}

export interface BollingerResult {
  readonly middle: Float64Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** `(close - lower) / (upper - lower)`; 0.5 when the bands coincide (flat window). */
  readonly percentB: Float64Array;
  /** `(upper - lower) / middle`, a fraction (not percent); NaN when middle is 0. */
  readonly bandwidth: Float64Array;
}

/**
 * Bollinger bands (Bollinger 2001): SMA(period) +- multiplier x population standard deviation over the same window.
 * Warm-up: `period - 1` for every output.
 */
export function bollingerBands(close: Float64Array, options: BollingerOptions = {}): BollingerResult {
  const period = options.period ?? 20;
  const multiplier = options.multiplier ?? 2;
  assertPeriod('period', period);
  assertFinite('multiplier', multiplier, true);
  const length = close.length;
  const middle = rollingMean(close, period);
  const upper = rollingStd(close, period);
  const lower = new Float64Array(length);
  const percentB = new Float64Array(length);
  const bandwidth = new Float64Array(length);
  for (let index = 0; index < length; index++) {
    const center = middle[index]!;
    const offset = multiplier * upper[index]!;
    const top = center + offset;
    const bottom = center - offset;
    upper[index] = top;
    lower[index] = bottom;
    percentB[index] = offset > 0 ? (close[index]! - bottom) / (top - bottom) : offset === 0 ? 0.5 : NaN;
    bandwidth[index] = center !== 0 ? (top - bottom) / center : NaN;
  }
  return { middle, upper, lower, percentB, bandwidth };
}

export interface KeltnerOptions {
  /** EMA period of the middle line (default 20). */
  period?: number;
  /** ATR period (default 10). */
  atrPeriod?: number;
  /** Band offset in ATRs (default 2). */
  multiplier?: number;
}

export interface KeltnerResult {
  readonly middle: Float64Array;
  readonly upper: Float64Array;
  readonly lower: Float64Array;
  /** `(upper - lower) / middle`, a fraction; NaN when middle is 0. */
  readonly width: Float64Array;
}

/**
 * Keltner channels, the modern variant (Raschke; as in `technicalindicators` with `useSMA: false` and
 * `trading-signals`): EMA(close, period) +- multiplier x ATR(atrPeriod), not Keltner's original 1960 SMA of the typical
 * price with the average daily range. Warm-up: `max(period - 1, atrPeriod)`.
 */
export function keltnerChannels(
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  options: KeltnerOptions = {},
): KeltnerResult {
  const period = options.period ?? 20;
  const atrPeriod = options.atrPeriod ?? 10;
  const multiplier = options.multiplier ?? 2;
  assertPeriod('period', period);
  assertPeriod('atrPeriod', atrPeriod);
  assertFinite('multiplier', multiplier, true);
  const length = assertSameLength({ high, low, close });
  const middle = rollingEma(close, period);
  const upper = atr(high, low, close, atrPeriod);
  const lower = new Float64Array(length);
  const width = new Float64Array(length);
  for (let index = 0; index < length; index++) {
    const center = middle[index]!;
    const offset = multiplier * upper[index]!;
    upper[index] = center + offset;
    lower[index] = center - offset;
    width[index] = center !== 0 ? (2 * offset) / center : NaN;
  }
  return { middle, upper, lower, width };
}

export interface DonchianResult {
  /** Highest high over `period` bars. */
  readonly upper: Float64Array;
  /** Lowest low over `period` bars. */
  readonly lower: Float64Array;
  /** `(upper + lower) / 2`. */
  readonly middle: Float64Array;
}

/** Donchian channels (Donchian 1960s) over `period` bars, including today. Warm-up: `period - 1`. */
export function donchianChannels(high: Float64Array, low: Float64Array, period = 20): DonchianResult {
  assertPeriod('period', period);
  const length = assertSameLength({ high, low });
  const upper = rollingMax(high, period);
  const lower = rollingMin(low, period);
  const middle = new Float64Array(length);
  for (let index = 0; index < length; index++) middle[index] = (upper[index]! + lower[index]!) / 2;
  return { upper, lower, middle };
}

export interface VolatilityOptions {
  /**
   * Multiply by `sqrt(periodsPerYear)` to annualise (252 for daily bars). Default: none, per-bar volatility.
   */
  periodsPerYear?: number;
  out?: Float64Array;
}

function annualisation(options: VolatilityOptions): number {
  if (options.periodsPerYear === undefined) return 1;
  if (!(options.periodsPerYear > 0) || !Number.isFinite(options.periodsPerYear)) {
    throw new InvalidArgumentError(`periodsPerYear must be a positive number, got ${describeValue(options.periodsPerYear)}`);
  }
  return Math.sqrt(options.periodsPerYear);
}

/**
 * Close-to-close volatility: sample standard deviation (divisor `period - 1`) of the last `period` log returns.
 * Needs `period >= 2`. Warm-up: `period` (the first return needs two closes).
 */
export function closeToCloseVolatility(close: Float64Array, period = 20, options: VolatilityOptions = {}): Float64Array {
  assertPeriod('period', period, 2);
  const scale = annualisation(options);
  const returns = logReturn(close);
  const result = rollingStd(returns, period, { sample: true, out: outputArray(close.length, options.out) });
  if (scale !== 1) for (let index = 0; index < result.length; index++) result[index] = result[index]! * scale;
  return result;
}

/**
 * Parkinson (1980) high-low volatility: `sqrt(mean(ln(high / low)^2) / (4 ln 2))` over `period` bars.
 * Warm-up: `period - 1`. Zero range gives 0; non-positive prices give NaN.
 */
export function parkinsonVolatility(
  high: Float64Array,
  low: Float64Array,
  period = 20,
  options: VolatilityOptions = {},
): Float64Array {
  assertPeriod('period', period);
  const length = assertSameLength({ high, low });
  const scale = annualisation(options);
  const terms = new Float64Array(length);
  const factor = 1 / (4 * Math.LN2);
  for (let index = 0; index < length; index++) {
    const h = high[index]!;
    const l = low[index]!;
    const logRange = h > 0 && l > 0 ? Math.log(h / l) : NaN;
    terms[index] = factor * logRange * logRange;
  }
  const result = rollingMean(terms, period, outputArray(length, options.out));
  for (let index = 0; index < length; index++) result[index] = Math.sqrt(result[index]!) * scale;
  return result;
}

/**
 * Garman-Klass (1980) OHLC volatility: `sqrt(mean(0.5 ln(H/L)^2 - (2 ln 2 - 1) ln(C/O)^2))` over `period` bars.
 * Each bar's term is floored at 0 (it is non-negative whenever low <= open, close <= high). Warm-up: `period - 1`.
 */
export function garmanKlassVolatility(
  open: Float64Array,
  high: Float64Array,
  low: Float64Array,
  close: Float64Array,
  period = 20,
  options: VolatilityOptions = {},
): Float64Array {
  assertPeriod('period', period);
  const length = assertSameLength({ open, high, low, close });
  const scale = annualisation(options);
  const terms = new Float64Array(length);
  const closeWeight = 2 * Math.LN2 - 1;
  for (let index = 0; index < length; index++) {
    const o = open[index]!;
    const h = high[index]!;
    const l = low[index]!;
    const c = close[index]!;
    if (!(o > 0 && h > 0 && l > 0 && c > 0)) {
      terms[index] = NaN;
      continue;
    }
    const logRange = Math.log(h / l);
    const logBody = Math.log(c / o);
    const term = 0.5 * logRange * logRange - closeWeight * logBody * logBody;
    terms[index] = term < 0 ? 0 : term;
  }
  const result = rollingMean(terms, period, outputArray(length, options.out));
  for (let index = 0; index < length; index++) result[index] = Math.sqrt(result[index]!) * scale;
  return result;
}
