/**
 * @quant/stacking: honest validation and stacking for Quant. Time-ordered, purged walk-forward splits; purged
 * out-of-fold predictions inside a training window; a stacking classifier whose meta-learner can never see test rows;
 * the majority baseline; evaluation metrics and the promotion gate; a backtest with the labels' exits.
 */
export {
  walkForwardFolds,
  purgedTimeFolds,
  averageUniquenessWeights,
  tradingCalendar,
  calendarIndices,
} from './folds.js';
export type { WalkForwardFold, WalkForwardOptions, PurgedFold, PurgedFoldOptions } from './folds.js';
export { StackingClassifier, stackingFromJSON, restoreModel, prefixedCache, metaColumnNames } from './stacking.js';
export type {
  BaseModelSpec,
  StackingOptions,
  StackingFitOptions,
  StackingProgress,
  ModelCache,
  OutOfFoldSummary,
} from './stacking.js';
export { defaultMetaLearner, ValidatedLogisticMeta, META_C_CANDIDATES } from './meta.js';
export type { ValidatedMetaOptions, MetaValidation } from './meta.js';
export { MajorityClassifier } from './majority.js';
export { evaluateClassification, promotionGate, DEFAULT_LEAK_THRESHOLDS } from './evaluation.js';
export type {
  ClassificationMetrics,
  ClassMetrics,
  EvaluationOptions,
  GateMetrics,
  PromotionGateOptions,
  PromotionVerdict,
} from './evaluation.js';
export { backtest, summarisePerformance } from './backtest.js';
export type {
  BacktestOptions,
  BacktestResult,
  BacktestSeries,
  BacktestSignal,
  ExitRules,
  ExitReason,
  PerformanceSummary,
  Trade,
} from './backtest.js';
