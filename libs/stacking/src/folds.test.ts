/**
 * Walk-forward and purged folds: hand-computed small cases, and properties on random calendars (purge: no training
 * row's label window reaches its test block; inner folds: every row predicted exactly once, no label-window overlap
 * between training and test rows, embargo respected), and average uniqueness against a direct count.
 */
import { InvalidArgumentError } from '@quant/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { averageUniquenessWeights, calendarIndices, purgedTimeFolds, tradingCalendar, walkForwardFolds } from './folds.js';

/** Two symbols on each of `dayCount` trading days (weekdays of real day numbers), rows ordered by symbol then day. */
function twoSymbols(dayCount: number): Int32Array {
  const calendar: number[] = [];
  for (let day = 17_000; calendar.length < dayCount; day++) if ((day + 4) % 7 !== 0 && (day + 4) % 7 !== 6) calendar.push(day);
  return Int32Array.from([...calendar, ...calendar]);
}

describe('tradingCalendar', () => {
  it('is the sorted distinct days', () => {
    expect(Array.from(tradingCalendar(Int32Array.from([5, 3, 5, 9, 3])))).toEqual([3, 5, 9]);
    expect(Array.from(calendarIndices(Int32Array.from([9, 3, 5]), Int32Array.from([3, 5, 9])))).toEqual([2, 0, 1]);
    expect(() => calendarIndices(Int32Array.from([4]), Int32Array.from([3, 5]))).toThrow(/day 4/);
  });
});

