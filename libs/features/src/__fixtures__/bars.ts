/**
 * Test fixtures: real daily bars from @quant/sample-data and comparison helpers. Test-only (excluded from the build).
 */
import type { Bars } from '@quant/core';
import { listSymbols, loadBars } from '@quant/sample-data';
import { expect } from 'vitest';

const ignoreIssues = (): void => {};

/** AAPL and MSFT (sp500, 2016-2021) and the first `core` symbol from the allcap dataset (2012-2017). */
export function referenceBars(): Bars[] {
  const allcapSymbol = listSymbols('core')[0]!;
  return [
    loadBars('AAPL', { onIssue: ignoreIssues }),
    loadBars('MSFT', { onIssue: ignoreIssues }),
    loadBars(allcapSymbol, { dataset: 'allcap', onIssue: ignoreIssues }),
  ];
}

/**
 * Compares our full-length output with a reference that omits the warm-up: the reference is aligned to the END of
 * ours. Checks our warm-up is NaN and every compared value is within `relative` (plus `absolute`) tolerance.
 */
export function expectAligned(
  actual: Float64Array,
  expected: ArrayLike<number | null | undefined>,
  options: { warmUp: number; relative?: number; absolute?: number; skip?: number },
): void {
  const relative = options.relative ?? 1e-9;
  const absolute = options.absolute ?? 1e-12;
  const offset = actual.length - expected.length;
  expect(offset, 'reference length').toBeGreaterThanOrEqual(0);
  for (let index = 0; index < options.warmUp; index++) expect(actual[index], `warm-up at ${index}`).toBeNaN();
  const start = Math.max(options.warmUp, offset + (options.skip ?? 0));
  let compared = 0;
  for (let index = start; index < actual.length; index++) {
    const reference = expected[index - offset];
    if (reference === null || reference === undefined) continue;
    const value = actual[index]!;
    const tolerance = absolute + relative * Math.abs(reference);
    if (!(Math.abs(value - reference) <= tolerance)) {
      expect.fail(`index ${index}: got ${value}, reference ${reference} (tolerance ${tolerance})`);
    }
    compared++;
  }
  expect(compared).toBeGreaterThan(actual.length / 2);
}

/** Rounds like `technicalindicators` does for outputs it passes through `toFixed(2)`. */
export function round2(values: Float64Array): Float64Array {
  return values.map((value) => Number.isNaN(value) ? value : Number.parseFloat(value.toFixed(2)));
}

/** Row `row` of `bars` as a single bar, the shape `TechnicalFeatureStream.push` takes. */
export function barAt(bars: Bars, row: number) {
  return {
    date: bars.dates[row]!,
    open: bars.open[row]!,
    high: bars.high[row]!,
    low: bars.low[row]!,
    close: bars.close[row]!,
    adjustedClose: bars.adjustedClose[row]!,
    volume: bars.volume[row]!,
  };
}
