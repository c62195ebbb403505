/**
 * The registry of the 179 technical features: name, group, parameters, warm-up and formula of each, in the stable
 * order of the feature matrix. docs/features.md is generated from it (tools/generate-feature-docs.ts) and a test checks
 * that the registry, the docs and the computed matrix agree.
 *
 * Notation in formulas: c, o, h, l are the dividend- and split-adjusted close, open, high and low (o, h and l are
 * scaled by adjustedClose / close so that every price series is on the same basis), v is volume, t is today, and
 * every window ends at t (no value from after t is ever used).
 */

export type FeatureGroup =
  | 'returns'
  | 'moving-averages'
  | 'oscillators'
  | 'bands'
  | 'volatility'
  | 'volume'
  | 'candles'
  | 'rolling-statistics'
  | 'range-52-week'
  | 'market-relative'
  | 'calendar';

export interface FeatureDefinition {
  readonly name: string;
  readonly group: FeatureGroup;
  readonly parameters: Readonly<Record<string, number>>;
  /** Leading rows that are NaN on a clean, complete series (the first valid row index). */
  readonly warmup: number;
  readonly formula: string;
}

const definitions: FeatureDefinition[] = [];
function define(name: string, group: FeatureGroup, parameters: Record<string, number>, warmup: number, formula: string): void {
  definitions.push({ name, group, parameters, warmup, formula });
}

// Returns and momentum: log returns, so that horizons add up and up and down moves are symmetric.
for (const lag of [1, 2, 3, 5, 10, 20, 60, 120, 252]) define(`return_${lag}`, 'returns', { lag }, lag, `ln(c[t] / c[t-${lag}])`);
define('momentum_12_1', 'returns', { from: 252, to: 21 }, 252, 'ln(c[t-21] / c[t-252]): 12-month momentum skipping the last month (Jegadeesh and Titman 1993)');

// Moving averages: ratios and slopes, so that the level of the price cancels out.
for (const period of [5, 10, 20, 50, 100, 200]) define(`sma_ratio_${period}`, 'moving-averages', { period }, period - 1, `c / SMA(c, ${period}) - 1`);
for (const period of [5, 10, 20, 50, 100, 200]) define(`ema_ratio_${period}`, 'moving-averages', { period }, period - 1, `c / EMA(c, ${period}) - 1 (EMA seeded with the SMA of its first ${period} values)`);
for (const period of [10, 20, 50, 200]) define(`sma_slope_${period}`, 'moving-averages', { period, lag: 5 }, period + 4, `SMA(c, ${period})[t] / SMA(c, ${period})[t-5] - 1`);
for (const [fast, slow] of [[5, 20], [20, 50], [50, 200]] as const) define(`sma_cross_${fast}_${slow}`, 'moving-averages', { fast, slow }, slow - 1, `SMA(c, ${fast}) / SMA(c, ${slow}) - 1`);

