/**
 * Options of a scan: which symbols, as of which day, from which prices, and where the results go. Every option has a
 * default, so `nx run scanner:scan` with no flags scores every symbol of the embedded S&P 500 universe as of its last
 * day, with no network.
 */
import { InvalidArgumentError, describeValue, isoToDay } from '@quant/core';
import type { SourceKind, UniverseName } from './options.js';

export interface ScanOptions {
  readonly source: SourceKind;
  /** Folder of <SYMBOL>.csv files (source 'csv'). */
  readonly csvFolder: string | null;
  /** Universe whose members are scanned, and whose members form the market and sector indices. */
  readonly universe: UniverseName;
  /** Score only these symbols (the market context still comes from the whole universe). */
  readonly symbols: readonly string[] | null;
  /** Score as of this day (ISO); null: the latest day with prices. */
  readonly asOf: string | null;
  readonly databasePath: string;
  readonly outputFolder: string;
  /** Threads for the feature computation of symbols with nothing stored (the calling thread and threads - 1 workers). */
  readonly threads: number;
}

export const DEFAULT_SCAN_OPTIONS: ScanOptions = Object.freeze({
  source: 'embedded',
  csvFolder: null,
  universe: 'sp500',
  symbols: null,
  asOf: null,
  databasePath: '.quant/quant.db',
  outputFolder: '.quant/output',
  threads: 2,
});

const SOURCES: readonly SourceKind[] = ['embedded', 'csv', 'live'];
const UNIVERSES: readonly UniverseName[] = ['core', 'sp500', 'allcap', 'etf'];

/** Fills defaults and checks every option; throws InvalidArgumentError naming the bad value. */
export function resolveScanOptions(partial: Partial<ScanOptions> = {}): ScanOptions {
  const options: ScanOptions = { ...DEFAULT_SCAN_OPTIONS, ...Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) };
  if (!SOURCES.includes(options.source)) throw new InvalidArgumentError(`source must be one of ${SOURCES.join(', ')}, got ${describeValue(options.source)}`);
  if (options.source === 'csv' && (options.csvFolder === null || options.csvFolder === '')) {
    throw new InvalidArgumentError('the csv source needs a folder of <SYMBOL>.csv files (--csv <folder>)');
  }
  if (!UNIVERSES.includes(options.universe)) {
    throw new InvalidArgumentError(`universe must be one of ${UNIVERSES.join(', ')}, got ${describeValue(options.universe)}`);
  }
  if (options.symbols !== null) {
    if (options.symbols.length === 0) throw new InvalidArgumentError('symbols, when given, must name at least one symbol');
    for (const symbol of options.symbols) {
      if (typeof symbol !== 'string' || !/^[A-Z0-9.^-]{1,12}$/.test(symbol)) throw new InvalidArgumentError(`not a ticker symbol: ${describeValue(symbol)}`);
    }
    if (new Set(options.symbols).size !== options.symbols.length) throw new InvalidArgumentError(`a symbol is listed twice in ${options.symbols.join(', ')}`);
  }
  if (options.asOf !== null) isoToDay(options.asOf);
  if (typeof options.databasePath !== 'string' || options.databasePath === '') throw new InvalidArgumentError(`database path must be a file path, got ${describeValue(options.databasePath)}`);
  if (typeof options.outputFolder !== 'string' || options.outputFolder === '') throw new InvalidArgumentError(`output folder must be a path, got ${describeValue(options.outputFolder)}`);
  if (!Number.isInteger(options.threads) || options.threads < 1 || options.threads > 64) {
    throw new InvalidArgumentError(`threads must be an integer from 1 to 64, got ${describeValue(options.threads)}`);
  }
  return options;
}
