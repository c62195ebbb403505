/**
 * Evaluation metrics on cases computed by hand, agreement with the metrics of @quant/models, the per-day top-decile
 * rule, and the promotion gate.
 */
import { BUY, HOLD, SELL } from '@quant/core';
import { accuracy, argmaxRows, logLoss, macroF1 } from '@quant/models';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateClassification, promotionGate } from './evaluation.js';

const rowsOf = (...rows: [number, number, number][]): Float64Array => Float64Array.from(rows.flat());

describe('evaluateClassification', () => {
  // 6 rows. Predicted (argmax): SELL, SELL, HOLD, HOLD, BUY, HOLD. True: SELL, HOLD, HOLD, HOLD, BUY, BUY.
  const yTrue = Int8Array.from([SELL, HOLD, HOLD, HOLD, BUY, BUY]);
  const probabilities = rowsOf([0.7, 0.2, 0.1], [0.5, 0.4, 0.1], [0.2, 0.6, 0.2], [0.1, 0.8, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3]);

  it('computes the confusion matrix and every metric (by hand)', () => {
    const metrics = evaluateClassification(yTrue, probabilities);
    expect(metrics.confusion).toEqual([
      [1, 0, 0],
      [1, 2, 0],
      [0, 1, 1],
    ]);
    expect(metrics.rows).toBe(6);
    expect(metrics.accuracy).toBeCloseTo(4 / 6, 15);
    // Recalls: SELL 1/1, HOLD 2/3, BUY 1/2. Precisions: SELL 1/2, HOLD 2/3, BUY 1/1.
    expect(metrics.perClass.SELL).toEqual({ precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
    expect(metrics.perClass.HOLD.precision).toBeCloseTo(2 / 3, 15);
    expect(metrics.perClass.HOLD.recall).toBeCloseTo(2 / 3, 15);
    expect(metrics.perClass.BUY).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, support: 2 });
    expect(metrics.balancedAccuracy).toBeCloseTo((1 + 2 / 3 + 0.5) / 3, 15);
    expect(metrics.macroF1).toBeCloseTo((2 / 3 + 2 / 3 + 2 / 3) / 3, 15);
    const expectedLoss = -(Math.log(0.7) + Math.log(0.4) + Math.log(0.6) + Math.log(0.8) + Math.log(0.6) + Math.log(0.3)) / 6;
    expect(metrics.logLoss).toBeCloseTo(expectedLoss, 14);
    expect(metrics.topDecileBuyPrecision).toBeNaN();
    expect(metrics.topDecileRows).toBe(0);
  });

  it('takes ceil(10%) of each day by P(BUY) and pools the hits (by hand)', () => {
    // Days: rows 0..2 on day 1, rows 3..5 on day 2; ceil(3 x 10%) = 1 row per day.
    const days = Int32Array.from([1, 1, 1, 2, 2, 2]);
    // Day 1 picks row 2 (P(BUY) 0.2 beats 0.1 and 0.1), a HOLD; day 2 picks row 4 (0.6), a BUY: 1 of 2.
    const metrics = evaluateClassification(yTrue, probabilities, { days });
    expect(metrics.topDecileRows).toBe(2);
    expect(metrics.topDecileBuyPrecision).toBe(0.5);
    // The top half: ceil(1.5) = 2 rows per day. Day 1: row 2, then row 0 (a tie at 0.1 with row 1 goes to the earlier
    // row), HOLD and SELL; day 2: rows 4 and 5, both BUY. 2 of 4.
    const half = evaluateClassification(yTrue, probabilities, { days, topFraction: 0.5 });
    expect(half.topDecileRows).toBe(4);
    expect(half.topDecileBuyPrecision).toBe(0.5);
  });

  it('does not round 30 x 10% up to 4', () => {
    const count = 30;
    const y = Int8Array.from({ length: count }, (_, row) => (row < 3 ? BUY : HOLD));
    const p = new Float64Array(count * 3);
    for (let row = 0; row < count; row++) p.set([0.1, 0.5, 0.4 - row * 0.01], row * 3);
    const metrics = evaluateClassification(y, p, { days: new Int32Array(count) });
    expect(metrics.topDecileRows).toBe(3);
    expect(metrics.topDecileBuyPrecision).toBe(1);
  });

  it('agrees with accuracy, macroF1 and logLoss of @quant/models on random data (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0.01, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 60,
        }),
        (rows) => {
          const y = Int8Array.from(rows, (row) => row[0]);
          const p = new Float64Array(rows.length * 3);
          rows.forEach(([, a, b, c], row) => p.set([a / (a + b + c), b / (a + b + c), c / (a + b + c)], row * 3));
          const metrics = evaluateClassification(y, p);
          const predicted = argmaxRows(p);
          expect(metrics.accuracy).toBeCloseTo(accuracy(y, predicted), 12);
          expect(metrics.macroF1).toBeCloseTo(macroF1(y, predicted), 12);
          expect(metrics.logLoss).toBeCloseTo(logLoss(y, p), 12);
          const total = metrics.confusion.flat().reduce((sum, count) => sum + count, 0);
          expect(total).toBe(rows.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses unlabelled rows and malformed probabilities', () => {
    expect(() => evaluateClassification(Int8Array.from([-1]), rowsOf([0.2, 0.3, 0.5]))).toThrow(/label of row 0 is -1/);
    expect(() => evaluateClassification(Int8Array.from([1, 1]), rowsOf([0.2, 0.3, 0.5]))).toThrow(/need 6 probabilities/);
    expect(() => evaluateClassification(Int8Array.from([1]), rowsOf([0.2, NaN, 0.5]))).toThrow(/probability 1 of row 0 is NaN/);
    expect(() => evaluateClassification(new Int8Array(0), new Float64Array(0))).toThrow(/0 rows/);
    expect(() => evaluateClassification(Int8Array.from([1]), rowsOf([0.2, 0.3, 0.5]), { days: new Int32Array(2) })).toThrow(/days has 2 entries/);
  });
});