// Oscillators (Wilder 1978; Appel 1979; Lane 1950s; Williams 1973; Lambert 1980; Chande 1995; Hutson 1983).
for (const period of [6, 14, 28]) define(`rsi_${period}`, 'oscillators', { period }, period, `RSI(c, ${period}) / 100, Wilder smoothing of gains and losses`);
define('macd', 'oscillators', { fast: 12, slow: 26 }, 25, '(EMA(c, 12) - EMA(c, 26)) / c');
define('macd_signal', 'oscillators', { fast: 12, slow: 26, signal: 9 }, 33, 'EMA(EMA(c, 12) - EMA(c, 26), 9) / c');
define('macd_histogram', 'oscillators', { fast: 12, slow: 26, signal: 9 }, 33, '(MACD - signal) / c');
define('stochastic_k_14', 'oscillators', { period: 14 }, 13, '(c - min(l, 14)) / (max(h, 14) - min(l, 14)) (fast %K, in [0, 1])');
define('stochastic_d_14_3', 'oscillators', { period: 14, signal: 3 }, 15, 'SMA(%K, 3)');
define('williams_r_14', 'oscillators', { period: 14 }, 13, '(max(h, 14) - c) / (max(h, 14) - min(l, 14)) (in [0, 1]; 1 = at the low)');
define('cci_20', 'oscillators', { period: 20 }, 19, '(tp - SMA(tp, 20)) / (0.015 * mean absolute deviation(tp, 20)) / 100, tp = (h + l + c) / 3');
define('adx_14', 'oscillators', { period: 14 }, 27, 'ADX(14) / 100: Wilder average of DX = |+DI - -DI| / (+DI + -DI)');
define('plus_di_14', 'oscillators', { period: 14 }, 14, '+DI(14) / 100');
define('minus_di_14', 'oscillators', { period: 14 }, 14, '-DI(14) / 100');
define('di_spread_14', 'oscillators', { period: 14 }, 14, '(+DI(14) - -DI(14)) / 100');
define('aroon_up_25', 'oscillators', { period: 25 }, 25, '(25 - bars since the highest h of the last 26) / 25');
define('aroon_down_25', 'oscillators', { period: 25 }, 25, '(25 - bars since the lowest l of the last 26) / 25');
define('aroon_oscillator_25', 'oscillators', { period: 25 }, 25, 'aroon_up_25 - aroon_down_25');
define('mfi_14', 'oscillators', { period: 14 }, 14, 'money flow index(14) / 100 on typical price x volume');
define('trix_15', 'oscillators', { period: 15 }, 43, 'one-day rate of change of EMA(EMA(EMA(c, 15), 15), 15)');
for (const period of [10, 20]) define(`roc_${period}`, 'oscillators', { period }, period, `c[t] / c[t-${period}] - 1`);

// Bands and channels: where the close sits within them, and how wide they are relative to the price.
define('bollinger_percent_b_20', 'bands', { period: 20, multiplier: 2 }, 19, '(c - lower) / (upper - lower), bands SMA(c, 20) +- 2 population standard deviations');
define('bollinger_width_20', 'bands', { period: 20, multiplier: 2 }, 19, '(upper - lower) / SMA(c, 20)');
define('keltner_position_20', 'bands', { period: 20, atrPeriod: 10, multiplier: 2 }, 19, '(c - lower) / (upper - lower), channel EMA(c, 20) +- 2 ATR(10)');
define('keltner_width_20', 'bands', { period: 20, atrPeriod: 10, multiplier: 2 }, 19, '(upper - lower) / EMA(c, 20)');
for (const period of [20, 55]) {
  define(`donchian_position_${period}`, 'bands', { period }, period - 1, `(c - min(l, ${period})) / (max(h, ${period}) - min(l, ${period}))`);
  define(`donchian_width_${period}`, 'bands', { period }, period - 1, `(max(h, ${period}) - min(l, ${period})) / c`);
}

// Volatility (Parkinson 1980; Garman and Klass 1980), as daily standard deviations of log returns.
define('atr_14', 'volatility', { period: 14 }, 14, 'ATR(14) / c, Wilder average of the true range');
define('true_range', 'volatility', {}, 1, '(max(h, c[t-1]) - min(l, c[t-1])) / c[t-1]');
for (const period of [5, 10, 20, 60]) define(`volatility_${period}`, 'volatility', { period }, period, `sample standard deviation of ln(c[t] / c[t-1]) over ${period} days`);
define('parkinson_volatility_20', 'volatility', { period: 20 }, 19, 'sqrt(mean(ln(h / l)^2, 20) / (4 ln 2))');
define('garman_klass_volatility_20', 'volatility', { period: 20 }, 19, 'sqrt(mean(0.5 ln(h / l)^2 - (2 ln 2 - 1) ln(c / o)^2, 20))');
define('volatility_ratio_5_60', 'volatility', { fast: 5, slow: 60 }, 60, 'volatility_5 / volatility_60');
define('volatility_change_20', 'volatility', { period: 20, lag: 20 }, 40, 'volatility_20[t] / volatility_20[t-20] - 1');

