import { describe, expect, it } from 'vitest';
import { parseTrainerArguments } from './arguments.js';

describe('trainer arguments', () => {
  it('needs no flags: embedded CORE, swing labels', () => {
    const { options, status, reset } = parseTrainerArguments([]);
    expect(options.source).toBe('embedded');
    expect(options.universe).toBe('core');
    expect(options.labels).toEqual({ holdDays: 14, target: 0.1, stop: 0.05 });
    expect(status || reset).toBe(false);
  });

  it('reads every option', () => {
    const { options } = parseTrainerArguments([
      '--universe', 'sp500', '--symbols', 'aapl,msft', '--from', '2017-01-03', '--to', '2020-12-31', '--options-mode',
      '--models', 'random-forest,naive-bayes', '--seed', '9', '--folds', '4', '--events', '--db', 'x.db',
    ]);
    expect(options.universe).toBe('sp500');
    expect(options.symbols).toEqual(['AAPL', 'MSFT']);
    expect(options.labels).toEqual({ holdDays: 5, target: 0.05, stop: 0.03 });
    expect(options.models).toEqual(['random-forest', 'naive-bayes']);
    expect([options.seed, options.folds, options.events, options.databasePath]).toEqual([9, 4, true, 'x.db']);
    expect(parseTrainerArguments(['--options-mode', '--hold-days', '7']).options.labels.holdDays).toBe(7);
  });

  it('rejects unknown flags and bad values with a clear message', () => {
    expect(() => parseTrainerArguments(['--bogus'])).toThrow(/bogus/);
    expect(() => parseTrainerArguments(['--seed', 'abc'])).toThrow(/--seed needs a number, got "abc"/);
    expect(() => parseTrainerArguments(['--models', 'magic'])).toThrow(/unknown model "magic"/);
  });
});
