/**
 * Columnar daily bars: one typed array per field, all of the same length, ordered by date.
 * Columnar storage keeps indicator loops cache-friendly and lets a whole series cross a worker boundary without copying
 * element by element.
 */
import { dayToIso } from './dates.js';
import { DataQualityError, InvalidArgumentError, describeValue } from './errors.js';

/** Daily bars of one symbol. `close` is split-adjusted; `adjustedClose` is split- and dividend-adjusted. */
export interface Bars {
  readonly symbol: string;
  /** Trading days as days since 1970-01-01 UTC, strictly increasing (see `isoToDay` / `dayToIso`). */
  readonly dates: Int32Array;
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly adjustedClose: Float64Array;
  readonly volume: Float64Array;
}

/** The price and volume fields of `Bars`, in a stable order. */
export const BAR_FIELDS = ['open', 'high', 'low', 'close', 'adjustedClose', 'volume'] as const;
export type BarField = (typeof BAR_FIELDS)[number];

export interface BarsInit {
  symbol: string;
  dates: Int32Array | ArrayLike<number>;
  open: Float64Array | ArrayLike<number>;
  high: Float64Array | ArrayLike<number>;
  low: Float64Array | ArrayLike<number>;
  close: Float64Array | ArrayLike<number>;
  /** Defaults to `close` (data that is already fully adjusted). */
  adjustedClose?: Float64Array | ArrayLike<number>;
  volume: Float64Array | ArrayLike<number>;
}

/**
 * Builds `Bars` from columns, checking only the shape (non-empty symbol, equal lengths, integer dates).
 * Content checks (sorted dates, positive prices, OHLC consistency) are `inspectBars`' job, so that callers decide
 * whether a problem is fatal.
 */
export function createBars(init: BarsInit): Bars {
  if (typeof init.symbol !== 'string' || init.symbol.length === 0) {
    throw new InvalidArgumentError(`bars need a non-empty symbol, got ${describeValue(init.symbol)}`);
  }
  const length = init.dates.length;
  const columns: Record<string, ArrayLike<number>> = {
    open: init.open,
    high: init.high,
    low: init.low,
    close: init.close,
    adjustedClose: init.adjustedClose ?? init.close,
    volume: init.volume,
  };
  for (const [name, column] of Object.entries(columns)) {
    if (column.length !== length) {
      throw new InvalidArgumentError(
        `${init.symbol}: column ${name} has ${column.length} values but dates has ${length}`,
        { details: { symbol: init.symbol, column: name } },
      );
    }
  }
  const dates = init.dates instanceof Int32Array ? init.dates : Int32Array.from(init.dates);
  for (let index = 0; index < length; index++) {
    const day = init.dates[index]!;
    if (!Number.isInteger(day) || dates[index] !== day) {
      throw new InvalidArgumentError(`${init.symbol}: date at row ${index} is not a day number: ${describeValue(day)}`);
    }
  }
  const toFloat = (column: ArrayLike<number>): Float64Array =>
    column instanceof Float64Array ? column : Float64Array.from(column);
  return {
    symbol: init.symbol,
    dates,
    open: toFloat(columns.open!),
    high: toFloat(columns.high!),
    low: toFloat(columns.low!),
    close: toFloat(columns.close!),
    adjustedClose: toFloat(columns.adjustedClose!),
    volume: toFloat(columns.volume!),
  };
}

/** Kinds of problem that `inspectBars` reports. */
export type BarIssueKind =
  | 'unsorted-date'
  | 'duplicate-date'
  | 'non-finite-value'
  | 'non-positive-price'
  | 'negative-volume'
  | 'high-below-open-or-close'
  | 'low-above-open-or-close'
  | 'high-below-low';

/** One problem in one bar, named by symbol and date so that it can be reported and found in the source. */
export interface BarIssue {
  readonly symbol: string;
  /** ISO date of the bar (for a date problem, the offending date). */
  readonly date: string;
  readonly row: number;
  readonly kind: BarIssueKind;
  readonly message: string;
}