// Volume (Granville 1963 OBV; Chaikin accumulation/distribution).
define('obv_slope_20', 'volume', { period: 20 }, 19, 'least-squares slope of OBV over 20 days / mean(v, 20)');
for (const period of [20, 60]) define(`volume_z_${period}`, 'volume', { period }, period - 1, `z-score of ln(1 + v) against its ${period}-day mean and standard deviation`);
for (const [fast, slow] of [[5, 20], [5, 60]] as const) define(`volume_ratio_${fast}_${slow}`, 'volume', { fast, slow }, slow - 1, `mean(v, ${fast}) / mean(v, ${slow})`);
define('vwap_distance_20', 'volume', { period: 20 }, 19, 'c / VWAP(20) - 1, VWAP = sum(tp x v, 20) / sum(v, 20)');
define('ad_slope_20', 'volume', { period: 20 }, 19, 'least-squares slope of the accumulation/distribution line over 20 days / mean(v, 20)');
define('chaikin_oscillator', 'volume', { fast: 3, slow: 10, period: 20 }, 19, '(EMA(AD, 3) - EMA(AD, 10)) / mean(v, 20)');
define('chaikin_money_flow_20', 'volume', { period: 20 }, 19, 'sum(money flow multiplier x v, 20) / sum(v, 20)');

// Candle shape.
define('gap_open', 'candles', {}, 1, 'o[t] / c[t-1] - 1');
define('body', 'candles', {}, 0, 'c / o - 1');
define('upper_shadow', 'candles', {}, 0, '(h - max(o, c)) / (h - l); 0 when h = l');
define('lower_shadow', 'candles', {}, 0, '(min(o, c) - l) / (h - l); 0 when h = l');
define('close_location', 'candles', {}, 0, '(c - l) / (h - l); 0.5 when h = l');
define('range', 'candles', {}, 0, '(h - l) / c');

// Rolling statistics in the spirit of Qlib's Alpha158 (Microsoft Qlib, qlib/contrib/data/handler.py).
for (const window of [5, 10, 20, 30, 60]) {
  const w = window;
  define(`high_ratio_${w}`, 'rolling-statistics', { window: w }, w - 1, `max(h, ${w}) / c - 1 (MAX)`);
  define(`low_ratio_${w}`, 'rolling-statistics', { window: w }, w - 1, `min(l, ${w}) / c - 1 (MIN)`);
  define(`quantile_high_${w}`, 'rolling-statistics', { window: w, quantile: 0.8 }, w - 1, `80% quantile of c over ${w} days / c - 1 (QTLU)`);
  define(`quantile_low_${w}`, 'rolling-statistics', { window: w, quantile: 0.2 }, w - 1, `20% quantile of c over ${w} days / c - 1 (QTLD)`);
  define(`rank_${w}`, 'rolling-statistics', { window: w }, w - 1, `percentile rank of c among the last ${w} closes (RANK)`);
  define(`stochastic_position_${w}`, 'rolling-statistics', { window: w }, w - 1, `(c - min(l, ${w})) / (max(h, ${w}) - min(l, ${w})) (RSV)`);
  define(`days_since_high_${w}`, 'rolling-statistics', { window: w }, w - 1, `bars since the highest h of the last ${w} / ${w} (IMAX)`);
  define(`days_since_low_${w}`, 'rolling-statistics', { window: w }, w - 1, `bars since the lowest l of the last ${w} / ${w} (IMIN)`);
  define(`high_low_order_${w}`, 'rolling-statistics', { window: w }, w - 1, `days_since_low_${w} - days_since_high_${w} (IMXD)`);
  define(`trend_slope_${w}`, 'rolling-statistics', { window: w }, w - 1, `least-squares slope of c against time over ${w} days / c (BETA)`);
  define(`trend_r_squared_${w}`, 'rolling-statistics', { window: w }, w - 1, `r-squared of that linear trend (RSQR)`);
  define(`trend_residual_${w}`, 'rolling-statistics', { window: w }, w - 1, `residual of c from that trend at t / c (RESI)`);
  define(`price_volume_correlation_${w}`, 'rolling-statistics', { window: w }, w - 1, `correlation of c and ln(1 + v) over ${w} days (CORR); 0 when either is constant`);
  define(`up_day_ratio_${w}`, 'rolling-statistics', { window: w }, w, `fraction of the last ${w} days with c[t] > c[t-1] (CNTP)`);
  define(`gain_loss_balance_${w}`, 'rolling-statistics', { window: w }, w, `(sum of gains - sum of losses) / sum of |changes| over ${w} days (SUMD); 0 when flat`);
}

