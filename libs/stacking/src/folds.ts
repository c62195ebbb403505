/**
 * Time-ordered validation splits for overlapping labels, and average-uniqueness sample weights.
 *
 * Rows are identified by their day (days since 1970-01-01, as in @quant/core dates); many symbols share a day. The
 * trading calendar is the sorted list of distinct days present in the data, and every distance ("horizon", "embargo",
 * block sizes) counts trading days of that calendar, not calendar days.
 *
 * A label of the day at calendar index j is decided by the closes of days j .. j + horizon (its "label window"). Two
 * rows leak into each other when their label windows overlap (de Prado, "Advances in Financial Machine Learning",
 * 2018, ch. 7.4): training on a row whose label window reaches into a test block tells the model part of the test
 * outcome. Purging removes such training rows; an embargo removes a further margin of rows beside the test block,
 * against serial correlation of features that purging alone does not catch (AFML 7.4.2).
 */
import { InvalidArgumentError, describeValue } from '@quant/core';

/** One outer walk-forward split. Row lists are ascending row indices into the `days` given. */
export interface WalkForwardFold {
  readonly index: number;
  readonly trainRows: Uint32Array;
  readonly testRows: Uint32Array;
  readonly trainStartDay: number;
  /** Last training day after the purge and embargo. */
  readonly trainEndDay: number;
  readonly testStartDay: number;
  readonly testEndDay: number;
}

export interface WalkForwardOptions {
  /** Number of test blocks; default 3. */
  readonly folds?: number;
  /**
   * Trading days per test block. Default: the largest equal size that leaves the first training window at least
   * as long as one test block (as scikit-learn's TimeSeriesSplit, `days / (folds + 1)`) and at least `minTrainDays`.
   */
  readonly testDays?: number;
  /** Label horizon in trading days (`holdDays` of the labels): training rows whose label window reaches a test block are purged. */
  readonly horizonDays: number;
  /** Extra trading days dropped between the purged training window and its test block; default 0. */
  readonly embargoDays?: number;
  /** Fewest training days of the first fold, after purge and embargo; default 1. */
  readonly minTrainDays?: number;
}

/** One inner split of a training window, for out-of-fold predictions. Row lists hold values of the `rows` given. */
export interface PurgedFold {
  readonly index: number;
  /** Rows to train on: every row outside the test block, minus the purge and embargo around it (may be empty). */
  readonly trainRows: Uint32Array;
  /** The rows of one contiguous block of days. */
  readonly testRows: Uint32Array;
  readonly testStartDay: number;
  readonly testEndDay: number;
}

export interface PurgedFoldOptions {
  /** Number of blocks; default 5. */
  readonly folds?: number;
  readonly horizonDays: number;
  /** Trading days dropped after the purge that follows each test block; default 0. */
  readonly embargoDays?: number;
}

/** The sorted distinct days of `days`: the trading calendar of the data. */
export function tradingCalendar(days: Int32Array): Int32Array {
  requireDays(days);
  const sorted = Int32Array.from(days).sort();
  let count = 0;
  for (let index = 0; index < sorted.length; index++) {
    if (index === 0 || sorted[index] !== sorted[count - 1]) sorted[count++] = sorted[index]!;
  }
  return sorted.slice(0, count);
}

/** For each row, the index of its day in `calendar` (which must contain every day). */
export function calendarIndices(days: Int32Array, calendar: Int32Array): Int32Array {
  const indices = new Int32Array(days.length);
  for (let row = 0; row < days.length; row++) {
    const day = days[row]!;
    let low = 0;
    let high = calendar.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (calendar[middle]! < day) low = middle + 1;
      else high = middle;
    }
    if (calendar[low] !== day) throw new InvalidArgumentError(`day ${describeValue(day)} of row ${row} is not in the calendar`);
    indices[row] = low;
  }
  return indices;
}

/**
 * Expanding-window walk-forward splits. The last `folds x testDays` trading days form `folds` consecutive test
 * blocks; fold i trains on every earlier row whose label window (its day plus `horizonDays` trading days) ends before
 * the test block, minus a further `embargoDays` trading days, and tests on the block.
 *
 * In a walk-forward split all training rows precede the test block, so no training row follows it: the embargo,
 * which de Prado places after a test block for K-fold splits, is spent here as extra distance before the block. With
 * `horizonDays = h` and `embargoDays = e`, the last training day is `h + e + 1` trading days before the first test day.
 */
