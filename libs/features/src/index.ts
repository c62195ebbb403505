/**
 * @quant/features: technical features over columnar typed arrays, with no look-ahead.
 *
 * Every function returns series aligned with its input (same length, NaN during warm-up); see NOTES.md for the
 * warm-up of each function and the conventions chosen.
 */
export {
  rollingSum,
  rollingMean,
  rollingStd,
  rollingMax,
  rollingMin,
  rollingBarsSinceMax,
  rollingBarsSinceMin,
  rollingQuantile,
  rollingPercentRank,
  rollingOrderStatistics,
  rollingRegression,
  rollingCovariance,
  rollingCorrelation,
  rollingBeta,
  rollingEma,
  rollingWilder,
  difference,
  simpleReturn,
  logReturn,
} from './rolling.js';
export type { RollingStdOptions, RollingRegression, RollingCovarianceOptions } from './rolling.js';

export { sma, ema, wilderAverage } from './indicators/moving-averages.js';
export { rsi, roc, macd, trix } from './indicators/momentum.js';
export type { MacdOptions, MacdResult } from './indicators/momentum.js';
export { stochastic, williamsR, cci } from './indicators/oscillators.js';
export type { StochasticOptions, StochasticResult } from './indicators/oscillators.js';
export { adx, aroon } from './indicators/trend.js';
export type { AdxResult, AroonResult } from './indicators/trend.js';
export {
  trueRange,
  atr,
  bollingerBands,
  keltnerChannels,
  donchianChannels,
  closeToCloseVolatility,
  parkinsonVolatility,
  garmanKlassVolatility,
} from './indicators/volatility.js';
export type {
  BollingerOptions,
  BollingerResult,
  KeltnerOptions,
  KeltnerResult,
  DonchianResult,
  VolatilityOptions,
} from './indicators/volatility.js';
export {
  obv,
  accumulationDistribution,
  chaikinOscillator,
  chaikinMoneyFlow,
  mfi,
  rollingVwap,
} from './indicators/volume.js';
export type { ChaikinOscillatorOptions } from './indicators/volume.js';

export { computeTechnicalFeatures, adjustPrices } from './technical.js';
export { TechnicalFeatureStream } from './stream.js';
export type { StreamBar, TechnicalFeatureStreamOptions } from './stream.js';
export type { AdjustedPrices } from './technical.js';
export { TECHNICAL_FEATURES, TECHNICAL_FEATURE_NAMES, TECHNICAL_FEATURE_SET_VERSION } from './registry.js';
export type { FeatureDefinition, FeatureGroup } from './registry.js';
export { buildMarketContext, buildEqualWeightIndex, indexFromBars, indexLogLevel } from './context.js';
export type { FeatureContext, IndexReturns } from './context.js';
