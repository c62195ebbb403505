/**
 * computeTechnicalFeatures: the 179 features of the registry for one symbol, as a column-major matrix aligned with
 * its bars (row i describes day i using only bars 0..i).
 */
import { InvalidArgumentError, createFeatureMatrix, dayOfWeek, type Bars, type FeatureMatrix } from '@quant/core';
import { indexLogLevel, type FeatureContext } from './context.js';
import { accumulationDistribution, chaikinMoneyFlow, mfi, obv, rollingVwap } from './indicators/volume.js';
import { adx, aroon } from './indicators/trend.js';
import { cci, stochastic, williamsR } from './indicators/oscillators.js';
import { macd, roc, rsi, trix } from './indicators/momentum.js';
import { ema, sma } from './indicators/moving-averages.js';
import { atr, bollingerBands, closeToCloseVolatility, donchianChannels, garmanKlassVolatility, keltnerChannels, parkinsonVolatility } from './indicators/volatility.js';
import {
  rollingBarsSinceMax,
  rollingBarsSinceMin,
  rollingCorrelation,
  rollingCovariance,
  rollingEma,
  rollingMax,
  rollingMean,
  rollingMin,
  rollingOrderStatistics,
  rollingRegression,
  rollingStd,
} from './rolling.js';
import { TECHNICAL_FEATURES, TECHNICAL_FEATURE_NAMES, type FeatureGroup } from './registry.js';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const COLUMN = new Map(TECHNICAL_FEATURE_NAMES.map((name, index) => [name, index]));

