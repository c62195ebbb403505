/**
 * Market and sector references for the market-relative features.
 *
 * An index is kept as the per-day sum and count of its members' daily simple returns. A symbol that belongs to an
 * index is compared with the index *without itself* (leave-one-out: (sum - own return) / (count - 1)), so that a
 * stock never explains part of its own benchmark; this matters for small sectors, where one stock can be a seventh
 * of the index. An ETF can serve as the index instead (it has no members to leave out).
 */
import { InvalidArgumentError, type Bars } from '@quant/core';

export interface IndexReturns {
  /** Trading days, strictly increasing. */
  readonly dates: Int32Array;
  /** Sum of the members' daily simple returns from the previous trading day to this one. */
  readonly sum: Float64Array;
  /** Number of members with a return on that day. */
  readonly count: Int32Array;
  /** Symbols whose returns are in the sums (empty for an ETF). */
  readonly members: ReadonlySet<string>;
}

export interface FeatureContext {
  /** The market index. Without it, the market-relative features are NaN. */
  readonly market?: IndexReturns;
  /** Indices by GICS sector. */
  readonly sectors?: ReadonlyMap<string, IndexReturns>;
  /** The symbol's sector; without it (or its index), the sector-relative features are NaN. */
  readonly sector?: string | null;
}

/** Builds an equal-weighted, daily-rebalanced index of the given series (on adjusted closes). */
export function buildEqualWeightIndex(series: readonly Bars[]): IndexReturns {
  const allDates = new Set<number>();
  for (const bars of series) for (const day of bars.dates) allDates.add(day);
  const dates = Int32Array.from([...allDates].sort((a, b) => a - b));
  const position = new Map<number, number>();
  dates.forEach((day, index) => position.set(day, index));
  const sum = new Float64Array(dates.length);
  const count = new Int32Array(dates.length);
  for (const bars of series) {
    const close = bars.adjustedClose;
    for (let row = 1; row < close.length; row++) {
      const change = close[row]! / close[row - 1]! - 1;
      if (!Number.isFinite(change)) continue;
      const index = position.get(bars.dates[row]!)!;
      sum[index] = sum[index]! + change;
      count[index] = count[index]! + 1;
    }
  }
  return { dates, sum, count, members: new Set(series.map((bars) => bars.symbol)) };
}

/** An index from one series, such as an ETF (SPY for the market, XLK for Information Technology...). */
export function indexFromBars(bars: Bars): IndexReturns {
  const length = bars.dates.length;
  const sum = new Float64Array(length);
  const count = new Int32Array(length);
  for (let row = 1; row < length; row++) {
    const change = bars.adjustedClose[row]! / bars.adjustedClose[row - 1]! - 1;
    if (Number.isFinite(change)) {
      sum[row] = change;
      count[row] = 1;
    }
  }
  return { dates: Int32Array.from(bars.dates), sum, count, members: new Set() };
}

/**
 * Market index and sector indices of a universe: `sectorOf` names each symbol's sector (null leaves it out of the
 * sector indices, not out of the market).
 */
export function buildMarketContext(
  series: readonly Bars[],
  sectorOf: (symbol: string) => string | null,
): { market: IndexReturns; sectors: Map<string, IndexReturns> } {
  const bySector = new Map<string, Bars[]>();
  for (const bars of series) {
    const sector = sectorOf(bars.symbol);
    if (sector === null) continue;
    const members = bySector.get(sector) ?? [];
    members.push(bars);
    bySector.set(sector, members);
  }
  return {
    market: buildEqualWeightIndex(series),
    sectors: new Map([...bySector.entries()].map(([sector, members]) => [sector, buildEqualWeightIndex(members)])),
  };
}

/**
 * The index's cumulative log level on the symbol's own dates (leaving the symbol out when it is a member), so that
 * a return over k of the symbol's bars is level[t] - level[t-k] over exactly the same calendar span. NaN where the
 * index has no value for the symbol's date.
 */
export function indexLogLevel(index: IndexReturns, bars: Bars): Float64Array {
  const dates = bars.dates;
  const out = new Float64Array(dates.length).fill(Number.NaN);
  const ownClose = bars.adjustedClose;
  const member = index.members.has(bars.symbol);
  let level = 0;
  let cursor = 0;
  let own = 0; // row in the symbol's series
  if (index.dates.length === 0) throw new InvalidArgumentError('an index needs at least one date');
  for (; cursor < index.dates.length && own < dates.length; cursor++) {
    const day = index.dates[cursor]!;
    while (own < dates.length && dates[own]! < day) own++; // symbol dates the index does not have stay NaN
    let sum = index.sum[cursor]!;
    let count = index.count[cursor]!;
    if (member && own < dates.length && dates[own] === day && own > 0) {
      const change = ownClose[own]! / ownClose[own - 1]! - 1;
      if (Number.isFinite(change)) {
        sum -= change;
        count -= 1;
      }
    }
    if (count > 0) level += Math.log1p(sum / count);
    if (own < dates.length && dates[own] === day) out[own] = level;
  }
  return out;
}
