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
export { tripleBarrierLabels, forwardReturn, validateLabelOptions, SWING_LABELS, OPTIONS_LABELS } from './labels.js';
export type { LabelOptions } from './labels.js';

// Event features: classification of filings and headlines, point-in-time rules, sentiment, the 23 features.
export { EVENT_TYPES, SEVERITY, HIGH_SEVERITY } from './events/types.js';
export type { EventType, EventSource, EventImpact, MarketEvent } from './events/types.js';
export {
  REGULAR_CLOSE_MINUTE,
  EARLY_CLOSE_MINUTE,
  newYorkOffsetMinutes,
  toNewYorkTime,
  newYorkWallClockToInstant,
  parseInstant,
  closeMinuteOf,
  availableDayOf,
  effectiveDayIndex,
  effectiveTradingDay,
} from './events/market-time.js';
export type { NewYorkTime } from './events/market-time.js';
export { FORM_8K_ITEMS, FORM_EVENTS, LEGACY_8K_ITEMS } from './events/items.js';
export type { ItemClass } from './events/items.js';
export { TEXT_RULES, firstTextClass, allTextClasses } from './events/text-rules.js';
export type { TextClass } from './events/text-rules.js';
export { classifyFiling, classifyNews, classifyEvents, withEffectiveDays, documentText, itemSections } from './events/classify.js';
export type { ClassifyOptions, ItemSection } from './events/classify.js';
export {
  scoreFinancialSentiment,
  scorePlainSentiment,
  normalizeHeadline,
  FINANCE_SENTIMENT_THRESHOLDS,
  PLAIN_SENTIMENT_THRESHOLDS,
  SENTIMENT_SCALE,
} from './events/sentiment.js';
export type { SentimentLabel, SentimentScore, SentimentThresholds } from './events/sentiment.js';
export { FINANCE_WORDS, FINANCE_PHRASES, FINANCE_NEGATORS } from './events/sentiment-lexicon.js';
export {
  EVENT_FEATURES,
  EVENT_FEATURE_NAMES,
  EVENT_FEATURE_SET_VERSION,
  EVENT_COUNT_WINDOWS,
  TIME_SINCE_CAP_DAYS,
  MATERIAL_EVENT_SEVERITY,
  ACCELERATION_PRIOR_RATE,
  LOW_ATTENTION_GAP_DAYS,
  COMPLEXITY_LOOKBACK_DAYS,
  NEGATIVE_NEWS_SENTIMENT,
} from './events/registry.js';
export type { EventFeatureDefinition, EventFeatureGroup } from './events/registry.js';
export { computeEventFeatures, isNegativeNews } from './events/features.js';
export { isRareEvent, selectRareEvents, toEventRecord, fromEventRecord } from './events/archive.js';
export type { EventRecord } from './events/archive.js';
export { combineFeatureMatrices, COMBINED_FEATURE_NAMES, COMBINED_FEATURE_SET_VERSION } from './events/combine.js';
