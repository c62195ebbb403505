/**
 * Triple-barrier labels and forward returns: hand-made series, the missing-data rule, a property test that the label
 * of day t depends only on closes t .. t+holdDays, and the class balance on real bars.
 */
import { BUY, HOLD, InvalidArgumentError, NO_LABEL, SELL } from '@quant/core';
import { loadBars } from '@quant/sample-data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPTIONS_LABELS, SWING_LABELS, forwardReturn, tripleBarrierLabels, type LabelOptions } from './labels.js';

const SMALL: LabelOptions = { holdDays: 3, target: 0.1, stop: 0.05 };
const labelsOf = (closes: number[], options: LabelOptions = SMALL): number[] => Array.from(tripleBarrierLabels(Float64Array.from(closes), options));

describe('tripleBarrierLabels', () => {
  it('gives BUY when the target comes first, SELL when the stop comes first, HOLD otherwise', () => {
    // day 0: +5%, +11% -> BUY on day 2; day 1: 111/105 = +5.7%, then -4.8%, -9.5% -> SELL on day 4 (within 3 days)
    // day 2: 100/111 = -9.9% -> SELL at once; day 3: 95/100 = -5% exactly -> SELL; the last 3 rows have no label.
    expect(labelsOf([100, 105, 111, 100, 95, 96, 97])).toEqual([BUY, SELL, SELL, SELL, NO_LABEL, NO_LABEL, NO_LABEL]);
  });

  it('treats a return exactly on a barrier as touching it', () => {
    expect(labelsOf([100, 110, 100, 100, 100])[0]).toBe(BUY);
    expect(labelsOf([100, 95, 100, 100, 100])[0]).toBe(SELL);
    // 109.99 and 95.01 stay inside both barriers for the whole window.
    expect(labelsOf([100, 109.99, 95.01, 100, 100])[0]).toBe(HOLD);
  });

  it('decides by the first barrier touched, not the larger move', () => {
    // -5% on day 1, then +30%: the stop was hit first.
    expect(labelsOf([100, 94, 130, 130, 130])[0]).toBe(SELL);
    // +10% on day 2, then -50%: the target was hit first.
    expect(labelsOf([100, 101, 110, 50, 50])[0]).toBe(BUY);
  });

  it('ignores moves after the window', () => {
    // The window of day 0 is days 1..3; the +20% on day 4 is outside it.
    expect(labelsOf([100, 101, 102, 103, 120, 120, 120, 120])[0]).toBe(HOLD);
  });

  it('leaves the last holdDays rows unlabelled, even when a barrier is already touched', () => {
    const labels = labelsOf([100, 100, 100, 100, 100, 130, 130], SMALL);
    expect(labels.slice(-3)).toEqual([NO_LABEL, NO_LABEL, NO_LABEL]);
    expect(labels[3]).toBe(BUY);
    expect(labelsOf([100, 120], SMALL)).toEqual([NO_LABEL, NO_LABEL]);
    expect(labelsOf([], SMALL)).toEqual([]);
  });

  it('gives NO_LABEL when the close of the day or a close needed before the decision is missing', () => {
    // day 0 needs day 1, which is NaN; day 1 itself is missing; day 2 is decided on day 3 (+12%); day 3 needs day 4,
    // whose close 0 is not a price; day 4 is that close; day 5 sees three flat closes.
    expect(labelsOf([100, NaN, 100, 112, 0, 100, 100, 100, 100])).toEqual([NO_LABEL, NO_LABEL, BUY, NO_LABEL, NO_LABEL, HOLD, NO_LABEL, NO_LABEL, NO_LABEL]);
    // A gap after the deciding day does not matter: +11% on day 1 decides day 0.
    expect(labelsOf([100, 111, NaN, 100, 100, 100])[0]).toBe(BUY);
    // A gap before any decision does: day 0 cannot know whether day 2 fell below the stop.
    expect(labelsOf([100, 101, Infinity, 101, 100, 100])[0]).toBe(NO_LABEL);
  });

  it('uses the swing setting by default and the options setting on request', () => {
    // +6% by day 5 and nothing else: HOLD in the swing setting, BUY in the options setting.
    const closes = Float64Array.from({ length: 40 }, (_, day) => (day >= 5 ? 106 : 100));
    expect(tripleBarrierLabels(closes)[0]).toBe(HOLD);
    expect(tripleBarrierLabels(closes, SWING_LABELS)[0]).toBe(HOLD);
    expect(tripleBarrierLabels(closes, OPTIONS_LABELS)[0]).toBe(BUY);
    expect(tripleBarrierLabels(closes, OPTIONS_LABELS)[5]).toBe(HOLD);
    expect(tripleBarrierLabels(closes).subarray(-14).every((label) => label === NO_LABEL)).toBe(true);
    expect(tripleBarrierLabels(closes).subarray(0, -14).every((label) => label !== NO_LABEL)).toBe(true);
  });

  it('refuses bad options naming the value', () => {
    const closes = new Float64Array(10).fill(1);
    expect(() => tripleBarrierLabels(closes, { holdDays: 0, target: 0.1, stop: 0.05 })).toThrow(/holdDays.*0/);
    expect(() => tripleBarrierLabels(closes, { holdDays: 2.5, target: 0.1, stop: 0.05 })).toThrow(InvalidArgumentError);
    expect(() => tripleBarrierLabels(closes, { holdDays: 5, target: -0.1, stop: 0.05 })).toThrow(/target.*-0\.1/);
    expect(() => tripleBarrierLabels(closes, { holdDays: 5, target: 0.1, stop: 1 })).toThrow(/stop/);
    expect(() => tripleBarrierLabels(closes, { holdDays: 5, target: NaN, stop: 0.05 })).toThrow(/target/);
    expect(() => tripleBarrierLabels([1, 2, 3] as unknown as Float64Array)).toThrow(/Float64Array/);
  });

  /** The rule written the other way round: first index of each barrier touch, then compare. */
  function referenceLabel(closes: Float64Array, day: number, options: LabelOptions): number {
    if (day + options.holdDays >= closes.length) return NO_LABEL;
    const base = closes[day]!;
    if (!(base > 0 && Number.isFinite(base))) return NO_LABEL;
    const window = Array.from(closes.subarray(day + 1, day + options.holdDays + 1));
    const isPrice = (close: number): boolean => close > 0 && Number.isFinite(close);
    const missing = window.findIndex((close) => !isPrice(close));
    const up = window.findIndex((close) => isPrice(close) && close / base - 1 >= options.target);
    const down = window.findIndex((close) => isPrice(close) && close / base - 1 <= -options.stop);
    const first = (index: number): number => (index < 0 ? Infinity : index);
    const decided = Math.min(first(up), first(down));
    if (missing >= 0 && missing < decided) return NO_LABEL;
    if (decided === Infinity) return HOLD;
    return first(down) <= first(up) ? SELL : BUY;
  }

  const closeArbitrary = fc.oneof(
    { weight: 12, arbitrary: fc.double({ min: 80, max: 125, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(NaN, 0, 90, 110, 95, 105) },
  );
  const seriesArbitrary = fc.array(closeArbitrary, { minLength: 0, maxLength: 40 }).map((values) => Float64Array.from(values));
  const optionsArbitrary = fc.record({
    holdDays: fc.integer({ min: 1, max: 8 }),
    target: fc.constantFrom(0.05, 0.1, 0.2),
    stop: fc.constantFrom(0.03, 0.05, 0.1),
  });

  it('matches the rule written as first-touch indices (property)', () => {
    fc.assert(
      fc.property(seriesArbitrary, optionsArbitrary, (closes, options) => {
        const labels = tripleBarrierLabels(closes, options);
        for (let day = 0; day < closes.length; day++) expect(labels[day], `day ${day}`).toBe(referenceLabel(closes, day, options));
      }),
      { numRuns: 200 },
    );
  });

  it('labels day t from closes t .. t+holdDays only (property)', () => {
    fc.assert(
      fc.property(
        seriesArbitrary.filter((closes) => closes.length > 0),
        optionsArbitrary,
        fc.nat(),
        fc.nat(),
        closeArbitrary,
        (closes, options, dayPick, changedPick, newClose) => {
          const day = dayPick % closes.length;
          const outside: number[] = [];
          for (let index = 0; index < closes.length; index++) if (index < day || index > day + options.holdDays) outside.push(index);
          fc.pre(outside.length > 0);
          const changed = outside[changedPick % outside.length]!;
          const modified = closes.slice();
          modified[changed] = newClose;
          expect(tripleBarrierLabels(modified, options)[day]).toBe(tripleBarrierLabels(closes, options)[day]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('gives a plausible class balance on real bars (AAPL 2016-2021)', () => {
    const bars = loadBars('AAPL', { onIssue: () => {} });
    const labels = tripleBarrierLabels(bars.adjustedClose);
    const counts = [0, 0, 0];
    for (const label of labels) if (label !== NO_LABEL) counts[label]! += 1;
    const total = counts[0]! + counts[1]! + counts[2]!;
    expect(total).toBe(bars.adjustedClose.length - 14);
    // A strongly rising stock: every class occurs, BUY is common, HOLD the largest.
    for (const count of counts) expect(count / total).toBeGreaterThan(0.1);
    expect(counts[HOLD]!).toBeGreaterThan(counts[SELL]!);
  });
});

describe('forwardReturn', () => {
  it('is close[t + holdDays] / close[t] - 1, NaN at the end and around missing closes', () => {
    const result = Array.from(forwardReturn(Float64Array.from([100, 110, NaN, 121, 100]), 1));
    expect(result[0]).toBeCloseTo(0.1, 15);
    expect(result[1]).toBeNaN();
    expect(result[2]).toBeNaN();
    expect(result[3]).toBeCloseTo(100 / 121 - 1, 15);
    expect(result[4]).toBeNaN();
    const twoDays = forwardReturn(Float64Array.from([100, 50, 120, 60]), 2);
    expect(Array.from(twoDays)).toEqual([0.19999999999999996, 0.19999999999999996, NaN, NaN]);
  });

  it('refuses a bad horizon', () => {
    expect(() => forwardReturn(new Float64Array(3), 0)).toThrow(/holdDays/);
  });
});
