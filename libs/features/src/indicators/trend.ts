/**
 * Trend-strength indicators: ADX with the directional indicators, Aroon.
 */
import { assertPeriod, assertSameLength } from '../internal/validate.js';
import { rollingBarsSinceMax, rollingBarsSinceMin } from '../rolling.js';

export interface AdxResult {
  /** Average directional index in [0, 100]. Warm-up: `2 * period - 1`. */
  readonly adx: Float64Array;
  /** +DI in [0, 100]. Warm-up: `period`. */
  readonly plusDi: Float64Array;
  /** -DI in [0, 100]. Warm-up: `period`. */
  readonly minusDi: Float64Array;
  /** Directional movement index DX. Warm-up: `period`. */
  readonly dx: Float64Array;
}

/**
 * Average Directional Index (Wilder 1978). From bar 1: `+DM = up` if `up > down` and `up > 0` (else 0), `-DM`
 * symmetrically, true range against the previous close. TR, +DM and -DM are Wilder-smoothed (SMA seed over the first
 * `period` bars that have a previous close); `+DI = 100 * +DM_s / TR_s`, `DX = 100 * |+DI - -DI| / (+DI + -DI)`, and
 * ADX is the Wilder average of DX seeded with the mean of the first `period` DX values.
 * Flat prices (TR_s = 0) give DI = 0 and DX = 0. A missing bar restarts everything.
 */
export function adx(high: Float64Array, low: Float64Array, close: Float64Array, period = 14): AdxResult {
  assertPeriod('period', period);
  const length = assertSameLength({ high, low, close });
  const average = new Float64Array(length);
  const plusDi = new Float64Array(length);
  const minusDi = new Float64Array(length);
  const dx = new Float64Array(length);
  let count = 0;
  let dxCount = 0;
  let range = 0;
  let plus = 0;
  let minus = 0;
  let smoothedDx = 0;
  if (length > 0) {
    average[0] = NaN;
    plusDi[0] = NaN;
    minusDi[0] = NaN;
    dx[0] = NaN;
  }
  for (let index = 1; index < length; index++) {
    const currentHigh = high[index]!;
    const currentLow = low[index]!;
    const previousClose = close[index - 1]!;
    const up = currentHigh - high[index - 1]!;
    const down = low[index - 1]! - currentLow;
    const trueRange = Math.max(
      currentHigh - currentLow,
      Math.abs(currentHigh - previousClose),
      Math.abs(currentLow - previousClose),
    );
    if (up - up !== 0 || down - down !== 0 || trueRange - trueRange !== 0) {
      count = 0;
      dxCount = 0;
      range = 0;
      plus = 0;
      minus = 0;
      smoothedDx = 0;
      average[index] = NaN;
      plusDi[index] = NaN;
      minusDi[index] = NaN;
      dx[index] = NaN;
      continue;
    }
    const plusMove = up > down && up > 0 ? up : 0;
    const minusMove = down > up && down > 0 ? down : 0;
    if (count < period) {
      range += trueRange;
      plus += plusMove;
      minus += minusMove;
      count++;
      if (count < period) {
        average[index] = NaN;
        plusDi[index] = NaN;
        minusDi[index] = NaN;
        dx[index] = NaN;
        continue;
      }
      range /= period;
      plus /= period;
      minus /= period;
    } else {
      range += (trueRange - range) / period;
      plus += (plusMove - plus) / period;
      minus += (minusMove - minus) / period;
    }
    const plusIndicator = range > 0 ? (100 * plus) / range : 0;
    const minusIndicator = range > 0 ? (100 * minus) / range : 0;
    const total = plusIndicator + minusIndicator;
    const movement = total > 0 ? (100 * Math.abs(plusIndicator - minusIndicator)) / total : 0;
    plusDi[index] = plusIndicator;
    minusDi[index] = minusIndicator;
    dx[index] = movement;
    if (dxCount < period) {
      smoothedDx += movement;
      dxCount++;
      if (dxCount < period) {
        average[index] = NaN;
        continue;
      }
      smoothedDx /= period;
    } else {
      smoothedDx += (movement - smoothedDx) / period;
    }
    average[index] = smoothedDx;
  }
  return { adx: average, plusDi, minusDi, dx };
}

export interface AroonResult {
  /** `100 * (period - barsSinceHigh) / period`, in [0, 100]. Warm-up: `period`. */
  readonly up: Float64Array;
  /** `100 * (period - barsSinceLow) / period`. Warm-up: `period`. */
  readonly down: Float64Array;
  /** `up - down`, in [-100, 100]. Warm-up: `period`. */
  readonly oscillator: Float64Array;
}

/**
 * Aroon (Chande 1995) over the last `period + 1` bars (today and `period` bars back), ties going to the most recent
 * extreme, as in `trading-signals`.
 */
export function aroon(high: Float64Array, low: Float64Array, period = 25): AroonResult {
  assertPeriod('period', period);
  const length = assertSameLength({ high, low });
  const up = rollingBarsSinceMax(high, period + 1);
  const down = rollingBarsSinceMin(low, period + 1);
  const oscillator = new Float64Array(length);
  for (let index = 0; index < length; index++) {
    const upValue = (100 * (period - up[index]!)) / period;
    const downValue = (100 * (period - down[index]!)) / period;
    up[index] = upValue;
    down[index] = downValue;
    oscillator[index] = upValue - downValue;
  }
  return { up, down, oscillator };
}
