/**
 * Validation of a price history before it is stored: everything `inspectBars` (@quant/core) checks — unsorted or
 * duplicate dates, non-finite or non-positive prices, negative volume, high below max(open, close), low above
 * min(open, close) — plus what needs the whole history and its corporate actions: an empty response, and absurd
 * one-day moves of the adjusted close that no split explains. The report lists every issue with its date; the
 * caller rejects (a DataQualityError carrying the report) or keeps the bars flagged. Nothing is ever fixed here.
 */
import { DataQualityError, InvalidArgumentError, dayToIso, describeValue, inspectBars, type BarIssueKind } from '@quant/core';
import type { PriceHistory, Split } from '../sources/types.js';

export type PriceIssueKind =
  | BarIssueKind
  /** The source answered with no bars where some were expected. */
  | 'empty'
  /** |log return| of the adjusted close above the limit on a day without a split. */
  | 'absurd-jump'
  /** A jump that matches a split on that day: the prices before the split were not adjusted for it. */
  | 'unadjusted-split';

export interface PriceIssue {
  readonly symbol: string;
  /** ISO date of the bar; null for an issue of the whole history (empty). */
  readonly date: string | null;
  /** Row of the bar in the history; -1 for an issue of the whole history. */
  readonly row: number;
  readonly kind: PriceIssueKind;
  readonly message: string;
}

export interface PriceValidationReport {
  readonly symbol: string;
  readonly bars: number;
  readonly issues: readonly PriceIssue[];
}

export interface PriceValidationOptions {
  /**
   * Largest believable |ln(adjusted close_t / adjusted close_t-1)| in one day (default ln 3: a tripling or a fall
   * to a third). Adjusted closes already absorb splits and dividends, so a bigger move is either real news of an
   * extraordinary kind or a data error (a missed split adjustment, a price in the wrong unit); either way a human
   * should look before it trains a model.
   */
  readonly maxDailyLogReturn?: number;
  /** An empty history is acceptable (an incremental request for days that had no trading). Default false. */
  readonly allowEmpty?: boolean;
}

/** What to do with a history that has issues: refuse it (typed failure) or keep it with the issues attached. */
export type IssuePolicy = 'reject' | 'flag';

export const DEFAULT_MAX_DAILY_LOG_RETURN = Math.log(3);

/**
 * A jump "matches" a split when the log move is within this distance of the split's own log ratio: ln(1.25) leaves
 * room for the day's ordinary move (a 4:1 split leaves the unadjusted price between 0.2 and 0.3125 of the day before).
 */
const SPLIT_MATCH_TOLERANCE = Math.log(1.25);

export function validatePriceHistory(history: PriceHistory, options: PriceValidationOptions = {}): PriceValidationReport {
  const limit = options.maxDailyLogReturn ?? DEFAULT_MAX_DAILY_LOG_RETURN;
  if (!(limit > 0) || !Number.isFinite(limit)) {
    throw new InvalidArgumentError(`maxDailyLogReturn must be a positive number, got ${describeValue(limit)}`);
  }
  const { bars } = history;
  const symbol = bars.symbol;
  const count = bars.dates.length;
  const issues: PriceIssue[] = [];
  if (count === 0) {
    if (!options.allowEmpty) issues.push({ symbol, date: null, row: -1, kind: 'empty', message: `${symbol}: the source returned no bars` });
    return { symbol, bars: 0, issues };
  }
  for (const issue of inspectBars(bars)) issues.push(issue);

  const { dates, adjustedClose } = bars;
  for (let row = 1; row < count; row++) {
    const previous = adjustedClose[row - 1]!;
    const current = adjustedClose[row]!;
    // Non-positive and non-finite prices are already reported by inspectBars; a log return of them means nothing.
    if (!(previous > 0 && current > 0 && Number.isFinite(previous) && Number.isFinite(current))) continue;
    const logReturn = Math.log(current / previous);
    if (Math.abs(logReturn) <= limit) continue;
    const date = dayToIso(dates[row]!);
    const move = `adjusted close ${previous} -> ${current} (log return ${logReturn.toFixed(3)}, limit ${limit.toFixed(3)})`;
    const split = splitBetween(history.splits, dates[row - 1]!, dates[row]!);
    // A k:1 split divides the unadjusted price by k, a log move of -ln(k).
    const splitMove = split === undefined ? 0 : -Math.log(split.numerator / split.denominator);
    if (split !== undefined && Math.abs(logReturn - splitMove) <= SPLIT_MATCH_TOLERANCE) {
      issues.push({
        symbol,
        date,
        row,
        kind: 'unadjusted-split',
        message: `${symbol} ${date}: ${move} matches the ${split.numerator}:${split.denominator} split of that day: the earlier prices are not adjusted for it`,
      });
    } else {
      const note = split === undefined ? 'no split on that day' : `the ${split.numerator}:${split.denominator} split of that day does not explain it`;
      issues.push({ symbol, date, row, kind: 'absurd-jump', message: `${symbol} ${date}: ${move}; ${note}` });
    }
  }
  issues.sort((a, b) => a.row - b.row);
  return { symbol, bars: count, issues };
}

/** The split dated after `previousDay` and on or before `day` (a split between two bars takes effect at the second). */
function splitBetween(splits: readonly Split[], previousDay: number, day: number): Split | undefined {
  return splits.find((split) => split.date > previousDay && split.date <= day);
}

/**
 * Applies the policy: 'reject' throws a DataQualityError naming the first issues (all of them in `details.issues`);
 * 'flag' returns the history with `issues` attached, so it is stored knowingly, never silently.
 */
export function enforcePriceValidation(history: PriceHistory, policy: IssuePolicy, options: PriceValidationOptions = {}): PriceHistory {
  const report = validatePriceHistory(history, options);
  if (report.issues.length === 0) return history;
  if (policy === 'flag') return { ...history, issues: report.issues };
  const shown = report.issues.slice(0, 5).map((issue) => issue.message);
  const more = report.issues.length > shown.length ? ` (and ${report.issues.length - shown.length} more)` : '';
  throw new DataQualityError(`${report.symbol}: ${report.issues.length} issue(s) in the price history: ${shown.join('; ')}${more}`, {
    details: { symbol: report.symbol, issues: report.issues },
  });
}