export function walkForwardFolds(days: Int32Array, options: WalkForwardOptions): WalkForwardFold[] {
  const folds = options.folds ?? 3;
  const embargoDays = options.embargoDays ?? 0;
  const minTrainDays = options.minTrainDays ?? 1;
  requireInteger('folds', folds, 1);
  requireInteger('horizonDays', options.horizonDays, 0);
  requireInteger('embargoDays', embargoDays, 0);
  requireInteger('minTrainDays', minTrainDays, 1);
  const calendar = tradingCalendar(days);
  const calendarLength = calendar.length;
  const gap = options.horizonDays + embargoDays;
  let testDays = options.testDays;
  if (testDays === undefined) {
    testDays = Math.min(Math.floor((calendarLength - gap) / (folds + 1)), Math.floor((calendarLength - gap - minTrainDays) / folds));
    if (testDays < 1) {
      throw new InvalidArgumentError(
        `${calendarLength} trading days are too few for ${folds} walk-forward folds with a gap of ${gap} days and at least ${minTrainDays} training days`,
      );
    }
  }
  requireInteger('testDays', testDays, 1);
  const firstTestStart = calendarLength - folds * testDays;
  const firstTrainDays = firstTestStart - gap;
  if (firstTrainDays < minTrainDays) {
    throw new InvalidArgumentError(
      `${calendarLength} trading days leave ${Math.max(0, firstTrainDays)} training days before the first of ${folds} test blocks of ${testDays} days ` +
        `(horizon ${options.horizonDays} + embargo ${embargoDays}); at least ${minTrainDays} are needed`,
    );
  }
  const positions = calendarIndices(days, calendar);
  const result: WalkForwardFold[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const testStart = firstTestStart + fold * testDays;
    const testEnd = testStart + testDays - 1;
    const trainLast = testStart - gap - 1;
    result.push({
      index: fold,
      trainRows: rowsWhere(positions, (position) => position <= trainLast),
      testRows: rowsWhere(positions, (position) => position >= testStart && position <= testEnd),
      trainStartDay: calendar[0]!,
      trainEndDay: calendar[trainLast]!,
      testStartDay: calendar[testStart]!,
      testEndDay: calendar[testEnd]!,
    });
  }
  return result;
}

/**
 * Purged K-fold over one training window (de Prado, AFML ch. 7.4.3): the trading days of `rows` are cut into `folds`
 * contiguous blocks of (nearly) equal length; block b is predicted by a model trained on all other rows except
 *  - the purge before the block: rows whose label window reaches the block (day index + horizon >= block start),
 *  - the purge after the block: rows whose label window overlaps those of the block's rows (day index <= block end +
 *    horizon), and
 *  - the embargo: the next `embargoDays` trading days after that.
 *
 * Chosen over forward-only folds because every row of the window then gets exactly one out-of-fold prediction, from
 * the same amount of history, so the meta-learner sees the early years too. Training on later rows to predict earlier
 * ones is sound here because everything stays inside the outer training window, which itself precedes its test
 * block with a purge: no outer test row is ever seen. A block whose training set comes out empty (only possible with
 * a horizon as long as the window) leaves its rows without a prediction; callers report them as missing.
 */
export function purgedTimeFolds(days: Int32Array, rows: ArrayLike<number>, options: PurgedFoldOptions): PurgedFold[] {
  const folds = options.folds ?? 5;
  const embargoDays = options.embargoDays ?? 0;
  requireInteger('folds', folds, 2);
  requireInteger('horizonDays', options.horizonDays, 0);
  requireInteger('embargoDays', embargoDays, 0);
  requireDays(days);
  const rowDays = new Int32Array(rows.length);
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!;
    if (!Number.isInteger(row) || row < 0 || row >= days.length) {
      throw new InvalidArgumentError(`row ${describeValue(row)} is outside 0..${days.length - 1}`);
    }
    rowDays[index] = days[row]!;
  }
  if (rows.length === 0) throw new InvalidArgumentError('purgedTimeFolds needs at least one row');
  const calendar = tradingCalendar(rowDays);
  if (calendar.length < folds) {
    throw new InvalidArgumentError(`${calendar.length} trading days cannot be cut into ${folds} folds`);
  }
  const positions = calendarIndices(rowDays, calendar);
  const result: PurgedFold[] = [];
  for (let fold = 0; fold < folds; fold++) {
    const blockStart = Math.floor((fold * calendar.length) / folds);
    const blockEnd = Math.floor(((fold + 1) * calendar.length) / folds) - 1;
    const firstAfter = blockEnd + options.horizonDays + embargoDays + 1;
    const trainRows: number[] = [];
    const testRows: number[] = [];
    for (let index = 0; index < rows.length; index++) {
      const position = positions[index]!;
      if (position >= blockStart && position <= blockEnd) testRows.push(rows[index]!);
      else if (position + options.horizonDays < blockStart || position >= firstAfter) trainRows.push(rows[index]!);
    }
    result.push({
      index: fold,
      trainRows: Uint32Array.from(trainRows),
      testRows: Uint32Array.from(testRows),
      testStartDay: calendar[blockStart]!,
      testEndDay: calendar[blockEnd]!,
    });
  }
  return result;
}