/**
 * Checks the rules every daily series must satisfy: strictly increasing dates, finite positive prices, non-negative
 * volume, high >= max(open, close), low <= min(open, close) and high >= low. Returns every violation; never fixes
 * anything.
 */
export function inspectBars(bars: Bars): BarIssue[] {
  const issues: BarIssue[] = [];
  const { symbol, dates, open, high, low, close, adjustedClose, volume } = bars;
  const report = (row: number, kind: BarIssueKind, message: string): void => {
    const date = dayToIso(dates[row]!);
    issues.push({ symbol, date, row, kind, message: `${symbol} ${date}: ${message}` });
  };
  for (let row = 0; row < dates.length; row++) {
    if (row > 0) {
      if (dates[row]! === dates[row - 1]!) report(row, 'duplicate-date', 'date appears twice');
      else if (dates[row]! < dates[row - 1]!) report(row, 'unsorted-date', `date comes after ${dayToIso(dates[row - 1]!)}`);
    }
    const o = open[row]!;
    const h = high[row]!;
    const l = low[row]!;
    const c = close[row]!;
    const a = adjustedClose[row]!;
    const v = volume[row]!;
    if (!Number.isFinite(o) || !Number.isFinite(h) || !Number.isFinite(l) || !Number.isFinite(c) || !Number.isFinite(a) || !Number.isFinite(v)) {
      report(row, 'non-finite-value', `non-finite value (open ${o}, high ${h}, low ${l}, close ${c}, adjusted close ${a}, volume ${v})`);
      continue;
    }
    if (o <= 0 || h <= 0 || l <= 0 || c <= 0 || a <= 0) {
      report(row, 'non-positive-price', `price not positive (open ${o}, high ${h}, low ${l}, close ${c}, adjusted close ${a})`);
      continue;
    }
    if (v < 0) report(row, 'negative-volume', `negative volume ${v}`);
    if (h < l) report(row, 'high-below-low', `high ${h} is below low ${l}`);
    if (h < Math.max(o, c)) report(row, 'high-below-open-or-close', `high ${h} is below max(open ${o}, close ${c})`);
    if (l > Math.min(o, c)) report(row, 'low-above-open-or-close', `low ${l} is above min(open ${o}, close ${c})`);
  }
  return issues;
}

/** Throws a DataQualityError listing every issue (the first ten in the message, all in `details.issues`). */
export function assertValidBars(bars: Bars): void {
  const issues = inspectBars(bars);
  if (issues.length === 0) return;
  const shown = issues.slice(0, 10).map((issue) => issue.message);
  const more = issues.length > shown.length ? ` (and ${issues.length - shown.length} more)` : '';
  throw new DataQualityError(`${bars.symbol}: ${issues.length} bar(s) fail the data checks: ${shown.join('; ')}${more}`, {
    details: { symbol: bars.symbol, issues },
  });
}

/** Number of bars. */
export function barCount(bars: Bars): number {
  return bars.dates.length;
}

/** The bars in rows [start, end): views, not copies. */
export function sliceBars(bars: Bars, start: number, end: number = bars.dates.length): Bars {
  const length = bars.dates.length;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > length || start > end) {
    throw new InvalidArgumentError(`${bars.symbol}: slice [${start}, ${end}) is outside 0..${length}`);
  }
  return {
    symbol: bars.symbol,
    dates: bars.dates.subarray(start, end),
    open: bars.open.subarray(start, end),
    high: bars.high.subarray(start, end),
    low: bars.low.subarray(start, end),
    close: bars.close.subarray(start, end),
    adjustedClose: bars.adjustedClose.subarray(start, end),
    volume: bars.volume.subarray(start, end),
  };
}

/** Row of the last bar on or before `day`, or -1 when every bar is later (binary search; dates must be sorted). */
export function lastIndexOnOrBefore(dates: Int32Array, day: number): number {
  let low = 0;
  let high = dates.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (dates[middle]! <= day) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
