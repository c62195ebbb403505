/**
 * Rolling primitives over columnar `Float64Array` series.
 *
 * Conventions shared by every function here:
 * - The output has the length of the input and is aligned with it: `out[t]` uses `values[t - period + 1 .. t]` only,
 *   never a later value (no look-ahead).
 * - Warm-up: `out[t]` is NaN until a full window is available, so the first `period - 1` outputs are NaN (functions
 *   that need one extra bar, such as lagged returns, say so).
 * - Missing data: a non-finite input (NaN or +-Infinity) is "missing". Any window that contains a missing value
 *   yields NaN, and the running state restarts after it, so the output becomes defined again `period` values later.
 *   A single bad tick therefore never poisons the rest of the series, and never produces Infinity.
 * - Every function runs in O(n) (O(n * period) worst case for the order-statistic windows) with incremental state:
 *   running sums, Welford updates or monotone deques. Nothing rescans a window. Outputs are allocated once; pass
 *   `out` to reuse a buffer.
 */
import { InvalidArgumentError, describeValue } from '@quant/core';
import { assertFinite, assertPeriod, outputArray, assertSameLength } from './internal/validate.js';

/**
 * Relative threshold below which a running sum of squared deviations is treated as exactly zero. Add/remove updates
 * leave rounding residue of order `1e-16 * n * mean^2` on a window that has become flat; without this snap a flat
 * window would report a tiny positive spread and ratios such as Bollinger %B would explode. It corresponds to a
 * coefficient of variation of about 3e-7, far below any price movement.
 */
const FLAT_TOLERANCE = 1e-13;

/** True for NaN and +-Infinity (the only values for which `x - x` is not 0). */
function isMissing(value: number): boolean {
  return value - value !== 0;
}

function slidingSum(values: Float64Array, period: number, scale: number, out: Float64Array): Float64Array {
  // Neumaier's compensated summation (Neumaier 1974) applied to both the added and the removed value, so that a
  // long series does not accumulate drift from the subtractions.
  let sum = 0;
  let compensation = 0;
  let count = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (isMissing(value)) {
      sum = 0;
      compensation = 0;
      count = 0;
      out[index] = NaN;
      continue;
    }
    let total = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum;
    sum = total;
    count++;
    if (count > period) {
      const removed = -values[index - period]!;
      total = sum + removed;
      compensation += Math.abs(sum) >= Math.abs(removed) ? sum - total + removed : removed - total + sum;
      sum = total;
      count = period;
    }
    out[index] = count === period ? (sum + compensation) * scale : NaN;
  }
  return out;
}

/** Rolling sum over `period` values. Warm-up: `period - 1`. */
export function rollingSum(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  return slidingSum(values, period, 1, outputArray(values.length, out));
}

/** Rolling arithmetic mean (the simple moving average). Warm-up: `period - 1`. */
export function rollingMean(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  return slidingSum(values, period, 1 / period, outputArray(values.length, out));
}

export interface RollingStdOptions {
  /** Divide by `period - 1` (sample) instead of `period` (population, the default, as Bollinger uses). */
  sample?: boolean;
  out?: Float64Array;
}

/**
 * Rolling standard deviation. Population by default (divide by `period`), sample with `{ sample: true }` (which needs
 * `period >= 2`). Welford's (1962) update extended to a sliding window: when `old` leaves and `value` enters,
 * `mean' = mean + (value - old) / period` and `M2' = M2 + (value - old) * (value - mean' + old - mean)`, which avoids
 * the catastrophic cancellation of `sum(x^2) - sum(x)^2 / n`. Warm-up: `period - 1`. A flat window gives 0.
 */
export function rollingStd(values: Float64Array, period: number, options: RollingStdOptions = {}): Float64Array {
  const sample = options.sample ?? false;
  assertPeriod('period', period, sample ? 2 : 1);
  const out = outputArray(values.length, options.out);
  const divisor = sample ? period - 1 : period;
  let count = 0;
  let mean = 0;
  let squares = 0;
  let run = 0; // trailing values equal to the current one: the window is exactly flat when run >= period
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (isMissing(value)) {
      count = 0;
      mean = 0;
      squares = 0;
      run = 0;
      out[index] = NaN;
      continue;
    }
    run = run > 0 && value === values[index - 1] ? run + 1 : 1;
    if (count < period) {
      count++;
      const delta = value - mean;
      mean += delta / count;
      squares += delta * (value - mean);
    } else {
      const old = values[index - period]!;
      const previousMean = mean;
      mean += (value - old) / period;
      squares += (value - old) * (value - mean + old - previousMean);
    }
    if (run >= count) {
      // Exactly flat: reset to exact values, dropping the rounding residue that large values left in the running
      // moments (a flat window right after a big move would otherwise show a tiny, spurious deviation).
      mean = value;
      squares = 0;
    } else if (squares <= FLAT_TOLERANCE * count * mean * mean) {
      squares = 0;
    }
    out[index] = count === period ? Math.sqrt(squares / divisor) : NaN;
  }
  return out;
}

