/**
 * Backtest: exits, overlap and capacity rules, costs, the daily portfolio and buy-and-hold on cases computed by hand,
 * and a consistency check with the labels on real prices (perfect-foresight signals always reach their target).
 */
import { BUY, NO_LABEL, SELL } from '@quant/core';
import { describe, expect, it } from 'vitest';
import { backtest, summarisePerformance, type BacktestSeries, type BacktestSignal } from './backtest.js';
import { barrierLabels, loadCloses } from './__fixtures__/real-data.js';

const series = (symbol: string, closes: number[], firstDay = 0): BacktestSeries => ({
  symbol,
  days: Int32Array.from(closes, (_, index) => firstDay + index),
  adjustedClose: Float64Array.from(closes),
});
const EXITS = { holdDays: 3, target: 0.1, stop: 0.05 };

describe('backtest', () => {
  const A = series('A', [100, 102, 111, 105, 100, 95, 96, 97, 98, 99]);
  const B = series('B', [50, 49, 47, 50, 50, 50, 50, 50, 50, 50]);
  const signals: BacktestSignal[] = [
    { symbol: 0, row: 0, signal: BUY, probability: 0.8 },
    { symbol: 1, row: 0, signal: BUY, probability: 0.7 },
    // Row 1 of A: A is still in the trade opened on row 0 (exit on row 2): skipped.
    { symbol: 0, row: 1, signal: BUY, probability: 0.9 },
    { symbol: 0, row: 3, signal: SELL, probability: 0.6 },
    { symbol: 1, row: 3, signal: BUY, probability: 0.5 },
    { symbol: 0, row: 8, signal: BUY, probability: 0.5 },
    // The last row has no future close: skipped.
    { symbol: 1, row: 9, signal: SELL, probability: 0.5 },
  ];

  it('applies the label exits to longs and shorts, one trade per symbol at a time (by hand)', () => {
    const result = backtest({ series: [A, B], signals, exits: EXITS, costBasisPoints: 10 });
    const summary = result.trades.map((trade) => [trade.symbol, trade.side, trade.entryRow, trade.exitRow, trade.exitReason]);
    expect(summary).toEqual([
      // +2%, then +11% on row 2: target.
      ['A', 'BUY', 0, 2, 'target'],
      // -2%, then -6% on row 2: stop.
      ['B', 'BUY', 0, 2, 'stop'],
      // Short from 105: 100 (-4.8%), 95 (-9.5%): the lower barrier (-5%) is the short's target.
      ['A', 'SELL', 3, 5, 'target'],
      // Flat for 3 days: time exit on row 6.
      ['B', 'BUY', 3, 6, 'time'],
      // Only one close left after row 8: time exit at the last close.
      ['A', 'BUY', 8, 9, 'time'],
    ]);
    expect(result.signals).toBe(7);
    expect(result.skippedSignals).toBe(2);
    const returns = result.trades.map((trade) => trade.return);
    const expected = [111 / 100 - 1 - 0.001, 47 / 50 - 1 - 0.001, -(95 / 105 - 1) - 0.001, -0.001, 99 / 98 - 1 - 0.001];
    returns.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 15));
    expect(result.trades[2]).toMatchObject({ entryPrice: 105, exitPrice: 95, entryDay: 3, exitDay: 5, cost: 0.001, probability: 0.6 });
    expect(result.winRate).toBeCloseTo(3 / 5, 15);
    expect(result.averageWin).toBeCloseTo((expected[0]! + expected[2]! + expected[4]!) / 3, 15);
    expect(result.averageLoss).toBeCloseTo((expected[1]! + expected[3]!) / 2, 15);
    expect(result.profitFactor).toBeCloseTo((expected[0]! + expected[2]! + expected[4]!) / -(expected[1]! + expected[3]!), 12);
  });

  it('mirrors the long barriers for shorts on request', () => {
    const result = backtest({ series: [A, B], signals, exits: EXITS, costBasisPoints: 0, shortExits: 'mirrored' });
    const short = result.trades.find((trade) => trade.side === 'SELL')!;
    // Profit needs -10% (95/105 = -9.5% is not enough) and +5% would stop it out: time exit at 96 on row 6.
    expect(short).toMatchObject({ entryRow: 3, exitRow: 6, exitReason: 'time' });
    expect(short.return).toBeCloseTo(-(96 / 105 - 1), 15);
  });

  it('computes daily portfolio returns, Sharpe, drawdown and buy-and-hold (by hand)', () => {
    // One trade: +10%, -10%, flat, then the cost on the exit day.
    const one = series('X', [100, 110, 99, 99]);
    const result = backtest({
      series: [one],
      signals: [{ symbol: 0, row: 0, signal: BUY, probability: 1 }],
      exits: { holdDays: 3, target: 0.5, stop: 0.5 },
      costBasisPoints: 10,
    });
    expect(Array.from(result.days)).toEqual([0, 1, 2, 3]);
    const daily = [0, 0.1, 99 / 110 - 1, -0.001];
    Array.from(result.dailyReturns).forEach((value, index) => expect(value).toBeCloseTo(daily[index]!, 15));
    const equity = 1.1 * (99 / 110) * 0.999;
    expect(result.totalReturn).toBeCloseTo(equity - 1, 15);
    expect(result.maxDrawdown).toBeCloseTo(1 - equity / 1.1, 15);
    const mean = daily.reduce((sum, value) => sum + value, 0) / 4;
    const deviation = Math.sqrt(daily.reduce((sum, value) => sum + (value - mean) ** 2, 0) / 3);
    expect(result.sharpe).toBeCloseTo((mean / deviation) * Math.sqrt(252), 12);
    expect(result.buyAndHold.symbols).toBe(1);
    expect(result.buyAndHold.totalReturn).toBeCloseTo(-0.01, 15);
    expect(result.buyAndHold.maxDrawdown).toBeCloseTo(1 - 99 / 110, 15);
  });

  it('weighs open trades equally each day and counts idle days as 0 (by hand)', () => {
    const up = series('UP', [100, 110, 110, 110, 110, 110]);
    const down = series('DOWN', [100, 90, 90, 90, 90, 90]);
    const result = backtest({
      series: [up, down],
      signals: [
        { symbol: 0, row: 0, signal: BUY, probability: 0.6 },
        { symbol: 1, row: 0, signal: BUY, probability: 0.9 },
      ],
      exits: { holdDays: 2, target: 0.5, stop: 0.5 },
      costBasisPoints: 20,
      endDay: 5,
    });
    // Day 1: mean(+10%, -10%) = 0; day 2: both flat, both pay 0.2%; days 3..5: no trade open.
    const daily = Array.from(result.dailyReturns);
    expect(daily).toHaveLength(6);
    [0, 0, -0.002, 0, 0, 0].forEach((value, index) => expect(daily[index]).toBeCloseTo(value, 15));
    // Buy-and-hold of both from day 0: (1.1 + 0.9) / 2 = 1 every day after the first.
    expect(result.buyAndHold.totalReturn).toBeCloseTo(0, 15);

    // With room for one trade, the more probable signal of the day wins.
    const capped = backtest({
      series: [up, down],
      signals: [
        { symbol: 0, row: 0, signal: BUY, probability: 0.6 },
        { symbol: 1, row: 0, signal: BUY, probability: 0.9 },
        { symbol: 0, row: 2, signal: BUY, probability: 0.1 },
      ],
      exits: { holdDays: 2, target: 0.5, stop: 0.5 },
      costBasisPoints: 0,
      maxOpenTrades: 1,
    });
    // DOWN exits on day 2, which frees the place for UP's signal at that day's close.
    expect(capped.trades.map((trade) => [trade.symbol, trade.entryDay])).toEqual([
      ['DOWN', 0],
      ['UP', 2],
    ]);
    expect(capped.skippedSignals).toBe(1);
  });

  it('skips missing closes inside a trade and a signal without an entry price', () => {
    const gappy = series('G', [100, NaN, 111, 100, 100]);
    const late = series('H', [NaN, 100, 100, 100]);
    const result = backtest({
      series: [gappy, late],
      signals: [
        { symbol: 0, row: 0, signal: BUY, probability: 1 },
        { symbol: 1, row: 0, signal: BUY, probability: 1 },
      ],
      exits: EXITS,
      costBasisPoints: 0,
    });
    expect(result.trades).toHaveLength(1);
    expect(result.trades[0]).toMatchObject({ symbol: 'G', exitRow: 2, exitReason: 'target' });
    expect(result.skippedSignals).toBe(1);
    // The missing close of day 1 gives no return that day; day 2 carries the whole move from the entry.
    expect(Array.from(result.dailyReturns)).toEqual([0, 0, 111 / 100 - 1]);
  });

  it('returns NaN figures without signals', () => {
    const result = backtest({ series: [A], signals: [], exits: EXITS, costBasisPoints: 0 });
    expect(result.trades).toEqual([]);
    expect(result.winRate).toBeNaN();
    expect(result.sharpe).toBeNaN();
    expect(result.dailyReturns).toHaveLength(0);
  });

  it('refuses bad input naming the value', () => {
    const base = { series: [A], exits: EXITS, costBasisPoints: 0 };
    expect(() => backtest({ ...base, signals: [{ symbol: 1, row: 0, signal: BUY, probability: 1 }] })).toThrow(/symbol 1/);
    expect(() => backtest({ ...base, signals: [{ symbol: 0, row: 10, signal: BUY, probability: 1 }] })).toThrow(/row 10 of A/);
    expect(() => backtest({ ...base, signals: [{ symbol: 0, row: 0, signal: 1, probability: 1 }] })).toThrow(/expected BUY \(2\) or SELL \(0\)/);
    expect(() => backtest({ ...base, signals: [{ symbol: 0, row: 0, signal: BUY, probability: 2 }] })).toThrow(/probability 2/);
    expect(() => backtest({ ...base, signals: [], costBasisPoints: -1 })).toThrow(/costBasisPoints/);
    expect(() => backtest({ ...base, signals: [], exits: { holdDays: 0, target: 0.1, stop: 0.05 } })).toThrow(/holdDays/);
    expect(() => backtest({ ...base, series: [series('Z', [1, 2]), { symbol: 'Y', days: Int32Array.from([2, 1]), adjustedClose: Float64Array.from([1, 2]) }], signals: [] })).toThrow(/increase strictly/);
  });
});

