import { createFeatureMatrix, createRandom } from '@quant/core';
import { logLoss } from '@quant/models';
import { describe, expect, it } from 'vitest';
import { META_C_CANDIDATES, ValidatedLogisticMeta, defaultMetaLearner } from './meta.js';
import { restoreModel } from './stacking.js';

/**
 * Meta inputs like a stack's: 12 correlated, over-confident "probability" columns, one row per symbol and day. Each
 * column is the true class's indicator pushed to 0/1 for an "informed" share of rows, noise else; the share falls
 * from `informedFrom` to `informedTo` over the days, as base models lose their edge out of time.
 */
function overconfidentInputs(days: number, perDay: number, seed: number, informedFrom = 0.45, informedTo = informedFrom) {
  const random = createRandom(seed);
  const rows = days * perDay;
  const columns = 12;
  const values = new Float64Array(rows * columns);
  const y = new Int8Array(rows);
  const rowDates = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    rowDates[row] = 18_000 + Math.floor(row / perDay);
    y[row] = random.next() < 0.6 ? 1 : random.next() < 0.5 ? 0 : 2;
    const informed = random.next() < informedFrom + ((informedTo - informedFrom) * Math.floor(row / perDay)) / days;
    for (let column = 0; column < columns; column++) {
      const label = column % 3;
      const value = informed ? (y[row] === label ? 0.97 : 0.015) : random.next() < 0.5 ? 0.97 : 0.015;
      values[column * rows + row] = value;
    }
  }
  const matrix = createFeatureMatrix({
    columns: Array.from({ length: columns }, (_, column) => `m${Math.floor(column / 3)}:${column % 3}`),
    values,
    symbols: ['ALL'],
    rowSymbols: new Int32Array(rows),
    rowDates,
  });
  return { matrix, y };
}

describe('ValidatedLogisticMeta (the default meta-learner)', () => {
  it('chooses C by log loss on the later days, only from training rows, and beats C = 1 out of time when inputs are over-confident', () => {
    const train = overconfidentInputs(300, 10, 1, 0.6, 0.2);
    const test = overconfidentInputs(100, 10, 2, 0.15);
    const meta = new ValidatedLogisticMeta({ gapDays: 19 }).fit(train.matrix, train.y);
    expect(meta.chosenC).toBeLessThan(1);
    expect(meta.validation.map((entry) => entry.C)).toEqual([...META_C_CANDIDATES]);
    const best = Math.min(...meta.validation.map((entry) => entry.logLoss));
    expect(meta.validation.find((entry) => entry.C === meta.chosenC)!.logLoss).toBe(best);
    const plain = new ValidatedLogisticMeta({ gapDays: 19, candidates: [1] }).fit(train.matrix, train.y);
    expect(plain.chosenC).toBe(1);
    expect(logLoss(test.y, meta.predictProba(test.matrix))).toBeLessThan(logLoss(test.y, plain.predictProba(test.matrix)) - 0.01);
  });

  it('falls back to C = 1 when the training rows are too few to split', () => {
    const small = overconfidentInputs(30, 10, 3);
    const meta = new ValidatedLogisticMeta({ gapDays: 19 }).fit(small.matrix, small.y);
    expect(meta.chosenC).toBe(1);
    expect(meta.validation).toEqual([]);
  });

  it('round-trips through JSON (also through the stack reader) with identical probabilities', () => {
    const train = overconfidentInputs(300, 10, 4);
    const meta = defaultMetaLearner(14, 5).fit(train.matrix, train.y) as ValidatedLogisticMeta;
    expect(meta.gapDays).toBe(19);
    const restored = restoreModel(JSON.parse(JSON.stringify(meta.toJSON())));
    expect(restored).toBeInstanceOf(ValidatedLogisticMeta);
    expect((restored as ValidatedLogisticMeta).chosenC).toBe(meta.chosenC);
    expect(restored.predictProba(train.matrix)).toEqual(meta.predictProba(train.matrix));
    expect(() => restoreModel({ ...meta.toJSON(), formatVersion: 9 })).toThrow(/format version 9/);
  });

  it('refuses bad options, naming the value', () => {
    expect(() => new ValidatedLogisticMeta({ gapDays: -1 })).toThrow(/gapDays must be an integer >= 0, got -1/);
    expect(() => new ValidatedLogisticMeta({ gapDays: 0, candidates: [] })).toThrow(/candidates/);
    expect(() => new ValidatedLogisticMeta({ gapDays: 0, validationFraction: 1 })).toThrow(/validationFraction/);
  });
});
