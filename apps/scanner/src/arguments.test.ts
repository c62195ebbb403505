import { describe, expect, it } from 'vitest';
import { DEFAULT_SCAN_OPTIONS, resolveFromInvocation } from '@quant/pipeline';
import { parseScannerArguments } from './arguments.js';

describe('parseScannerArguments', () => {
  it('defaults to every symbol of the embedded S&P 500 universe as of its last day', () => {
    const parsed = parseScannerArguments([]);
    expect({ ...parsed.options, databasePath: DEFAULT_SCAN_OPTIONS.databasePath, outputFolder: DEFAULT_SCAN_OPTIONS.outputFolder }).toEqual(DEFAULT_SCAN_OPTIONS);
    expect(parsed.options.databasePath).toBe(resolveFromInvocation(DEFAULT_SCAN_OPTIONS.databasePath));
    expect(parsed.options).toMatchObject({ source: 'embedded', universe: 'sp500', symbols: null, asOf: null });
    expect(parsed.top).toBeUndefined();
  });

  it('reads every option', () => {
    const parsed = parseScannerArguments([
      '--source', 'live', '--symbols', 'aapl, msft', '--as-of', '2021-05-13', '--db', 'x.db', '--output', 'out', '--top', '25', '--threads', '1', '--ascii',
    ]);
    expect(parsed.options).toMatchObject({ source: 'live', symbols: ['AAPL', 'MSFT'], asOf: '2021-05-13', threads: 1 });
    expect(parsed.options.databasePath).toBe(resolveFromInvocation('x.db'));
    expect(parsed.options.outputFolder).toBe(resolveFromInvocation('out'));
    expect(parsed.top).toBe(25);
    expect(parsed.ascii).toBe(true);
  });

  it('refuses bad values, naming them', () => {
    expect(() => parseScannerArguments(['--top', '0'])).toThrow(/--top needs a positive whole number, got "0"/);
    expect(() => parseScannerArguments(['--as-of', '14/05/2021'])).toThrow(/expected a date as YYYY-MM-DD, got "14\/05\/2021"/);
    expect(() => parseScannerArguments(['--source', 'bloomberg'])).toThrow(/source must be one of embedded, csv, live, got "bloomberg"/);
    expect(() => parseScannerArguments(['--source', 'csv'])).toThrow(/needs a folder/);
    expect(() => parseScannerArguments(['--threads', 'many'])).toThrow(/--threads needs a number, got "many"/);
    expect(() => parseScannerArguments(['--cap', '100'])).toThrow(/Unknown option '--cap'/);
  });
});