describe('promotionGate', () => {
  const baselines = { majority: { macroF1: 0.24, logLoss: 1.04 }, volatility: { macroF1: 0.39, logLoss: 0.95 } };

  it('promotes only a model that beats every baseline on both metrics', () => {
    const verdict = promotionGate({ macroF1: 0.43, logLoss: 0.93, accuracy: 0.56 }, baselines);
    expect(verdict.promoted).toBe(true);
    expect(verdict.reasons).toEqual([
      'macro-F1 0.4300 beats majority (0.2400)',
      'log loss 0.9300 beats majority (1.0400)',
      'macro-F1 0.4300 beats volatility (0.3900)',
      'log loss 0.9300 beats volatility (0.9500)',
    ]);
  });

  it('refuses a model that loses to one baseline on one metric, or ties', () => {
    const worseLoss = promotionGate({ macroF1: 0.43, logLoss: 0.96 }, baselines);
    expect(worseLoss.promoted).toBe(false);
    expect(worseLoss.reasons).toContain('log loss 0.9600 does not beat volatility (0.9500)');
    expect(promotionGate({ macroF1: 0.39, logLoss: 0.9 }, baselines).promoted).toBe(false);
    expect(promotionGate({ macroF1: NaN, logLoss: 0.9 }, baselines).promoted).toBe(false);
  });

  it('treats scores that are too good as a probable leak', () => {
    const leaky = promotionGate({ macroF1: 0.55, logLoss: 0.7, accuracy: 0.7 }, baselines);
    expect(leaky.promoted).toBe(false);
    expect(leaky.reasons.filter((reason) => reason.includes('probable leak'))).toHaveLength(2);
    expect(promotionGate({ macroF1: 0.55, logLoss: 0.7, accuracy: 0.7 }, baselines, { leakThresholds: null }).promoted).toBe(true);
  });

  it('needs a baseline', () => {
    expect(() => promotionGate({ macroF1: 0.5, logLoss: 0.9 }, {})).toThrow(/at least one baseline/);
  });
});
