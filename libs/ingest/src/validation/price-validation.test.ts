import { describe, expect, it } from 'vitest';
import { DataQualityError, InvalidArgumentError, createBars, dayToIso, isoToDay, type Bars } from '@quant/core';
import { createEmbeddedSource } from '../sources/embedded.js';
import type { PriceHistory } from '../sources/types.js';
import { enforcePriceValidation, validatePriceHistory } from './price-validation.js';

/** Real bars (the embedded AAPL series, already split- and dividend-adjusted), as a mutable copy. */
async function realBars(from = '2021-03-01', to = '2021-03-31'): Promise<Bars> {
  const { bars } = await createEmbeddedSource().fetchPrices('AAPL', { from: isoToDay(from), to: isoToDay(to) });
  return createBars({
    symbol: bars.symbol,
    dates: Array.from(bars.dates),
    open: Array.from(bars.open),
    high: Array.from(bars.high),
    low: Array.from(bars.low),
    close: Array.from(bars.close),
    adjustedClose: Array.from(bars.adjustedClose),
    volume: Array.from(bars.volume),
  });
}

const history = (bars: Bars, splits: PriceHistory['splits'] = []): PriceHistory => ({ bars, splits, dividends: [] });

/** Scales every price of rows [start, end) by `factor`, as a data error or a missing adjustment would. */
function scale(bars: Bars, start: number, end: number, factor: number): void {
  for (const field of ['open', 'high', 'low', 'close', 'adjustedClose'] as const) for (let row = start; row < end; row++) bars[field][row]! *= factor;
}

describe('price history validation', () => {
  it('passes real adjusted data, including the 2020 4:1 split of AAPL', async () => {
    const { bars } = await createEmbeddedSource().fetchPrices('AAPL');
    expect(bars.dates.length).toBeGreaterThan(1200);
    expect(validatePriceHistory(history(bars), {}).issues).toEqual([]);
  });

  it('reports order, price and OHLC problems with their dates (the checks of inspectBars)', async () => {
    const bars = await realBars();
    bars.dates[3] = bars.dates[2]!; // duplicate
    bars.high[6] = Math.max(bars.open[6]!, bars.close[6]!) - 0.5; // high below the body
    bars.low[8] = Math.min(bars.open[8]!, bars.close[8]!) + 0.5; // low above the body
    bars.close[10] = 0;
    const report = validatePriceHistory(history(bars));
    expect(report.issues.map((issue) => [issue.date, issue.kind])).toEqual([
      [dayToIso(bars.dates[2]!), 'duplicate-date'],
      [dayToIso(bars.dates[6]!), 'high-below-open-or-close'],
      [dayToIso(bars.dates[8]!), 'low-above-open-or-close'],
      [dayToIso(bars.dates[10]!), 'non-positive-price'],
    ]);
    expect(report.issues[1]!.message).toMatch(/^AAPL 2021-03-09: high .* is below max\(open/);
  });

  it('flags a day whose adjusted close moves more than ln 3 when no split explains it', async () => {
    const bars = await realBars();
    scale(bars, 12, 13, 10); // one bar in the wrong unit: a jump up, then a jump down
    const report = validatePriceHistory(history(bars));
    expect(report.issues.map((issue) => [issue.date, issue.kind])).toEqual([
      [dayToIso(bars.dates[12]!), 'absurd-jump'],
      [dayToIso(bars.dates[13]!), 'absurd-jump'],
    ]);
    expect(report.issues[0]!.message).toMatch(/log return 2\.\d{3}, limit 1\.099\); no split on that day/);
    // A looser limit accepts it; a limit must be a positive number.
    expect(validatePriceHistory(history(bars), { maxDailyLogReturn: Math.log(20) }).issues).toEqual([]);
    expect(() => validatePriceHistory(history(bars), { maxDailyLogReturn: 0 })).toThrowError(InvalidArgumentError);
  });

  it('tells a split the prices were not adjusted for from an unexplained jump', async () => {
    const bars = await realBars();
    // Prices before row 9 left at their pre-split level of a 4:1 split on row 9.
    scale(bars, 0, 9, 4);
    const day = bars.dates[9]!;
    const withSplit = validatePriceHistory(history(bars, [{ date: day, numerator: 4, denominator: 1 }]));
    expect(withSplit.issues.map((issue) => [issue.date, issue.kind])).toEqual([[dayToIso(day), 'unadjusted-split']]);
    expect(withSplit.issues[0]!.message).toMatch(/matches the 4:1 split of that day: the earlier prices are not adjusted for it/);
    const wrongSplit = validatePriceHistory(history(bars, [{ date: day, numerator: 3, denominator: 2 }]));
    expect(wrongSplit.issues.map((issue) => issue.kind)).toEqual(['absurd-jump']);
    expect(wrongSplit.issues[0]!.message).toMatch(/the 3:2 split of that day does not explain it/);
    expect(validatePriceHistory(history(bars)).issues.map((issue) => issue.kind)).toEqual(['absurd-jump']);
  });

  it('reports an empty response unless empty is acceptable', async () => {
    const bars = await realBars();
    const empty = history(createBars({ symbol: 'AAPL', dates: [], open: [], high: [], low: [], close: [], volume: [] }));
    expect(validatePriceHistory(empty).issues).toEqual([{ symbol: 'AAPL', date: null, row: -1, kind: 'empty', message: 'AAPL: the source returned no bars' }]);
    expect(validatePriceHistory(empty, { allowEmpty: true }).issues).toEqual([]);
    expect(validatePriceHistory(history(bars)).bars).toBe(bars.dates.length);
  });

  it("rejects with a DataQualityError carrying the report, or keeps the history flagged: never silently", async () => {
    const bars = await realBars();
    scale(bars, 5, 6, 0.1);
    const failure = (() => {
      try {
        enforcePriceValidation(history(bars), 'reject');
        return undefined;
      } catch (error) {
        return error as DataQualityError;
      }
    })();
    expect(failure).toBeInstanceOf(DataQualityError);
    expect(failure!.message).toMatch(/^AAPL: 2 issue\(s\) in the price history: AAPL 2021-03-08: adjusted close/);
    expect((failure!.details['issues'] as unknown[]).length).toBe(2);
    const flagged = enforcePriceValidation(history(bars), 'flag');
    expect(flagged.bars).toBe(bars);
    expect(flagged.issues?.map((issue) => issue.kind)).toEqual(['absurd-jump', 'absurd-jump']);
    const clean = history(await realBars());
    expect(enforcePriceValidation(clean, 'reject')).toBe(clean);
  });
});