function slidingExtreme(
  values: Float64Array,
  period: number,
  isMax: boolean,
  valueOut: Float64Array | undefined,
  sinceOut: Float64Array | undefined,
): void {
  // Monotone deque of indices (ring buffer): values decrease (max) or increase (min) from front to back, so the
  // front is the extreme of the window. Each index is pushed and popped once: O(n) overall. Popping on ties (<=)
  // keeps the most recent of equal extremes, the convention of Chande's Aroon (1995).
  const deque = new Int32Array(period);
  let head = 0;
  let size = 0;
  let count = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (isMissing(value)) {
      size = 0;
      count = 0;
      if (valueOut !== undefined) valueOut[index] = NaN;
      if (sinceOut !== undefined) sinceOut[index] = NaN;
      continue;
    }
    while (size > 0) {
      const back = values[deque[(head + size - 1) % period]!]!;
      if (isMax ? back <= value : back >= value) size--;
      else break;
    }
    if (size > 0 && deque[head]! <= index - period) {
      head = (head + 1) % period;
      size--;
    }
    deque[(head + size) % period] = index;
    size++;
    if (count < period) count++;
    const ready = count === period;
    const front = deque[head]!;
    if (valueOut !== undefined) valueOut[index] = ready ? values[front]! : NaN;
    if (sinceOut !== undefined) sinceOut[index] = ready ? index - front : NaN;
  }
}

/** Rolling maximum (monotone deque, O(n)). Warm-up: `period - 1`. */
export function rollingMax(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const result = outputArray(values.length, out);
  slidingExtreme(values, period, true, result, undefined);
  return result;
}

/** Rolling minimum (monotone deque, O(n)). Warm-up: `period - 1`. */
export function rollingMin(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const result = outputArray(values.length, out);
  slidingExtreme(values, period, false, result, undefined);
  return result;
}

/**
 * Bars since the window's maximum: 0 when today is the high, `period - 1` when the high is the oldest bar. Ties go to
 * the most recent bar. Warm-up: `period - 1`.
 */
export function rollingBarsSinceMax(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const result = outputArray(values.length, out);
  slidingExtreme(values, period, true, undefined, result);
  return result;
}

/** Bars since the window's minimum (see `rollingBarsSinceMax`). Warm-up: `period - 1`. */
export function rollingBarsSinceMin(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const result = outputArray(values.length, out);
  slidingExtreme(values, period, false, undefined, result);
  return result;
}