describe('summarisePerformance', () => {
  it('is NaN-free for a flat series except the Sharpe', () => {
    const summary = summarisePerformance(new Float64Array(5));
    expect(summary).toEqual({ totalReturn: 0, sharpe: NaN, maxDrawdown: 0 });
  });
});

describe('backtest on real prices', () => {
  it('always reaches the target with perfect-foresight signals (labels and exits agree)', () => {
    const { series: real } = loadCloses();
    const signals: BacktestSignal[] = [];
    real.forEach(({ adjustedClose }, symbol) => {
      const labels = barrierLabels(adjustedClose);
      labels.forEach((label, row) => {
        if (label !== NO_LABEL && label !== 1) signals.push({ symbol, row, signal: label, probability: 0.5 });
      });
    });
    const startDay = Math.min(...real.map(({ days }) => days[0]!));
    const endDay = Math.max(...real.map(({ days }) => days[days.length - 1]!));
    const result = backtest({ series: real, signals, exits: { holdDays: 14, target: 0.1, stop: 0.05 }, costBasisPoints: 10, startDay, endDay });
    expect(result.trades.length).toBeGreaterThan(500);
    for (const trade of result.trades) {
      expect(trade.exitReason).toBe('target');
      expect(trade.grossReturn).toBeGreaterThanOrEqual(trade.side === 'BUY' ? 0.1 - 1e-12 : 0.05 - 1e-12);
    }
    expect(result.winRate).toBe(1);
    expect(result.maxDrawdown).toBeLessThan(0.2);
    expect(result.sharpe).toBeGreaterThan(3);
    // Buy-and-hold over the whole period: the mean growth of the symbols present on the first day (all but BHF).
    expect(result.days[0]).toBe(startDay);
    expect(result.days[result.days.length - 1]).toBe(endDay);
    const present = real.filter(({ days }) => days[0] === startDay);
    expect(present).toHaveLength(11);
    const growth = present.map(({ adjustedClose }) => adjustedClose[adjustedClose.length - 1]! / adjustedClose[0]!);
    expect(result.buyAndHold.symbols).toBe(present.length);
    expect(result.buyAndHold.totalReturn).toBeCloseTo(growth.reduce((sum, value) => sum + value, 0) / growth.length - 1, 10);
  });
});