// Distance to the 52-week (252-day) range.
define('distance_52_week_high', 'range-52-week', { window: 252 }, 251, 'c / max(h, 252) - 1');
define('distance_52_week_low', 'range-52-week', { window: 252 }, 251, 'c / min(l, 252) - 1');
define('days_since_52_week_high', 'range-52-week', { window: 252 }, 251, 'bars since the highest h of the last 252 / 252');

// Market- and sector-relative features, against the context's indices (an equal-weighted index of the universe or
// an ETF; see buildMarketContext). NaN when no context is given.
for (const lag of [1, 5, 20]) define(`market_return_${lag}`, 'market-relative', { lag }, lag, `ln(M[t] / M[t-${lag}]), M = market index level`);
define('market_volatility_20', 'market-relative', { period: 20 }, 20, 'population standard deviation of the market\'s daily log returns over 20 days');
for (const lag of [1, 5, 20]) define(`relative_return_${lag}`, 'market-relative', { lag }, lag, `return_${lag} - market_return_${lag}`);
define('beta_60', 'market-relative', { period: 60 }, 60, 'cov(r, rM, 60) / var(rM, 60) of daily log returns');
define('market_correlation_60', 'market-relative', { period: 60 }, 60, 'corr(r, rM, 60)');
define('idiosyncratic_volatility_60', 'market-relative', { period: 60 }, 60, 'standard deviation of the residuals of r = a + beta rM fitted over 60 days: sqrt(var(r) (1 - corr(r, rM)^2))');
for (const lag of [1, 5, 20]) define(`sector_relative_return_${lag}`, 'market-relative', { lag }, lag, `return_${lag} - ln(S[t] / S[t-${lag}]), S = the symbol's sector index`);
define('sector_beta_60', 'market-relative', { period: 60 }, 60, 'cov(r, rS, 60) / var(rS, 60)');

// Calendar (known in advance, so no look-ahead).
define('day_of_week', 'calendar', {}, 0, '(weekday - 1) / 4: Monday 0 ... Friday 1');
define('month_of_year', 'calendar', {}, 0, '(month - 1) / 11: January 0 ... December 1');
define('days_to_month_end', 'calendar', {}, 0, 'calendar days from t to the last day of its month / 30');
define('quarter_end_month', 'calendar', {}, 0, '1 in March, June, September and December, else 0');

/** The 179 technical features, in matrix order. */
export const TECHNICAL_FEATURES: readonly FeatureDefinition[] = Object.freeze(definitions.map((definition) => Object.freeze(definition)));

/** Feature names in matrix order. */
export const TECHNICAL_FEATURE_NAMES: readonly string[] = Object.freeze(TECHNICAL_FEATURES.map((definition) => definition.name));

/**
 * Version of the technical feature set: a hash of every name, parameter and formula in order, so that any change to
 * the list or to a definition gives a new version (stored features and models carry it).
 */
export const TECHNICAL_FEATURE_SET_VERSION = `technical-${TECHNICAL_FEATURES.length}-${fnv1a(JSON.stringify(TECHNICAL_FEATURES))}`;

/** FNV-1a 32-bit hash as 8 hex digits (Fowler, Noll, Vo). */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
