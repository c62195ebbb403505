/**
 * Classification metrics on walk-forward test blocks, and the promotion gate that compares a model with its baselines.
 *
 * Conventions (scikit-learn's where one exists):
 * - The predicted class of a row is its most probable class, the lowest code on ties (as `argmaxRows`).
 * - Precision of a class never predicted, and recall of a class absent from the true labels, are 0 (scikit-learn's
 *   `zero_division=0`). Macro-F1 is the unweighted mean of the three per-class F1 scores (a class never predicted and
 *   never true scores 0), equal to `macroF1` of @quant/models.
 * - Balanced accuracy is the mean recall over the classes present in the true labels (`balanced_accuracy_score`).
 * - Log loss: probabilities are normalised per row and clipped to [1e-15, 1 - 1e-15] (`logLoss` of @quant/models).
 * - Top-decile BUY precision: on each day, the rows are ranked by P(BUY) (ties: the earlier row first) and the first
 *   ceil(rows x 10%) are taken, so that every day contributes at least one row and a day of 82 symbols contributes 9;
 *   the precision is the share of BUY labels among all rows taken, pooled over days (each row counts once, so days
 *   with more symbols weigh more). Without `days` it is NaN.
 */
import { BUY, InvalidArgumentError, LABELS, describeValue, type Label } from '@quant/core';
import { CLASS_COUNT, argmaxRows, logLoss } from '@quant/models';

export interface ClassMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** True rows of the class. */
  readonly support: number;
}

export interface ClassificationMetrics {
  readonly rows: number;
  readonly accuracy: number;
  readonly balancedAccuracy: number;
  readonly macroF1: number;
  readonly logLoss: number;
  readonly perClass: Readonly<Record<Label, ClassMetrics>>;
  /** `confusion[trueClass][predictedClass]` row counts, classes in code order (SELL, HOLD, BUY). */
  readonly confusion: readonly (readonly number[])[];
  /** Share of BUY labels among each day's top rows by P(BUY), pooled; NaN without days. */
  readonly topDecileBuyPrecision: number;
  /** Rows that entered the top-decile precision (0 without days). */
  readonly topDecileRows: number;
}

export interface EvaluationOptions {
  /** Day of each row (days since 1970-01-01), for the per-day top-decile precision. */
  readonly days?: Int32Array;
  /** Share of each day's rows taken for the top-decile precision; default 0.1. */
  readonly topFraction?: number;
}

/** Metrics of `rows x 3` row-major probabilities (as `predictProba` returns) against the true labels. */
export function evaluateClassification(yTrue: Int8Array, probabilities: Float64Array, options: EvaluationOptions = {}): ClassificationMetrics {
  if (!(yTrue instanceof Int8Array)) throw new InvalidArgumentError(`yTrue must be an Int8Array, got ${describeValue(yTrue)}`);
  if (!(probabilities instanceof Float64Array)) {
    throw new InvalidArgumentError(`probabilities must be a Float64Array (rows x 3, row-major), got ${describeValue(probabilities)}`);
  }
  const rowCount = yTrue.length;
  if (rowCount === 0) throw new InvalidArgumentError('cannot evaluate 0 rows');
  if (probabilities.length !== rowCount * CLASS_COUNT) {
    throw new InvalidArgumentError(`${rowCount} labels need ${rowCount * CLASS_COUNT} probabilities (rows x 3), got ${probabilities.length}`);
  }
  for (let row = 0; row < rowCount; row++) {
    const label = yTrue[row]!;
    if (label < 0 || label >= CLASS_COUNT) {
      throw new InvalidArgumentError(`label of row ${row} is ${describeValue(label)}; evaluate labelled rows only (0, 1 or 2)`);
    }
  }
  for (let index = 0; index < probabilities.length; index++) {
    const probability = probabilities[index]!;
    if (!(probability >= 0 && probability <= 1)) {
      throw new InvalidArgumentError(`probability ${index % CLASS_COUNT} of row ${Math.floor(index / CLASS_COUNT)} is ${describeValue(probability)}; expected a number in [0, 1]`);
    }
  }
  const topFraction = options.topFraction ?? 0.1;
  if (!(topFraction > 0 && topFraction <= 1)) throw new InvalidArgumentError(`topFraction must be in (0, 1], got ${describeValue(topFraction)}`);

  const predicted = argmaxRows(probabilities);
  const confusion = Array.from({ length: CLASS_COUNT }, () => new Array<number>(CLASS_COUNT).fill(0));
  for (let row = 0; row < rowCount; row++) confusion[yTrue[row]!]![predicted[row]!]! += 1;

  let correct = 0;
  let recallSum = 0;
  let presentClasses = 0;
  let f1Sum = 0;
  const perClass = {} as Record<Label, ClassMetrics>;
  for (let label = 0; label < CLASS_COUNT; label++) {
    const truePositive = confusion[label]![label]!;
    let support = 0;
    let predictedCount = 0;
    for (let other = 0; other < CLASS_COUNT; other++) {
      support += confusion[label]![other]!;
      predictedCount += confusion[other]![label]!;
    }
    correct += truePositive;
    const precision = predictedCount === 0 ? 0 : truePositive / predictedCount;
    const recall = support === 0 ? 0 : truePositive / support;
    const f1Denominator = support + predictedCount;
    const f1 = f1Denominator === 0 ? 0 : (2 * truePositive) / f1Denominator;
    if (support > 0) {
      recallSum += recall;
      presentClasses++;
    }
    f1Sum += f1;
    perClass[LABELS[label]!] = { precision, recall, f1, support };
  }

  const top = options.days === undefined ? { precision: NaN, rows: 0 } : topBuyPrecision(yTrue, probabilities, options.days, topFraction);
  return {
    rows: rowCount,
    accuracy: correct / rowCount,
    balancedAccuracy: recallSum / presentClasses,
    macroF1: f1Sum / CLASS_COUNT,
    logLoss: logLoss(yTrue, probabilities),
    perClass,
    confusion,
    topDecileBuyPrecision: top.precision,
    topDecileRows: top.rows,
  };
}