/** First index in sorted[0..size) whose value is >= value (strictly greater when `upper`). */
function searchSorted(sorted: Float64Array, size: number, value: number, upper: boolean): number {
  let low = 0;
  let high = size;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const probe = sorted[middle]!;
    if (upper ? probe <= value : probe < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * Several order statistics of one window in a single pass: the given quantiles (type 7, as `rollingQuantile`) and the
 * percentile rank of the last value (as `rollingPercentRank`). One sorted window serves all outputs, which is three
 * times cheaper than three separate passes. Warm-up: `period - 1`; a NaN input restarts the window.
 */
export function rollingOrderStatistics(
  values: Float64Array,
  period: number,
  quantiles: readonly number[],
  outputs: { quantiles: readonly Float64Array[]; percentRank?: Float64Array },
): void {
  assertPeriod('period', period);
  if (outputs.quantiles.length !== quantiles.length) {
    throw new InvalidArgumentError(`${quantiles.length} quantiles need as many outputs, got ${outputs.quantiles.length}`);
  }
  for (const quantile of quantiles) {
    assertFinite('quantile', quantile);
    if (quantile < 0 || quantile > 1) throw new InvalidArgumentError(`quantile must lie in [0, 1], got ${describeValue(quantile)}`);
  }
  const sorted = new Float64Array(period);
  const lowerIndex = quantiles.map((quantile) => Math.floor((period - 1) * quantile));
  const fractions = quantiles.map((quantile, index) => (period - 1) * quantile - lowerIndex[index]!);
  const rank = outputs.percentRank;
  let size = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (isMissing(value)) {
      size = 0;
      for (const out of outputs.quantiles) out[index] = NaN;
      if (rank !== undefined) rank[index] = NaN;
      continue;
    }
    let at: number;
    if (size === period) {
      const leaving = searchSorted(sorted, size, values[index - period]!, false);
      let target = searchSorted(sorted, size, value, false);
      if (target > leaving) {
        target--;
        for (let move = leaving; move < target; move++) sorted[move] = sorted[move + 1]!;
      } else {
        for (let move = leaving; move > target; move--) sorted[move] = sorted[move - 1]!;
      }
      sorted[target] = value;
      at = target;
    } else {
      at = searchSorted(sorted, size, value, false);
      for (let move = size; move > at; move--) sorted[move] = sorted[move - 1]!;
      sorted[at] = value;
      size++;
    }
    if (size < period) {
      for (const out of outputs.quantiles) out[index] = NaN;
      if (rank !== undefined) rank[index] = NaN;
      continue;
    }
    for (let which = 0; which < quantiles.length; which++) {
      const lower = lowerIndex[which]!;
      const below = sorted[lower]!;
      outputs.quantiles[which]![index] = lower + 1 < period ? below + fractions[which]! * (sorted[lower + 1]! - below) : below;
    }
    if (rank !== undefined) {
      const equalEnd = searchSorted(sorted, size, value, true);
      rank[index] = (at + 0.5 * (equalEnd - at)) / period;
    }
  }
}

/**
 * Rolling quantile, `quantile` in [0, 1], with linear interpolation between order statistics (Hyndman & Fan 1996
 * type 7, the default of R and NumPy): position `(period - 1) * quantile` in the sorted window. Warm-up: `period - 1`.
 */
export function rollingQuantile(values: Float64Array, period: number, quantile: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  assertFinite('quantile', quantile);
  if (quantile < 0 || quantile > 1) {
    throw new InvalidArgumentError(`quantile must lie in [0, 1], got ${describeValue(quantile)}`);
  }
  const result = outputArray(values.length, out);
  rollingOrderStatistics(values, period, [quantile], { quantiles: [result] });
  return result;
}

/**
 * Percentile rank of the last value within its window, in (0, 1): `(below + equal / 2) / period`, where `equal`
 * counts the last value itself (the "mean" rank of SciPy's `percentileofscore`). A flat window gives 0.5.
 * Warm-up: `period - 1`.
 */
export function rollingPercentRank(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  const result = outputArray(values.length, out);
  rollingOrderStatistics(values, period, [], { quantiles: [], percentRank: result });
  return result;
}

export interface RollingRegression {
  /** Least-squares slope per bar of `values` against time 0..period-1. */
  readonly slope: Float64Array;
  /** Coefficient of determination in [0, 1]; 0 for a flat window (nothing to explain). */
  readonly rSquared: Float64Array;
  /** Last value minus the fitted line at the last bar. */
  readonly residual: Float64Array;
}

/**
 * Rolling ordinary least squares of `values` on time (x = 0..period-1 within each window), from running sums
 * `Sy`, `Sxy`, `Syy`. When the window slides, every x drops by one, so `Sxy' = Sxy - (Sy - yOld) + (period - 1) y`.
 * Values are shifted by the first value after each restart to keep the sums small (slope, r^2 and residual are
 * shift-invariant). Needs `period >= 2`. Warm-up: `period - 1`.
 */
export function rollingRegression(values: Float64Array, period: number): RollingRegression {
  assertPeriod('period', period, 2);
  const length = values.length;
  const slope = new Float64Array(length);
  const rSquared = new Float64Array(length);
  const residual = new Float64Array(length);
  const sumX = ((period - 1) * period) / 2;
  const sumXX = ((period - 1) * period * (2 * period - 1)) / 6;
  const spreadX = period * sumXX - sumX * sumX;
  let count = 0;
  let shift = 0;
  let sumY = 0;
  let sumXY = 0;
  let sumYY = 0;
  for (let index = 0; index < length; index++) {
    const raw = values[index]!;
    if (isMissing(raw)) {
      count = 0;
      sumY = 0;
      sumXY = 0;
      sumYY = 0;
      slope[index] = NaN;
      rSquared[index] = NaN;
      residual[index] = NaN;
      continue;
    }
    if (count === 0) shift = raw;
    const value = raw - shift;
    if (count < period) {
      sumXY += count * value;
      sumY += value;
      sumYY += value * value;
      count++;
    } else {
      const old = values[index - period]! - shift;
      sumXY = sumXY - (sumY - old) + (period - 1) * value;
      sumY += value - old;
      sumYY += value * value - old * old;
    }
    if (count < period) {
      slope[index] = NaN;
      rSquared[index] = NaN;
      residual[index] = NaN;
      continue;
    }
    const covariance = period * sumXY - sumX * sumY;
    const spreadY = period * sumYY - sumY * sumY;
    const beta = covariance / spreadX;
    const intercept = (sumY - beta * sumX) / period;
    slope[index] = beta;
    residual[index] = value - (intercept + beta * (period - 1));
    if (spreadY <= FLAT_TOLERANCE * period * (sumYY + 1e-300)) {
      rSquared[index] = 0;
    } else {
      const fit = (covariance * covariance) / (spreadX * spreadY);
      rSquared[index] = fit > 1 ? 1 : fit;
    }
  }
  return { slope, rSquared, residual };
}

const enum CoMoment {
  Covariance,
  SampleCovariance,
  Correlation,
  Beta,
}

function slidingCoMoment(x: Float64Array, y: Float64Array, period: number, kind: CoMoment, out: Float64Array): Float64Array {
  // Welford's co-moment update with removal (Welford 1962; Chan, Golub & LeVeque 1983). Adding (x, y) to n - 1
  // values: Cxy += (x - meanX_old) * (y - meanY_new). Removing is the exact inverse, expressed with the current means:
  // Cxy -= (x - meanX) * (y - meanY) * n / (n - 1).
  let count = 0;
  let meanX = 0;
  let meanY = 0;
  let cxx = 0;
  let cyy = 0;
  let cxy = 0;
  // Trailing runs of equal values: a window is exactly flat in x (or y) when its run covers the window.
  let runX = 0;
  let runY = 0;
  for (let index = 0; index < x.length; index++) {
    const valueX = x[index]!;
    const valueY = y[index]!;
    if (isMissing(valueX) || isMissing(valueY)) {
      count = 0;
      meanX = 0;
      meanY = 0;
      cxx = 0;
      cyy = 0;
      cxy = 0;
      runX = 0;
      runY = 0;
      out[index] = NaN;
      continue;
    }
    runX = runX > 0 && valueX === x[index - 1] ? runX + 1 : 1;
    runY = runY > 0 && valueY === y[index - 1] ? runY + 1 : 1;
    if (count === period) {
      const oldX = x[index - period]!;
      const oldY = y[index - period]!;
      const factor = count / (count - 1);
      const deltaX = oldX - meanX;
      const deltaY = oldY - meanY;
      cxx -= deltaX * deltaX * factor;
      cyy -= deltaY * deltaY * factor;
      cxy -= deltaX * deltaY * factor;
      count--;
      meanX -= deltaX / count;
      meanY -= deltaY / count;
    }
    count++;
    const deltaX = valueX - meanX;
    const deltaY = valueY - meanY;
    meanX += deltaX / count;
    meanY += deltaY / count;
    cxx += deltaX * (valueX - meanX);
    cyy += deltaY * (valueY - meanY);
    cxy += deltaX * (valueY - meanY);
    // An exactly flat series in the window has exact moments: reset them, dropping rounding residue.
    if (runX >= count) {
      meanX = valueX;
      cxx = 0;
      cxy = 0;
    }
    if (runY >= count) {
      meanY = valueY;
      cyy = 0;
      cxy = 0;
    }
    if (count < period) {
      out[index] = NaN;
      continue;
    }
    const flatX = runX >= period || cxx <= FLAT_TOLERANCE * count * meanX * meanX;
    const flatY = runY >= period || cyy <= FLAT_TOLERANCE * count * meanY * meanY;
    switch (kind) {
      case CoMoment.Covariance:
        out[index] = flatX || flatY ? 0 : cxy / period;
        break;
      case CoMoment.SampleCovariance:
        out[index] = flatX || flatY ? 0 : cxy / (period - 1);
        break;
      case CoMoment.Correlation: {
        const correlation = flatX || flatY ? NaN : cxy / Math.sqrt(cxx * cyy);
        out[index] = correlation > 1 ? 1 : correlation < -1 ? -1 : correlation;
        break;
      }
      case CoMoment.Beta:
        out[index] = flatX ? NaN : flatY ? 0 : cxy / cxx;
        break;
    }
  }
  return out;
}

export interface RollingCovarianceOptions {
  /** Divide by `period - 1` instead of `period` (population, the default). */
  sample?: boolean;
  out?: Float64Array;
}

/**
 * Rolling covariance of two aligned series (population by default). 0 when either window is flat.
 * Needs `period >= 2`. Warm-up: `period - 1`.
 */
export function rollingCovariance(
  first: Float64Array,
  second: Float64Array,
  period: number,
  options: RollingCovarianceOptions = {},
): Float64Array {
  assertPeriod('period', period, 2);
  const length = assertSameLength({ first, second });
  const kind = options.sample === true ? CoMoment.SampleCovariance : CoMoment.Covariance;
  return slidingCoMoment(first, second, period, kind, outputArray(length, options.out));
}

/**
 * Rolling Pearson correlation in [-1, 1]. NaN when either window is flat (correlation is undefined there).
 * Needs `period >= 2`. Warm-up: `period - 1`.
 */
export function rollingCorrelation(first: Float64Array, second: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period, 2);
  const length = assertSameLength({ first, second });
  return slidingCoMoment(first, second, period, CoMoment.Correlation, outputArray(length, out));
}

