/**
 * Options of a scan: which symbols, as of which day, from which prices, and where the results go. Every option has a
 * default, so `nx run scanner:scan` with no flags scores every symbol of the embedded S&P 500 universe as of its last
 * day, with no network.
 */
import { InvalidArgumentError, describeValue, isoToDay } from '@quant/core';
import { checkDataSelection, type SourceKind, type UniverseName } from './options.js';

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

/** Fills defaults and checks every option; throws InvalidArgumentError naming the bad value. */
export function resolveScanOptions(partial: Partial<ScanOptions> = {}): ScanOptions {
  const options: ScanOptions = { ...DEFAULT_SCAN_OPTIONS, ...Object.fromEntries(Object.entries(partial).filter(([, value]) => value !== undefined)) };
  checkDataSelection(options);
  if (options.asOf !== null) isoToDay(options.asOf);
  if (typeof options.databasePath !== 'string' || options.databasePath === '') throw new InvalidArgumentError(`database path must be a file path, got ${describeValue(options.databasePath)}`);
  if (typeof options.outputFolder !== 'string' || options.outputFolder === '') throw new InvalidArgumentError(`output folder must be a path, got ${describeValue(options.outputFolder)}`);
  if (!Number.isInteger(options.threads) || options.threads < 1 || options.threads > 64) {
    throw new InvalidArgumentError(`threads must be an integer from 1 to 64, got ${describeValue(options.threads)}`);
  }
  return options;
}
