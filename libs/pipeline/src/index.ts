/**
 * @quant/pipeline: the one library that composes I/O (ingest, db, checkpoint) with computation (features, models,
 * stacking). The trainer and scanner apps are thin shells around it.
 */
export {
  DEFAULT_TRAIN_OPTIONS,
  SWING_LABEL_SETTINGS,
  OPTIONS_LABEL_SETTINGS,
  resolveTrainOptions,
  resultOptions,
  TRAINING_CODE_VERSION,
  optionsFingerprint,
} from './options.js';
export type { TrainOptions, SourceKind, UniverseName, ModelProfile, LabelSettings } from './options.js';
export { MODEL_NAMES, createModel, isTreeModel } from './zoo.js';
export type { ModelName, ModelContext } from './zoo.js';
export { FEATURE_WARMUP_ROWS, sampleRows, assembleTrainingSet, classCounts } from './dataset.js';
export type { SymbolFeatures, SymbolSamples, TrainingSet } from './dataset.js';
export { silentReporter } from './reporter.js';
export type { RunReporter, SymbolEvent, ModelEvent } from './reporter.js';
export { createMemoryCheckpoint } from './run-checkpoint.js';
export type { RunCheckpoint, RunPhase, SymbolFailure } from './run-checkpoint.js';
export { openRunCheckpoint, checkpointStatusText, resetRunCheckpoint } from './checkpoint-adapter.js';
export { train, STACK_NAME, BASELINE_NAMES, VOLATILITY_BASELINE_FEATURE } from './train.js';
export type { TrainEnvironment, TrainResult, ModelReport, FoldSummary } from './train.js';
export { formatTrainSummary } from './report.js';
export { shapImportance } from './explain.js';
export type { ShapImportance, ShapEntry } from './explain.js';
export { resolveUniverse, createPriceSource } from './universe.js';
export { numberArgument, listArgument, invocationRoot, resolveFromInvocation, formatSeconds } from './command-line.js';
export type { RunUniverse } from './universe.js';
// The scanner (issue 9).
export { scan, scannerFeatureSetVersion, STALE_TRADING_DAYS, SCAN_FILE_FORMAT_VERSION } from './scan.js';
export type { ScanEnvironment, ScanResult, FeatureStoreStats, DriftReport } from './scan.js';
export { DEFAULT_SCAN_OPTIONS, resolveScanOptions } from './scan-options.js';
export type { ScanOptions } from './scan-options.js';
export { NoPromotedModelError, FeatureSetMismatchError, loadScanModel } from './scan-model.js';
export type { ScanModel } from './scan-model.js';
export { formatScanReport } from './scan-report.js';
export type { ScanReportOptions } from './scan-report.js';
export {
  signalOf,
  optionsSide,
  rankRows,
  summariseSectors,
  scanCsv,
  unscoredCsv,
  parseCsvLine,
  formatScanTable,
  formatSectorTable,
  formatUnscored,
  formatDriftSummary,
  SCAN_CSV_HEADER,
  UNSCORED_CSV_HEADER,
  UNCLASSIFIED_SECTOR,
  DRIFT_ALERT_SHARE,
} from './scan-output.js';
export type { ScanRow, UnscoredSymbol, UnscoredReason, SectorSummary, DriftSummary, OptionsSide } from './scan-output.js';
export { symbolFeatureRows, DRIFT_WINDOW_ROWS, STORED_FEATURE_ROWS, STREAM_BAR_LIMIT } from './scan-features.js';
export type { SymbolFeatureRows, StoredFeatures, FeatureMethod, SymbolFeatureOptions } from './scan-features.js';
export { topFeatures } from './scan-explain.js';
export type { TopFeature } from './scan-explain.js';
export { featureReferences, compareWithReference, kolmogorovSmirnov, kolmogorovSurvival, PSI_WARNING, PSI_DRIFT } from './drift.js';
export type { FeatureReference, DriftResult, DriftStatus } from './drift.js';
export { MODEL_FILE_FORMAT_VERSION, readPromotedModelFile } from './artifact.js';
export type { PromotedModelFile } from './artifact.js';