/**
 * Rolling beta of `values` on `benchmark`: cov(values, benchmark) / var(benchmark). NaN when the benchmark window is
 * flat, 0 when only `values` is flat. Needs `period >= 2`. Warm-up: `period - 1`.
 */
export function rollingBeta(values: Float64Array, benchmark: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period, 2);
  const length = assertSameLength({ values, benchmark });
  return slidingCoMoment(benchmark, values, period, CoMoment.Beta, outputArray(length, out));
}

function smooth(values: Float64Array, period: number, alpha: number, out: Float64Array): Float64Array {
  let count = 0;
  let sum = 0;
  let average = 0;
  for (let index = 0; index < values.length; index++) {
    const value = values[index]!;
    if (isMissing(value)) {
      count = 0;
      sum = 0;
      out[index] = NaN;
      continue;
    }
    if (count < period) {
      sum += value;
      count++;
      if (count === period) {
        average = sum / period;
        out[index] = average;
      } else {
        out[index] = NaN;
      }
    } else {
      average += alpha * (value - average);
      out[index] = average;
    }
  }
  return out;
}

/**
 * Exponential moving average with `alpha = 2 / (period + 1)`, seeded with the simple mean of the first `period`
 * values (the usual convention, e.g. TA-Lib and `technicalindicators`): `ema[period-1] = SMA`, then
 * `ema[t] = ema[t-1] + alpha * (x[t] - ema[t-1])`. A missing value restarts the seeding. Warm-up: `period - 1`.
 */
