/**
 * @quant/core: the shared vocabulary of Quant. No runtime dependencies, no I/O.
 */
export {
  QuantError,
  InvalidArgumentError,
  DataQualityError,
  NotFoundError,
  FormatError,
  TimeoutError,
  NetworkError,
  RateLimitedError,
  StateError,
  IncompatibleVersionError,
  CancelledError,
  isQuantError,
  describeValue,
} from './errors.js';
export type { QuantErrorCode, QuantErrorOptions } from './errors.js';

export { isoToDay, dayToIso, dayOfWeek } from './dates.js';

export { BAR_FIELDS, createBars, inspectBars, assertValidBars, barCount, sliceBars, lastIndexOnOrBefore } from './bars.js';
export type { Bars, BarsInit, BarField, BarIssue, BarIssueKind } from './bars.js';

export { GICS_SECTORS, CAP_TIERS, normalizeSector, normalizeCik } from './symbols.js';
export type { GicsSector, CapTier, AssetKind, SymbolInfo } from './symbols.js';

export { LABELS, SELL, HOLD, BUY, LABEL_COUNT, NO_LABEL, labelCode, labelName } from './labels.js';
export type { Label, LabelCode, LabelVector } from './labels.js';

export {
  createFeatureMatrix,
  columnIndex,
  getColumn,
  getValue,
  rowKey,
  selectRows,
  selectColumns,
  concatRows,
} from './matrix.js';
export type { FeatureMatrix, FeatureMatrixInit, MatrixValues } from './matrix.js';

export { createRandom, randomFromState } from './random.js';
export type { Random, RandomState } from './random.js';

export { silentLogger, silentProgress, createMemoryLogger } from './logging.js';
export type { Logger, LogLevel, LogFields, LogEntry, ProgressReporter } from './logging.js';

export type { Filing, NewsItem } from './events.js';

export { parseCsv, parseCsvLine, formatCsvField, formatCsvLine } from './csv.js';