/**
 * Average uniqueness of each row's label (de Prado, AFML ch. 4.4-4.5). Within one symbol, the label of the row at
 * calendar index j depends on the returns of days j+1 .. j+horizon (its span). The concurrency c_t of day t is the
 * number of the symbol's labels whose span contains t; the row's weight is the mean over its span of 1 / c_t. A
 * label that overlaps no other weighs 1; a daily series with horizon h weighs about 1/h in its interior.
 *
 * Labels of different symbols do not overlap in this sense (they depend on different prices), so concurrency is
 * counted per symbol; without `symbols` all rows are one series. Spans run past the last day of the data where needed
 * (a label decided after the data ends still counts its whole span). Weights are in (0, 1]; scale them (for example
 * to mean 1) as the model requires.
 */
export function averageUniquenessWeights(days: Int32Array, symbols: Int32Array | undefined, horizonDays: number): Float64Array {
  requireDays(days);
  requireInteger('horizonDays', horizonDays, 1);
  if (symbols !== undefined) {
    if (!(symbols instanceof Int32Array)) throw new InvalidArgumentError(`symbols must be an Int32Array, got ${describeValue(symbols)}`);
    if (symbols.length !== days.length) {
      throw new InvalidArgumentError(`symbols has ${symbols.length} entries but days has ${days.length}`);
    }
  }
  const weights = new Float64Array(days.length);
  if (days.length === 0) return weights;
  const calendar = tradingCalendar(days);
  const positions = calendarIndices(days, calendar);
  // Rows grouped by symbol (stable), so that one pair of buffers serves every symbol.
  const groups = new Map<number, number[]>();
  for (let row = 0; row < days.length; row++) {
    const symbol = symbols === undefined ? 0 : symbols[row]!;
    let group = groups.get(symbol);
    if (group === undefined) {
      group = [];
      groups.set(symbol, group);
    }
    group.push(row);
  }
  const length = calendar.length + horizonDays + 2;
  const concurrency = new Float64Array(length);
  const inverseSum = new Float64Array(length + 1);
  for (const group of groups.values()) {
    concurrency.fill(0);
    // Difference array: +1 where a span starts (j + 1), -1 just after it ends (j + horizon + 1).
    for (const row of group) {
      const position = positions[row]!;
      concurrency[position + 1]! += 1;
      concurrency[position + horizonDays + 1]! -= 1;
    }
    let running = 0;
    inverseSum[0] = 0;
    for (let index = 0; index < length; index++) {
      running += concurrency[index]!;
      inverseSum[index + 1] = inverseSum[index]! + (running > 0 ? 1 / running : 0);
    }
    for (const row of group) {
      const position = positions[row]!;
      weights[row] = (inverseSum[position + horizonDays + 1]! - inverseSum[position + 1]!) / horizonDays;
    }
  }
  return weights;
}

function rowsWhere(positions: Int32Array, keep: (position: number) => boolean): Uint32Array {
  let count = 0;
  for (let row = 0; row < positions.length; row++) if (keep(positions[row]!)) count++;
  const rows = new Uint32Array(count);
  let next = 0;
  for (let row = 0; row < positions.length; row++) if (keep(positions[row]!)) rows[next++] = row;
  return rows;
}

function requireDays(days: Int32Array): void {
  if (!(days instanceof Int32Array)) throw new InvalidArgumentError(`days must be an Int32Array of day numbers, got ${describeValue(days)}`);
}

function requireInteger(name: string, value: number, minimum: number): void {
  if (!Number.isInteger(value) || value < minimum) {
    throw new InvalidArgumentError(`${name} must be an integer >= ${minimum}, got ${describeValue(value)}`);
  }
}