export function rollingEma(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  return smooth(values, period, 2 / (period + 1), outputArray(values.length, out));
}

/**
 * Wilder's smoothing (Wilder 1978; also called RMA or SMMA): an EMA with `alpha = 1 / period`, seeded with the simple
 * mean of the first `period` values. A missing value restarts the seeding. Warm-up: `period - 1`.
 */
export function rollingWilder(values: Float64Array, period: number, out?: Float64Array): Float64Array {
  assertPeriod('period', period);
  return smooth(values, period, 1 / period, outputArray(values.length, out));
}

/** `values[t] - values[t - lag]`. Warm-up: `lag`. */
export function difference(values: Float64Array, lag = 1, out?: Float64Array): Float64Array {
  assertPeriod('lag', lag);
  const result = outputArray(values.length, out);
  for (let index = 0; index < values.length; index++) {
    const value = index < lag ? NaN : values[index]! - values[index - lag]!;
    result[index] = isMissing(value) ? NaN : value;
  }
  return result;
}

/** Simple return `values[t] / values[t - lag] - 1`; NaN when the base is 0 or missing. Warm-up: `lag`. */
export function simpleReturn(values: Float64Array, lag = 1, out?: Float64Array): Float64Array {
  assertPeriod('lag', lag);
  const result = outputArray(values.length, out);
  for (let index = 0; index < values.length; index++) {
    const base = index < lag ? NaN : values[index - lag]!;
    const value = base === 0 ? NaN : values[index]! / base - 1;
    result[index] = isMissing(value) ? NaN : value;
  }
  return result;
}

/** Log return `ln(values[t] / values[t - lag])`; NaN unless both prices are positive and finite. Warm-up: `lag`. */
export function logReturn(values: Float64Array, lag = 1, out?: Float64Array): Float64Array {
  assertPeriod('lag', lag);
  const result = outputArray(values.length, out);
  for (let index = 0; index < values.length; index++) {
    const base = index < lag ? NaN : values[index - lag]!;
    const value = values[index]!;
    result[index] = base > 0 && value > 0 && !isMissing(base) && !isMissing(value) ? Math.log(value / base) : NaN;
  }
  return result;
}