function topBuyPrecision(yTrue: Int8Array, probabilities: Float64Array, days: Int32Array, topFraction: number): { precision: number; rows: number } {
  if (!(days instanceof Int32Array)) throw new InvalidArgumentError(`days must be an Int32Array, got ${describeValue(days)}`);
  if (days.length !== yTrue.length) throw new InvalidArgumentError(`days has ${days.length} entries but there are ${yTrue.length} labels`);
  const order = Array.from({ length: yTrue.length }, (_, row) => row);
  order.sort((a, b) => days[a]! - days[b]! || probabilities[b * CLASS_COUNT + BUY]! - probabilities[a * CLASS_COUNT + BUY]! || a - b);
  let taken = 0;
  let buys = 0;
  for (let start = 0; start < order.length; ) {
    const day = days[order[start]!]!;
    let end = start;
    while (end < order.length && days[order[end]!] === day) end++;
    // The 1e-9 keeps a product such as 30 x 0.1 = 3.0000000000000004 from rounding up to 4.
    const count = Math.max(1, Math.ceil((end - start) * topFraction - 1e-9));
    for (let index = start; index < start + count; index++) {
      taken++;
      if (yTrue[order[index]!] === BUY) buys++;
    }
    start = end;
  }
  return { precision: buys / taken, rows: taken };
}

/** The two numbers the gate compares; a full `ClassificationMetrics` fits. */
export type GateMetrics = Pick<ClassificationMetrics, 'macroF1' | 'logLoss'> & Partial<Pick<ClassificationMetrics, 'accuracy'>>;

export interface PromotionGateOptions {
  /**
   * Walk-forward scores above these are a probable leak, not a success (issue 8: macro-F1 above 0.50 or accuracy
   * above 0.62 on the 14-day setting): the gate refuses them. `null` turns the check off.
   */
  readonly leakThresholds?: { readonly macroF1: number; readonly accuracy: number } | null;
}

export interface PromotionVerdict {
  readonly promoted: boolean;
  /** One line per comparison (and per leak check), in a fixed order: passes and failures alike. */
  readonly reasons: string[];
}

export const DEFAULT_LEAK_THRESHOLDS = Object.freeze({ macroF1: 0.5, accuracy: 0.62 });

/**
 * Promotes a candidate only if, on walk-forward tests, it beats every baseline on macro-F1 (strictly higher) and on
 * log loss (strictly lower), and does not look like a leak. NaN never beats anything.
 */
export function promotionGate(candidate: GateMetrics, baselines: Readonly<Record<string, GateMetrics>>, options: PromotionGateOptions = {}): PromotionVerdict {
  const names = Object.keys(baselines);
  if (names.length === 0) throw new InvalidArgumentError('the promotion gate needs at least one baseline to compare with');
  const reasons: string[] = [];
  let promoted = true;
  const format = (value: number): string => (Number.isNaN(value) ? 'NaN' : value.toFixed(4));
  for (const name of names) {
    const baseline = baselines[name]!;
    const f1Beats = candidate.macroF1 > baseline.macroF1;
    const lossBeats = candidate.logLoss < baseline.logLoss;
    reasons.push(`macro-F1 ${format(candidate.macroF1)} ${f1Beats ? 'beats' : 'does not beat'} ${name} (${format(baseline.macroF1)})`);
    reasons.push(`log loss ${format(candidate.logLoss)} ${lossBeats ? 'beats' : 'does not beat'} ${name} (${format(baseline.logLoss)})`);
    if (!f1Beats || !lossBeats) promoted = false;
  }
  const leak = options.leakThresholds === undefined ? DEFAULT_LEAK_THRESHOLDS : options.leakThresholds;
  if (leak !== null) {
    if (candidate.macroF1 > leak.macroF1) {
      promoted = false;
      reasons.push(`macro-F1 ${format(candidate.macroF1)} is above ${leak.macroF1}: a probable leak to find, not a success`);
    }
    if (candidate.accuracy !== undefined && candidate.accuracy > leak.accuracy) {
      promoted = false;
      reasons.push(`accuracy ${format(candidate.accuracy)} is above ${leak.accuracy}: a probable leak to find, not a success`);
    }
  }
  return { promoted, reasons };
}
