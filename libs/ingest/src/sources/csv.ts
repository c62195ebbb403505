/**
 * Prices from a folder of CSV files, one per symbol (`<folder>/<SYMBOL>.csv`, matched case-insensitively), for
 * users who bring their own data. Columns are found by name, case-insensitively and in any order: Date, Open, High,
 * Low, Close, Adj Close (optional: without it the closes are taken as already adjusted) and Volume. A malformed file
 * is refused with an error naming the file and line; a history that fails validation (validatePriceHistory: order,
 * prices, OHLC, absurd jumps — say, a split the file is not adjusted for) is refused with its dates, or kept with
 * the issues attached when the policy is 'flag'.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { FormatError, NotFoundError, createBars, isoToDay, parseCsvLine } from '@quant/core';
import { enforcePriceValidation, type IssuePolicy, type PriceValidationOptions } from '../validation/price-validation.js';
import type { DateRange, PriceHistory, PriceSource } from './types.js';

const COLUMN_NAMES: Record<string, readonly string[]> = {
  date: ['date', 'timestamp', 'day'],
  open: ['open'],
  high: ['high'],
  low: ['low'],
  close: ['close'],
  adjustedClose: ['adj close', 'adj_close', 'adjclose', 'adjusted close', 'adjusted_close'],
  volume: ['volume'],
};

export interface CsvFolderSourceOptions {
  /** 'reject' (default): a file with issues is a DataQualityError; 'flag': returned with `issues`. */
  readonly onIssue?: IssuePolicy;
  readonly validation?: Omit<PriceValidationOptions, 'allowEmpty'>;
}

export function createCsvFolderSource(folder: string, options: CsvFolderSourceOptions = {}): PriceSource {
  return {
    name: 'csv',
    async fetchPrices(symbol: string, range: DateRange = {}): Promise<PriceHistory> {
      const files = await readdir(folder).catch((error: unknown) => {
        throw new NotFoundError(`csv: cannot read folder ${folder}`, { cause: error });
      });
      const file = files.find((name) => name.toLowerCase() === `${symbol.toLowerCase()}.csv`);
      if (file === undefined) throw new NotFoundError(`csv: no file ${symbol}.csv in ${folder}`, { details: { symbol, folder } });
      // The whole file is validated, so that a problem outside the requested range is not hidden by the slicing.
      const parsed = parsePriceCsv(symbol, await readFile(join(folder, file), 'utf8'), file);
      const checked = enforcePriceValidation({ bars: parsed, splits: [], dividends: [] }, options.onIssue ?? 'reject', options.validation);
      const bars = checked.bars;
      const from = range.from ?? Number.NEGATIVE_INFINITY;
      const to = range.to ?? Number.POSITIVE_INFINITY;
      const start = bars.dates.findIndex((day) => day >= from);
      let end = bars.dates.length;
      while (end > 0 && bars.dates[end - 1]! > to) end--;
      const first = start < 0 ? end : start;
      return {
        bars: createBars({
          symbol,
          dates: bars.dates.subarray(first, end),
          open: bars.open.subarray(first, end),
          high: bars.high.subarray(first, end),
          low: bars.low.subarray(first, end),
          close: bars.close.subarray(first, end),
          adjustedClose: bars.adjustedClose.subarray(first, end),
          volume: bars.volume.subarray(first, end),
        }),
        splits: [],
        dividends: [],
        ...(checked.issues === undefined ? {} : { issues: checked.issues }),
      };
    },
  };
}

/** Parses one price CSV (see createCsvFolderSource); `label` names the file in errors. Checks the format, not the values. */
export function parsePriceCsv(symbol: string, text: string, label: string) {
  const lines = text.split(/\r?\n/);
  const header = parseCsvLine(lines[0] ?? '').map((name) => name.trim().toLowerCase());
  const position = (field: string): number => header.findIndex((name) => COLUMN_NAMES[field]!.includes(name));
  const columns = Object.fromEntries(Object.keys(COLUMN_NAMES).map((field) => [field, position(field)])) as Record<string, number>;
  for (const field of ['date', 'open', 'high', 'low', 'close', 'volume']) {
    if (columns[field]! < 0) {
      throw new FormatError(`${label} line 1: no ${field} column (the header has: ${header.join(', ') || 'nothing'})`, { details: { file: label, line: 1 } });
    }
  }
  const dates: number[] = [];
  const values: Record<string, number[]> = { open: [], high: [], low: [], close: [], adjustedClose: [], volume: [] };
  for (let index = 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '') continue;
    const fields = parseCsvLine(line).map((field) => field.trim());
    const lineNumber = index + 1;
    const dateText = fields[columns['date']!] ?? '';
    let day: number;
    try {
      day = isoToDay(dateText.slice(0, 10));
    } catch (error) {
      throw new FormatError(`${label} line ${lineNumber}: the date ${JSON.stringify(dateText)} is not YYYY-MM-DD`, { cause: error, details: { file: label, line: lineNumber } });
    }
    dates.push(day);
    for (const field of ['open', 'high', 'low', 'close', 'adjustedClose', 'volume']) {
      const at = columns[field]!;
      const source = at < 0 ? columns['close']! : at;
      const raw = fields[source];
      const number = raw === undefined || raw === '' ? Number.NaN : Number(raw);
      if (!Number.isFinite(number)) {
        throw new FormatError(`${label} line ${lineNumber}: ${field} is not a number: ${JSON.stringify(raw ?? '')}`, { details: { file: label, line: lineNumber } });
      }
      values[field]!.push(number);
    }
  }
  if (dates.length === 0) throw new FormatError(`${label}: no data rows`, { details: { file: label } });
  return createBars({ symbol, dates, open: values['open']!, high: values['high']!, low: values['low']!, close: values['close']!, adjustedClose: values['adjustedClose']!, volume: values['volume']! });
}