describe('walkForwardFolds', () => {
  it('cuts expanding windows, purges the label horizon and the embargo before each test block (by hand)', () => {
    // 20 trading days x 2 symbols; rows 0..19 are symbol A, rows 20..39 symbol B on the same days.
    const days = twoSymbols(20);
    const folds = walkForwardFolds(days, { folds: 2, testDays: 4, horizonDays: 2, embargoDays: 1 });
    expect(folds).toHaveLength(2);
    // Fold 0 tests calendar days 12..15; its last training day is 12 - horizon 2 - embargo 1 - 1 = day 8.
    const both = (from: number, to: number): number[] => {
      const rows: number[] = [];
      for (let day = from; day <= to; day++) rows.push(day);
      for (let day = from; day <= to; day++) rows.push(20 + day);
      return rows;
    };
    expect(Array.from(folds[0]!.testRows)).toEqual(both(12, 15));
    expect(Array.from(folds[0]!.trainRows)).toEqual(both(0, 8));
    expect(Array.from(folds[1]!.testRows)).toEqual(both(16, 19));
    expect(Array.from(folds[1]!.trainRows)).toEqual(both(0, 12));
    const calendar = tradingCalendar(days);
    expect(folds[0]).toMatchObject({ index: 0, trainStartDay: calendar[0], trainEndDay: calendar[8], testStartDay: calendar[12], testEndDay: calendar[15] });
    expect(folds[1]).toMatchObject({ index: 1, trainEndDay: calendar[12], testStartDay: calendar[16], testEndDay: calendar[19] });
  });

  it('sizes test blocks like TimeSeriesSplit by default and honours minTrainDays', () => {
    const days = twoSymbols(100);
    // (100 - 5) / 4 = 23 days per block; the first training window keeps 100 - 69 - 5 = 26 days.
    const folds = walkForwardFolds(days, { folds: 3, horizonDays: 5 });
    expect(folds.map((fold) => fold.testRows.length / 2)).toEqual([23, 23, 23]);
    expect(folds[0]!.trainRows.length / 2).toBe(26);
    // With 60 training days required: (100 - 5 - 60) / 3 = 11 days per block.
    const longer = walkForwardFolds(days, { folds: 3, horizonDays: 5, minTrainDays: 60 });
    expect(longer.map((fold) => fold.testRows.length / 2)).toEqual([11, 11, 11]);
    expect(longer[0]!.trainRows.length / 2).toBeGreaterThanOrEqual(60);
  });

  it('refuses splits that leave too little training data, naming the numbers', () => {
    const days = twoSymbols(30);
    expect(() => walkForwardFolds(days, { folds: 3, testDays: 9, horizonDays: 5 })).toThrow(/leave 0 training days/);
    expect(() => walkForwardFolds(days, { folds: 3, horizonDays: 5, minTrainDays: 40 })).toThrow(InvalidArgumentError);
    expect(() => walkForwardFolds(days, { folds: 0, horizonDays: 5 })).toThrow(/folds/);
    expect(() => walkForwardFolds(days, { horizonDays: -1 })).toThrow(/horizonDays/);
    expect(() => walkForwardFolds(new Int32Array(0), { horizonDays: 1 })).toThrow(/too few/);
  });

  /** Random calendars: sorted distinct days with gaps, several symbols each present on a random subset of days. */
  const dataArbitrary = fc
    .record({
      gaps: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 30, maxLength: 120 }),
      symbols: fc.integer({ min: 1, max: 4 }),
      presence: fc.array(fc.boolean(), { minLength: 480, maxLength: 480 }),
      shuffle: fc.integer(),
    })
    .map(({ gaps, symbols, presence, shuffle }) => {
      const calendar: number[] = [];
      gaps.reduce((day, gap) => (calendar.push(day + gap), day + gap), 18_000);
      const rows: number[] = [];
      calendar.forEach((day, index) => {
        // Symbol 0 trades every day, so the data's calendar is exactly `calendar`.
        for (let symbol = 0; symbol < symbols; symbol++) if (symbol === 0 || presence[(index * 4 + symbol) % 480]) rows.push(day);
      });
      // Row order must not matter.
      let state = shuffle >>> 0;
      for (let index = rows.length - 1; index > 0; index--) {
        state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
        const other = state % (index + 1);
        [rows[index], rows[other]] = [rows[other]!, rows[index]!];
      }
      return { days: Int32Array.from(rows), calendar: Int32Array.from(calendar) };
    });

  it('never lets a training label window reach its test block; blocks are consecutive and windows expand (property)', () => {
    fc.assert(
      fc.property(
        dataArbitrary,
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 5 }),
        ({ days, calendar }, foldCount, horizonDays, embargoDays) => {
          let folds;
          try {
            folds = walkForwardFolds(days, { folds: foldCount, horizonDays, embargoDays });
          } catch (error) {
            expect(error).toBeInstanceOf(InvalidArgumentError);
            return;
          }
          const position = calendarIndices(days, calendar);
          let previousTrain = new Set<number>();
          let previousTestEnd = -1;
          folds.forEach((fold, index) => {
            expect(fold.index).toBe(index);
            const testPositions = Array.from(fold.testRows, (row) => position[row]!);
            const testStart = Math.min(...testPositions);
            const testEnd = Math.max(...testPositions);
            expect(calendar[testStart]).toBe(fold.testStartDay);
            expect(calendar[testEnd]).toBe(fold.testEndDay);
            if (previousTestEnd >= 0) expect(testStart).toBe(previousTestEnd + 1);
            previousTestEnd = testEnd;
            // Every row of the block's days is in the block.
            for (let row = 0; row < days.length; row++) {
              const inBlock = position[row]! >= testStart && position[row]! <= testEnd;
              expect(fold.testRows.includes(row)).toBe(inBlock);
            }
            for (const row of fold.trainRows) {
              // The label window [p, p + h] ends before the test block, with the embargo on top.
              expect(position[row]! + horizonDays + embargoDays).toBeLessThan(testStart);
              expect(days[row]!).toBeLessThanOrEqual(fold.trainEndDay);
              expect(days[row]!).toBeLessThan(fold.testStartDay);
            }
            // Nothing more is purged than needed: every row up to the last allowed day trains.
            const allowed = Array.from(days.keys()).filter((row) => position[row]! + horizonDays + embargoDays < testStart);
            expect(Array.from(fold.trainRows)).toEqual(allowed);
            // Expanding: each window contains the previous one.
            for (const row of previousTrain) expect(fold.trainRows.includes(row)).toBe(true);
            previousTrain = new Set(fold.trainRows);
          });
          expect(previousTestEnd).toBe(calendar.length - 1);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('purgedTimeFolds', () => {
  it('purges before and after each block and embargoes after it (by hand)', () => {
    // One symbol, days 0..11 (calendar positions = rows), 3 blocks of 4 days, horizon 1, embargo 1.
    const days = Int32Array.from({ length: 12 }, (_, index) => 100 + index);
    const rows = Uint32Array.from({ length: 12 }, (_, index) => index);
    const folds = purgedTimeFolds(days, rows, { folds: 3, horizonDays: 1, embargoDays: 1 });
    expect(folds.map((fold) => Array.from(fold.testRows))).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    // Block 0 (0..3): after it, 4 is purged (its window 4..5 overlaps 3's window 3..4) and 5 is embargoed.
    expect(Array.from(folds[0]!.trainRows)).toEqual([6, 7, 8, 9, 10, 11]);
    // Block 1 (4..7): 3 is purged before it (window 3..4 reaches day 4); 8 purged and 9 embargoed after it.
    expect(Array.from(folds[1]!.trainRows)).toEqual([0, 1, 2, 10, 11]);
    // Block 2 (8..11): 7 purged before it; nothing after it.
    expect(Array.from(folds[2]!.trainRows)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(folds[1]).toMatchObject({ testStartDay: 104, testEndDay: 107 });
  });

  it('works on a subset of rows and returns row ids, not positions', () => {
    const days = Int32Array.from([10, 11, 12, 13, 14, 15, 16, 17]);
    const folds = purgedTimeFolds(days, [7, 5, 3, 1], { folds: 2, horizonDays: 0 });
    // Subset days: 11, 13, 15, 17 -> blocks {11, 13} and {15, 17}; the rows' order is kept.
    expect(folds.map((fold) => Array.from(fold.testRows))).toEqual([[3, 1], [7, 5]]);
    expect(folds.map((fold) => Array.from(fold.trainRows))).toEqual([[7, 5], [3, 1]]);
  });

  it('leaves a block without training rows when the horizon covers the window', () => {
    const days = Int32Array.from({ length: 6 }, (_, index) => index);
    const folds = purgedTimeFolds(days, Uint32Array.from([0, 1, 2, 3, 4, 5]), { folds: 2, horizonDays: 5 });
    expect(folds.every((fold) => fold.trainRows.length === 0)).toBe(true);
  });

  it('refuses bad arguments', () => {
    const days = Int32Array.from([1, 2, 3]);
    expect(() => purgedTimeFolds(days, [0, 1, 2], { folds: 4, horizonDays: 0 })).toThrow(/3 trading days cannot be cut into 4 folds/);
    expect(() => purgedTimeFolds(days, [0, 3], { folds: 2, horizonDays: 0 })).toThrow(/row 3 is outside/);
    expect(() => purgedTimeFolds(days, [], { folds: 2, horizonDays: 0 })).toThrow(/at least one row/);
    expect(() => purgedTimeFolds(days, [0, 1, 2], { folds: 1, horizonDays: 0 })).toThrow(/folds/);
  });

  it('predicts every row exactly once and never trains on an overlapping label window (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 150 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 4 }),
        (rowDays, foldCount, horizonDays, embargoDays) => {
          const days = Int32Array.from(rowDays);
          const calendar = tradingCalendar(days);
          fc.pre(calendar.length >= foldCount);
          const rows = Uint32Array.from(days.keys());
          const folds = purgedTimeFolds(days, rows, { folds: foldCount, horizonDays, embargoDays });
          const position = calendarIndices(days, calendar);
          const predicted = new Array<number>(days.length).fill(0);
          for (const fold of folds) {
            for (const row of fold.testRows) predicted[row]! += 1;
            const testSet = new Set(fold.testRows);
            const blockStart = Math.min(...Array.from(fold.testRows, (row) => position[row]!));
            const blockEnd = Math.max(...Array.from(fold.testRows, (row) => position[row]!));
            for (const row of fold.trainRows) {
              expect(testSet.has(row)).toBe(false);
              const start = position[row]!;
              // No overlap of [start, start + h] with any test row's [q, q + h], q in the block...
              for (const testRow of fold.testRows) {
                const testStart = position[testRow]!;
                expect(start + horizonDays < testStart || testStart + horizonDays < start).toBe(true);
              }
              // ...and the embargo after the block.
              if (start > blockEnd) expect(start).toBeGreaterThan(blockEnd + horizonDays + embargoDays);
            }
            // Everything outside the purge and embargo trains.
            const expected = Array.from(rows).filter((row) => position[row]! + horizonDays < blockStart || position[row]! > blockEnd + horizonDays + embargoDays);
            expect(Array.from(fold.trainRows)).toEqual(expected);
          }
          expect(predicted.every((count) => count === 1)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('averageUniquenessWeights', () => {
  it('averages 1 / concurrency over each label span (by hand)', () => {
    // One symbol, 4 consecutive days, horizon 2: spans {1,2}, {2,3}, {3,4}, {4,5}; concurrency 1,2,2,2,1.
    const days = Int32Array.from([0, 1, 2, 3]);
    expect(Array.from(averageUniquenessWeights(days, undefined, 2))).toEqual([0.75, 0.5, 0.5, 0.75]);
    // The same days for two symbols: labels of different symbols do not overlap, so the weights are the same.
    const twice = Int32Array.from([0, 1, 2, 3, 0, 1, 2, 3]);
    expect(Array.from(averageUniquenessWeights(twice, Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1]), 2))).toEqual([0.75, 0.5, 0.5, 0.75, 0.75, 0.5, 0.5, 0.75]);
    // Without symbols they are one series: every day counts twice, so every weight halves.
    expect(Array.from(averageUniquenessWeights(twice, undefined, 2))).toEqual([0.375, 0.25, 0.25, 0.375, 0.375, 0.25, 0.25, 0.375]);
    // A lone label weighs 1; horizon 1 never overlaps on a daily series.
    expect(Array.from(averageUniquenessWeights(Int32Array.from([5]), undefined, 14))).toEqual([1]);
    expect(Array.from(averageUniquenessWeights(days, undefined, 1))).toEqual([1, 1, 1, 1]);
  });

  it('matches a direct count of concurrent labels (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ day: fc.integer({ min: 0, max: 40 }), symbol: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 10 }),
        (rows, horizonDays) => {
          const days = Int32Array.from(rows, (row) => row.day);
          const symbols = Int32Array.from(rows, (row) => row.symbol);
          const weights = averageUniquenessWeights(days, symbols, horizonDays);
          const position = calendarIndices(days, tradingCalendar(days));
          rows.forEach((row, index) => {
            let total = 0;
            for (let t = position[index]! + 1; t <= position[index]! + horizonDays; t++) {
              let concurrency = 0;
              rows.forEach((other, otherIndex) => {
                if (other.symbol === row.symbol && position[otherIndex]! + 1 <= t && t <= position[otherIndex]! + horizonDays) concurrency++;
              });
              total += 1 / concurrency;
            }
            expect(weights[index]).toBeCloseTo(total / horizonDays, 12);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refuses bad arguments', () => {
    expect(() => averageUniquenessWeights(Int32Array.from([1]), undefined, 0)).toThrow(/horizonDays/);
    expect(() => averageUniquenessWeights(Int32Array.from([1]), Int32Array.from([0, 1]), 2)).toThrow(/symbols has 2 entries/);
    expect(averageUniquenessWeights(new Int32Array(0), undefined, 3)).toHaveLength(0);
  });
});
