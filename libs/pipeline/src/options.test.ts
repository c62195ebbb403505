import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_OPTIONS, TRAINING_CODE_VERSION, optionsFingerprint, resolveTrainOptions, resultOptions } from './options.js';

describe('train options', () => {
  it('defaults to the embedded CORE universe, 14-day +10%/-5% labels and every model', () => {
    const options = resolveTrainOptions();
    expect(options.source).toBe('embedded');
    expect(options.universe).toBe('core');
    expect(options.labels).toEqual({ holdDays: 14, target: 0.1, stop: 0.05 });
    expect(options.models).toEqual(DEFAULT_TRAIN_OPTIONS.models);
  });

  it('rejects bad values with a message naming them', () => {
    expect(() => resolveTrainOptions({ universe: 'nasdaq' as never })).toThrow(/universe must be one of .*"nasdaq"/);
    expect(() => resolveTrainOptions({ models: ['random-forest', 'deep-magic' as never] })).toThrow(/unknown model "deep-magic"/);
    expect(() => resolveTrainOptions({ labels: { holdDays: 0, target: 0.1, stop: 0.05 } })).toThrow(/hold days/);
    expect(() => resolveTrainOptions({ labels: { holdDays: 14, target: 0.1, stop: 5 } })).toThrow(/stop/);
    expect(() => resolveTrainOptions({ from: '2017-13-01' })).toThrow(/2017-13-01/);
    expect(() => resolveTrainOptions({ from: '2017-01-01', to: '2016-01-01' })).toThrow(/after/);
    expect(() => resolveTrainOptions({ source: 'csv' })).toThrow(/folder/);
    expect(() => resolveTrainOptions({ symbols: ['AAPL', 'not a symbol'] })).toThrow(/not a ticker/);
    expect(() => resolveTrainOptions({ symbols: ['AAPL', 'MSFT', 'AAPL'] })).toThrow(/a symbol is listed twice in AAPL, MSFT, AAPL/);
  });

  it('fingerprints what changes results, not where files go', () => {
    const base = resolveTrainOptions();
    expect(optionsFingerprint(resolveTrainOptions({ databasePath: '/elsewhere.db', threads: 1 }))).toBe(optionsFingerprint(base));
    expect(optionsFingerprint(resolveTrainOptions({ seed: 1 }))).not.toBe(optionsFingerprint(base));
    expect(optionsFingerprint(resolveTrainOptions({ labels: { holdDays: 5, target: 0.05, stop: 0.03 } }))).not.toBe(optionsFingerprint(base));
    // The training code's version is part of it: a checkpoint of older code is refused, not mixed with new models.
    expect(resultOptions(base)['trainingCodeVersion']).toBe(TRAINING_CODE_VERSION);
  });
});