/** Prices on one basis: o, h and l scaled by adjustedClose / close, so that splits and dividends never look like moves. */
export interface AdjustedPrices {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export function adjustPrices(bars: Bars): AdjustedPrices {
  const length = bars.dates.length;
  const open = new Float64Array(length);
  const high = new Float64Array(length);
  const low = new Float64Array(length);
  for (let row = 0; row < length; row++) {
    const factor = bars.adjustedClose[row]! / bars.close[row]!;
    open[row] = bars.open[row]! * factor;
    high[row] = bars.high[row]! * factor;
    low[row] = bars.low[row]! * factor;
  }
  return { open, high, low, close: bars.adjustedClose, volume: bars.volume };
}

/** Division that gives `fallback` (NaN by default) instead of Infinity or NaN when the denominator is 0. */
function ratio(numerator: number, denominator: number, fallback = Number.NaN): number {
  return denominator === 0 ? fallback : numerator / denominator;
}

/**
 * The 179 technical features of one symbol. `context` provides the market and sector indices (see
 * buildMarketContext); without it the 14 market-relative features are NaN. Values are NaN during each feature's
 * warm-up and wherever an input needed is NaN.
 */
export function computeTechnicalFeatures(bars: Bars, context: FeatureContext = {}): FeatureMatrix {
  return computeAllParts(bars, context);
}

/**
 * Runs the selected feature parts (all by default) over `bars`, writing each feature into the array that `column`
 * gives for its name. The batch form gives views into one matrix; the streaming form gives arrays allocated on demand,
 * so a pass that computes 21 columns does not allocate 179.
 */
export function runFeatureParts(
  bars: Bars,
  context: FeatureContext,
  select: ((part: FeaturePart) => boolean) | undefined,
  column: (name: string) => Float64Array,
): void {
  const length = bars.dates.length;
  if (length === 0) throw new InvalidArgumentError(`${bars.symbol}: no bars to compute features from`);
  const { open, high, low, close, volume } = adjustPrices(bars);
  const logClose = close.map(Math.log);
  const logVolume = volume.map((value) => Math.log1p(value));
  const dailyReturn = new Float64Array(length).fill(Number.NaN);
  for (let row = 1; row < length; row++) dailyReturn[row] = logClose[row]! - logClose[row - 1]!;
  const inputs: GroupInputs = { bars, length, open, high, low, close, volume, logClose, logVolume, dailyReturn, column };
  for (const part of FEATURE_PARTS) if (select === undefined || select(part)) part.compute(inputs, context);
}

function computeAllParts(bars: Bars, context: FeatureContext): FeatureMatrix {
  const length = bars.dates.length;
  if (length === 0) throw new InvalidArgumentError(`${bars.symbol}: no bars to compute features from`);
  const values = new Float64Array(TECHNICAL_FEATURES.length * length).fill(Number.NaN);
  runFeatureParts(bars, context, undefined, (name) => {
    const index = COLUMN.get(name);
    if (index === undefined) throw new Error(`internal: feature ${name} is not in the registry`);
    return values.subarray(index * length, (index + 1) * length);
  });
  // No feature may be infinite: a zero denominator that slipped through becomes NaN.
  for (let index = 0; index < values.length; index++) if (values[index] === Infinity || values[index] === -Infinity) values[index] = Number.NaN;
  return createFeatureMatrix({
    columns: TECHNICAL_FEATURE_NAMES,
    values,
    symbols: [bars.symbol],
    rowSymbols: new Int32Array(length),
    rowDates: Int32Array.from(bars.dates),
  });
}

/** What every group of features reads: the adjusted series and a way to reach its output columns. */
export interface GroupInputs {
  readonly bars: Bars;
  readonly length: number;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
  readonly logClose: Float64Array;
  readonly logVolume: Float64Array;
  readonly dailyReturn: Float64Array;
  readonly column: (name: string) => Float64Array;
}

// Each group is its own function: V8 optimises small functions, and one 400-line function ran 2x slower.
function computeReturns(inputs: GroupInputs): void {
  const { length, logClose, column } = inputs;
  // Returns and momentum.
  for (const lag of [1, 2, 3, 5, 10, 20, 60, 120, 252]) {
    const out = column(`return_${lag}`);
    for (let row = lag; row < length; row++) out[row] = logClose[row]! - logClose[row - lag]!;
  }
  {
    const out = column('momentum_12_1');
    for (let row = 252; row < length; row++) out[row] = logClose[row - 21]! - logClose[row - 252]!;
  }

}

function computeSmaFeatures(inputs: GroupInputs): void {
  const { length, close, column } = inputs;
  const smaCache = new Map<number, Float64Array>();
  const smaOf = (period: number): Float64Array => {
    let cached = smaCache.get(period);
    if (cached === undefined) {
      cached = sma(close, period);
      smaCache.set(period, cached);
    }
    return cached;
  };
  for (const period of [5, 10, 20, 50, 100, 200]) {
    if (length < period) continue;
    const average = smaOf(period);
    const smaRatio = column(`sma_ratio_${period}`);
    for (let row = 0; row < length; row++) smaRatio[row] = close[row]! / average[row]! - 1;
  }
  for (const period of [10, 20, 50, 200]) {
    if (length < period) continue;
    const average = smaOf(period);
    const out = column(`sma_slope_${period}`);
    for (let row = 5; row < length; row++) out[row] = average[row]! / average[row - 5]! - 1;
  }
  for (const [fast, slow] of [[5, 20], [20, 50], [50, 200]] as const) {
    if (length < slow) continue;
    const fastAverage = smaOf(fast);
    const slowAverage = smaOf(slow);
    const out = column(`sma_cross_${fast}_${slow}`);
    for (let row = 0; row < length; row++) out[row] = fastAverage[row]! / slowAverage[row]! - 1;
  }
}

function computeEmaRatios(inputs: GroupInputs): void {
  const { length, close, column } = inputs;
  for (const period of [5, 10, 20, 50, 100, 200]) {
    if (length < period) continue;
    const exponential = ema(close, period);
    const emaRatio = column(`ema_ratio_${period}`);
    for (let row = 0; row < length; row++) emaRatio[row] = close[row]! / exponential[row]! - 1;
  }
}

function computeRsi(inputs: GroupInputs): void {
  const { close, column } = inputs;
  for (const period of [6, 14, 28]) scaleInto(column(`rsi_${period}`), rsi(close, period), 0.01);
}

function computeMacd(inputs: GroupInputs): void {
  const { length, close, column } = inputs;
  const result = macd(close, { fastPeriod: 12, slowPeriod: 26, signalPeriod: 9 });
  const line = column('macd');
  const signal = column('macd_signal');
  const histogram = column('macd_histogram');
  for (let row = 0; row < length; row++) {
    line[row] = result.macd[row]! / close[row]!;
    signal[row] = result.signal[row]! / close[row]!;
    histogram[row] = result.histogram[row]! / close[row]!;
  }
}

function computeRangeOscillators(inputs: GroupInputs): void {
  const { high, low, close, volume, column } = inputs;
  const result = stochastic(high, low, close, { period: 14, signalPeriod: 3 });
  scaleInto(column('stochastic_k_14'), result.k, 0.01);
  scaleInto(column('stochastic_d_14_3'), result.d, 0.01);
  scaleInto(column('williams_r_14'), williamsR(high, low, close, 14), -0.01);
  scaleInto(column('cci_20'), cci(high, low, close, 20), 0.01);
  const trend = aroon(high, low, 25);
  scaleInto(column('aroon_up_25'), trend.up, 0.01);
  scaleInto(column('aroon_down_25'), trend.down, 0.01);
  scaleInto(column('aroon_oscillator_25'), trend.oscillator, 0.01);
  scaleInto(column('mfi_14'), mfi(high, low, close, volume, 14), 0.01);
  // roc returns percentages: convert to fractions.
  for (const period of [10, 20]) scaleInto(column(`roc_${period}`), roc(close, period), 0.01);
}

function computeDirectionalMovement(inputs: GroupInputs): void {
  const { length, high, low, close, column } = inputs;
  const result = adx(high, low, close, 14);
  scaleInto(column('adx_14'), result.adx, 0.01);
  scaleInto(column('plus_di_14'), result.plusDi, 0.01);
  scaleInto(column('minus_di_14'), result.minusDi, 0.01);
  const spread = column('di_spread_14');
  for (let row = 0; row < length; row++) spread[row] = (result.plusDi[row]! - result.minusDi[row]!) * 0.01;
}

function computeTrix(inputs: GroupInputs): void {
  const { close, column } = inputs;
  // trix returns a percentage: convert to a fraction.
  scaleInto(column('trix_15'), trix(close, 15), 0.01);
}

function computeKeltner(inputs: GroupInputs): void {
  const { length, high, low, close, column } = inputs;
  const keltner = keltnerChannels(high, low, close, { period: 20, atrPeriod: 10, multiplier: 2 });
  const position = column('keltner_position_20');
  const width = column('keltner_width_20');
  for (let row = 0; row < length; row++) {
    position[row] = ratio(close[row]! - keltner.lower[row]!, keltner.upper[row]! - keltner.lower[row]!, 0.5);
    width[row] = ratio(keltner.upper[row]! - keltner.lower[row]!, keltner.middle[row]!);
  }
}

function computeBollingerDonchian(inputs: GroupInputs): void {
  const { length, high, low, close, column } = inputs;
  // Bands and channels.
  {
    const bands = bollingerBands(close, { period: 20, multiplier: 2 });
    bands.percentB.forEach((value, row) => (column('bollinger_percent_b_20')[row] = value));
    const width = column('bollinger_width_20');
    for (let row = 0; row < length; row++) width[row] = ratio(bands.upper[row]! - bands.lower[row]!, bands.middle[row]!);
    for (const period of [20, 55]) {
      const channel = donchianChannels(high, low, period);
      const donchianPosition = column(`donchian_position_${period}`);
      const donchianWidth = column(`donchian_width_${period}`);
      for (let row = 0; row < length; row++) {
        const span = channel.upper[row]! - channel.lower[row]!;
        donchianPosition[row] = ratio(close[row]! - channel.lower[row]!, span, 0.5);
        donchianWidth[row] = span / close[row]!;
      }
    }
  }

}

function computeAtr(inputs: GroupInputs): void {
  const { length, high, low, close, column } = inputs;
  const averageTrueRange = atr(high, low, close, 14);
  const atrColumn = column('atr_14');
  for (let row = 0; row < length; row++) atrColumn[row] = averageTrueRange[row]! / close[row]!;
}

function computeRealizedVolatility(inputs: GroupInputs): void {
  const { length, open, high, low, close, column } = inputs;
  // Volatility.
  {
    const trueRange = column('true_range');
    for (let row = 1; row < length; row++) {
      const previous = close[row - 1]!;
      trueRange[row] = (Math.max(high[row]!, previous) - Math.min(low[row]!, previous)) / previous;
    }
    for (const period of [5, 10, 20, 60]) closeToCloseVolatility(close, period, { out: column(`volatility_${period}`) });
    parkinsonVolatility(high, low, 20, { out: column('parkinson_volatility_20') });
    garmanKlassVolatility(open, high, low, close, 20, { out: column('garman_klass_volatility_20') });
    const fast = column('volatility_5');
    const slow = column('volatility_60');
    const volatilityRatio = column('volatility_ratio_5_60');
    for (let row = 0; row < length; row++) volatilityRatio[row] = ratio(fast[row]!, slow[row]!);
    const twenty = column('volatility_20');
    const change = column('volatility_change_20');
    for (let row = 20; row < length; row++) change[row] = ratio(twenty[row]!, twenty[row - 20]!) - 1;
  }

}

function computeChaikinOscillator(inputs: GroupInputs): void {
  const { length, high, low, close, volume, column } = inputs;
  const accumulation = accumulationDistribution(high, low, close, volume);
  const fastAd = rollingEma(accumulation, 3);
  const slowAd = rollingEma(accumulation, 10);
  const meanVolume20 = rollingMean(volume, 20);
  const chaikin = column('chaikin_oscillator');
  for (let row = 0; row < length; row++) chaikin[row] = ratio(fastAd[row]! - slowAd[row]!, meanVolume20[row]!);
}

function computeVolume(inputs: GroupInputs): void {
  const { length, high, low, close, volume, logVolume, column } = inputs;
  // Volume.
  {
    const meanVolume20 = rollingMean(volume, 20);
    const onBalance = obv(close, volume);
    const obvSlope = rollingRegression(onBalance, 20).slope;
    const accumulation = accumulationDistribution(high, low, close, volume);
    const adSlope = rollingRegression(accumulation, 20).slope;
    const obvColumn = column('obv_slope_20');
    const adColumn = column('ad_slope_20');
    for (let row = 0; row < length; row++) {
      obvColumn[row] = ratio(obvSlope[row]!, meanVolume20[row]!);
      adColumn[row] = ratio(adSlope[row]!, meanVolume20[row]!);
    }
    for (const period of [20, 60]) {
      const mean = rollingMean(logVolume, period);
      const deviation = rollingStd(logVolume, period);
      const out = column(`volume_z_${period}`);
      for (let row = 0; row < length; row++) out[row] = ratio(logVolume[row]! - mean[row]!, deviation[row]!, 0);
    }
    for (const [fast, slow] of [[5, 20], [5, 60]] as const) {
      const fastMean = rollingMean(volume, fast);
      const slowMean = rollingMean(volume, slow);
      const out = column(`volume_ratio_${fast}_${slow}`);
      for (let row = 0; row < length; row++) out[row] = ratio(fastMean[row]!, slowMean[row]!);
    }
    const vwap = rollingVwap(high, low, close, volume, 20);
    const distance = column('vwap_distance_20');
    for (let row = 0; row < length; row++) distance[row] = close[row]! / vwap[row]! - 1;
    chaikinMoneyFlow(high, low, close, volume, 20, column('chaikin_money_flow_20'));
  }

}

function computeCandles(inputs: GroupInputs): void {
  const { length, open, high, low, close, column } = inputs;
  // Candles.
  {
    const gap = column('gap_open');
    const body = column('body');
    const upper = column('upper_shadow');
    const lower = column('lower_shadow');
    const location = column('close_location');
    const range = column('range');
    for (let row = 0; row < length; row++) {
      const o = open[row]!;
      const h = high[row]!;
      const l = low[row]!;
      const c = close[row]!;
      const span = h - l;
      if (row > 0) gap[row] = o / close[row - 1]! - 1;
      body[row] = c / o - 1;
      upper[row] = ratio(h - Math.max(o, c), span, 0);
      lower[row] = ratio(Math.min(o, c) - l, span, 0);
      location[row] = ratio(c - l, span, 0.5);
      range[row] = span / c;
    }
  }

}

function computeRollingStatistics(inputs: GroupInputs): void {
  const { length, high, low, close, logVolume, column } = inputs;
  // Rolling statistics (Alpha158 style).
  for (const window of [5, 10, 20, 30, 60]) {
    if (length < window) continue;
    const highest = rollingMax(high, window);
    const lowest = rollingMin(low, window);
    const highRatio = column(`high_ratio_${window}`);
    const lowRatio = column(`low_ratio_${window}`);
    const position = column(`stochastic_position_${window}`);
    for (let row = 0; row < length; row++) {
      highRatio[row] = highest[row]! / close[row]! - 1;
      lowRatio[row] = lowest[row]! / close[row]! - 1;
      position[row] = ratio(close[row]! - lowest[row]!, highest[row]! - lowest[row]!, 0.5);
    }
    const quantileHigh = column(`quantile_high_${window}`);
    const quantileLow = column(`quantile_low_${window}`);
    rollingOrderStatistics(close, window, [0.8, 0.2], { quantiles: [quantileHigh, quantileLow], percentRank: column(`rank_${window}`) });
    for (let row = 0; row < length; row++) {
      quantileHigh[row] = quantileHigh[row]! / close[row]! - 1;
      quantileLow[row] = quantileLow[row]! / close[row]! - 1;
    }
    const sinceHigh = column(`days_since_high_${window}`);
    const sinceLow = column(`days_since_low_${window}`);
    rollingBarsSinceMax(high, window, sinceHigh);
    rollingBarsSinceMin(low, window, sinceLow);
    const order = column(`high_low_order_${window}`);
    for (let row = 0; row < length; row++) {
      sinceHigh[row] = sinceHigh[row]! / window;
      sinceLow[row] = sinceLow[row]! / window;
      order[row] = sinceLow[row]! - sinceHigh[row]!;
    }
    const trend = rollingRegression(close, window);
    const slope = column(`trend_slope_${window}`);
    const rSquared = column(`trend_r_squared_${window}`);
    const residual = column(`trend_residual_${window}`);
    for (let row = 0; row < length; row++) {
      slope[row] = trend.slope[row]! / close[row]!;
      rSquared[row] = trend.rSquared[row]!;
      residual[row] = trend.residual[row]! / close[row]!;
    }
    rollingCorrelation(close, logVolume, window, column(`price_volume_correlation_${window}`));
    const upRatio = column(`up_day_ratio_${window}`);
    const balance = column(`gain_loss_balance_${window}`);
    let ups = 0;
    let gains = 0;
    let losses = 0;
    for (let row = 1; row < length; row++) {
      const change = close[row]! - close[row - 1]!;
      ups += change > 0 ? 1 : 0;
      gains += change > 0 ? change : 0;
      losses += change < 0 ? -change : 0;
      if (row > window) {
        const leaving = close[row - window]! - close[row - window - 1]!;
        ups -= leaving > 0 ? 1 : 0;
        gains -= leaving > 0 ? leaving : 0;
        losses -= leaving < 0 ? -leaving : 0;
      }
      if (row >= window) {
        upRatio[row] = ups / window;
        balance[row] = ratio(gains - losses, gains + losses, 0);
      }
    }
  }

}

function compute52WeekRange(inputs: GroupInputs): void {
  const { length, high, low, close, column } = inputs;
  // 52-week range.
  if (length >= 252) {
    const highest = rollingMax(high, 252);
    const lowest = rollingMin(low, 252);
    const sinceHigh = rollingBarsSinceMax(high, 252);
    const toHigh = column('distance_52_week_high');
    const toLow = column('distance_52_week_low');
    const days = column('days_since_52_week_high');
    for (let row = 0; row < length; row++) {
      toHigh[row] = close[row]! / highest[row]! - 1;
      toLow[row] = close[row]! / lowest[row]! - 1;
      days[row] = sinceHigh[row]! / 252;
    }
  }

}

function computeMarketRelative(inputs: GroupInputs, context: FeatureContext): void {
  const { bars, length, logClose, dailyReturn, column } = inputs;
  // Market- and sector-relative.
  if (context.market !== undefined) {
    const marketLevel = indexLogLevel(context.market, bars);
    const marketReturn = new Float64Array(length).fill(Number.NaN);
    for (let row = 1; row < length; row++) marketReturn[row] = marketLevel[row]! - marketLevel[row - 1]!;
    for (const lag of [1, 5, 20]) {
      const market = column(`market_return_${lag}`);
      const relative = column(`relative_return_${lag}`);
      for (let row = lag; row < length; row++) {
        market[row] = marketLevel[row]! - marketLevel[row - lag]!;
        relative[row] = logClose[row]! - logClose[row - lag]! - market[row]!;
      }
    }
    shiftedStd(marketReturn, 20, column('market_volatility_20'));
    const covariance = rollingCovariance(dailyReturn, marketReturn, 60);
    const marketVariance = rollingCovariance(marketReturn, marketReturn, 60);
    const beta = column('beta_60');
    for (let row = 0; row < length; row++) beta[row] = ratio(covariance[row]!, marketVariance[row]!);
    const correlation = column('market_correlation_60');
    rollingCorrelation(dailyReturn, marketReturn, 60, correlation);
    // Standard deviation of the residuals of the within-window least-squares fit r = a + beta rM:
    // var(residual) = var(r) (1 - corr^2).
    const ownVariance = rollingCovariance(dailyReturn, dailyReturn, 60);
    const idiosyncratic = column('idiosyncratic_volatility_60');
    for (let row = 0; row < length; row++) {
      const rho = correlation[row]!;
      idiosyncratic[row] = Math.sqrt(Math.max(0, ownVariance[row]! * (1 - rho * rho)));
    }
  }
  const sectorIndex = context.sector ? context.sectors?.get(context.sector) : undefined;
  if (sectorIndex !== undefined) {
    const sectorLevel = indexLogLevel(sectorIndex, bars);
    const sectorReturn = new Float64Array(length).fill(Number.NaN);
    for (let row = 1; row < length; row++) sectorReturn[row] = sectorLevel[row]! - sectorLevel[row - 1]!;
    for (const lag of [1, 5, 20]) {
      const relative = column(`sector_relative_return_${lag}`);
      for (let row = lag; row < length; row++) relative[row] = logClose[row]! - logClose[row - lag]! - (sectorLevel[row]! - sectorLevel[row - lag]!);
    }
    const covariance = rollingCovariance(dailyReturn, sectorReturn, 60);
    const variance = rollingCovariance(sectorReturn, sectorReturn, 60);
    const beta = column('sector_beta_60');
    for (let row = 0; row < length; row++) beta[row] = ratio(covariance[row]!, variance[row]!);
  }

}

function computeCalendar(inputs: GroupInputs): void {
  const { bars, length, column } = inputs;
  // Calendar.
  {
    const weekday = column('day_of_week');
    const month = column('month_of_year');
    const toMonthEnd = column('days_to_month_end');
    const quarterEnd = column('quarter_end_month');
    for (let row = 0; row < length; row++) {
      const day = bars.dates[row]!;
      // Civil date from a day number without allocating a Date (H. Hinnant, "chrono-compatible low-level date
      // algorithms", days_from_civil inverse).
      const shifted = day + 719_468;
      const era = Math.floor(shifted / 146_097);
      const dayOfEra = shifted - era * 146_097;
      const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
      const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
      const monthPrime = Math.floor((5 * dayOfYear + 2) / 153);
      const dayOfMonth = dayOfYear - Math.floor((153 * monthPrime + 2) / 5) + 1;
      const monthIndex = monthPrime < 10 ? monthPrime + 2 : monthPrime - 10; // 0 = January
      const year = yearOfEra + era * 400 + (monthIndex <= 1 ? 1 : 0);
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      const lastDay = monthIndex === 1 ? (leap ? 29 : 28) : DAYS_IN_MONTH[monthIndex]!;
      weekday[row] = (dayOfWeek(day) - 1) / 4;
      month[row] = monthIndex / 11;
      toMonthEnd[row] = (lastDay - dayOfMonth) / 30;
      quarterEnd[row] = monthIndex % 3 === 2 ? 1 : 0;
    }
  }

}

function scaleInto(target: Float64Array, source: Float64Array, factor: number): void {
  for (let row = 0; row < target.length; row++) target[row] = source[row]! * factor;
}

/** Population standard deviation over `period` values of a series whose first value is NaN (a return series). */
function shiftedStd(values: Float64Array, period: number, out: Float64Array): void {
  const tail = values.subarray(1);
  const deviation = rollingStd(tail, period);
  out.fill(Number.NaN);
  out.set(deviation, 1);
}

/**
 * How the features are computed: parts of the registry's groups. A part is `recursive` when its features carry state
 * over the whole history (EMA and Wilder smoothing are seeded at the first bar and never forget; cumulative lines);
 * every other part depends only on a bounded window of at most 253 bars. `columns` lists what each part writes (a
 * test checks that every feature is written by exactly one part).
 */
export interface FeaturePart {
  readonly name: string;
  readonly group: FeatureGroup;
  readonly recursive: boolean;
  readonly columns: readonly string[];
  readonly compute: (inputs: GroupInputs, context: FeatureContext) => void;
}

const byGroup = (group: FeatureGroup): string[] => TECHNICAL_FEATURES.filter((feature) => feature.group === group).map((feature) => feature.name);
const named = (prefix: string, suffixes: readonly (string | number)[]): string[] => suffixes.map((suffix) => `${prefix}${suffix}`);
const emaColumns = named('ema_ratio_', [5, 10, 20, 50, 100, 200]);
const recursiveOscillators = [...named('rsi_', [6, 14, 28]), 'macd', 'macd_signal', 'macd_histogram', 'adx_14', 'plus_di_14', 'minus_di_14', 'di_spread_14', 'trix_15'];

export const FEATURE_PARTS: readonly FeaturePart[] = [
  { name: 'returns', group: 'returns', recursive: false, columns: byGroup('returns'), compute: computeReturns },
  { name: 'simple moving averages', group: 'moving-averages', recursive: false, columns: byGroup('moving-averages').filter((name) => !emaColumns.includes(name)), compute: computeSmaFeatures },
  { name: 'exponential moving averages', group: 'moving-averages', recursive: true, columns: emaColumns, compute: computeEmaRatios },
  { name: 'RSI', group: 'oscillators', recursive: true, columns: named('rsi_', [6, 14, 28]), compute: computeRsi },
  { name: 'MACD', group: 'oscillators', recursive: true, columns: ['macd', 'macd_signal', 'macd_histogram'], compute: computeMacd },
  { name: 'directional movement', group: 'oscillators', recursive: true, columns: ['adx_14', 'plus_di_14', 'minus_di_14', 'di_spread_14'], compute: computeDirectionalMovement },
  { name: 'TRIX', group: 'oscillators', recursive: true, columns: ['trix_15'], compute: computeTrix },
  { name: 'range oscillators', group: 'oscillators', recursive: false, columns: byGroup('oscillators').filter((name) => !recursiveOscillators.includes(name)), compute: computeRangeOscillators },
  { name: 'Keltner channels', group: 'bands', recursive: true, columns: ['keltner_position_20', 'keltner_width_20'], compute: computeKeltner },
  { name: 'Bollinger and Donchian', group: 'bands', recursive: false, columns: byGroup('bands').filter((name) => !name.startsWith('keltner_')), compute: computeBollingerDonchian },
  { name: 'ATR', group: 'volatility', recursive: true, columns: ['atr_14'], compute: computeAtr },
  { name: 'realized volatility', group: 'volatility', recursive: false, columns: byGroup('volatility').filter((name) => name !== 'atr_14'), compute: computeRealizedVolatility },
  { name: 'Chaikin oscillator', group: 'volume', recursive: true, columns: ['chaikin_oscillator'], compute: computeChaikinOscillator },
  { name: 'volume', group: 'volume', recursive: false, columns: byGroup('volume').filter((name) => name !== 'chaikin_oscillator'), compute: computeVolume },
  { name: 'candles', group: 'candles', recursive: false, columns: byGroup('candles'), compute: computeCandles },
  { name: 'rolling statistics', group: 'rolling-statistics', recursive: false, columns: byGroup('rolling-statistics'), compute: computeRollingStatistics },
  { name: '52-week range', group: 'range-52-week', recursive: false, columns: byGroup('range-52-week'), compute: compute52WeekRange },
  { name: 'market-relative', group: 'market-relative', recursive: false, columns: byGroup('market-relative'), compute: computeMarketRelative },
  { name: 'calendar', group: 'calendar', recursive: false, columns: byGroup('calendar'), compute: computeCalendar },
];
