/**
 * From bars to a training set: features per symbol (Float32, the precision the feature store keeps, so a run that
 * reads features back from the store after a restart trains on exactly the same numbers as one that computed them),
 * labels by the triple-barrier rule, and the rows that become samples.
 *
 * Which rows are samples: a row needs a label (its next `holdDays` closes exist) and the end of the longest feature
 * warm-up (252 days for the 52-week features); then every `sampleStride`-th row is kept, counted from the first
 * usable one. Consecutive days share all but one of their label days, so neighbours add little information and
 * much time (the old system's 80/20 random split rewarded exactly that redundancy).
 */
import { InvalidArgumentError, NO_LABEL, createFeatureMatrix, type Bars, type FeatureMatrix } from '@quant/core';
import { TECHNICAL_FEATURES, tripleBarrierLabels } from '@quant/features';
import type { LabelSettings } from './options.js';

/** First row index at which every technical feature can be defined. */
export const FEATURE_WARMUP_ROWS = Math.max(...TECHNICAL_FEATURES.map((feature) => feature.warmup));

/** Features of one symbol over all its bars: column-major Float32, `dates.length` rows. */
export interface SymbolFeatures {
  readonly symbol: string;
  readonly dates: Int32Array;
  readonly columns: readonly string[];
  readonly values: Float32Array;
}

/** Rounds a computed feature matrix of one symbol to the stored precision. */
export function toSymbolFeatures(symbol: string, matrix: FeatureMatrix): SymbolFeatures {
  return { symbol, dates: Int32Array.from(matrix.rowDates), columns: matrix.columns, values: Float32Array.from(matrix.values) };
}

/** Rows of one symbol that become samples (indices into its bars), and their labels. */
export function sampleRows(
  adjustedClose: Float64Array,
  labels: LabelSettings,
  options: { sampleStride: number; warmupRows?: number },
): { rows: Int32Array; labels: Int8Array } {
  const all = tripleBarrierLabels(adjustedClose, labels);
  const start = options.warmupRows ?? FEATURE_WARMUP_ROWS;
  const rows: number[] = [];
  for (let row = start; row < all.length; row += options.sampleStride) {
    if (all[row] !== NO_LABEL) rows.push(row);
  }
  return { rows: Int32Array.from(rows), labels: Int8Array.from(rows, (row) => all[row]!) };
}

/** The samples of every symbol in one matrix, rows ordered by date and then by symbol order. */
export interface TrainingSet {
  readonly matrix: FeatureMatrix;
  readonly labels: Int8Array;
  /** For each sample, its row in its symbol's bars (for backtests). */
  readonly barRows: Int32Array;
}

export interface SymbolSamples {
  readonly features: SymbolFeatures;
  readonly rows: Int32Array;
  readonly labels: Int8Array;
}

export function assembleTrainingSet(samples: readonly SymbolSamples[]): TrainingSet {
  if (samples.length === 0) throw new InvalidArgumentError('no symbol has samples: nothing to train on');
  const columns = samples[0]!.features.columns;
  for (const { features } of samples) {
    if (features.columns.length !== columns.length || features.columns.some((name, index) => name !== columns[index])) {
      throw new InvalidArgumentError(`${features.symbol}: its feature columns differ from ${samples[0]!.features.symbol}'s`);
    }
  }
  const order: { symbol: number; position: number; day: number }[] = [];
  samples.forEach((sample, symbol) => {
    for (let position = 0; position < sample.rows.length; position++) order.push({ symbol, position, day: sample.features.dates[sample.rows[position]!]! });
  });
  order.sort((a, b) => a.day - b.day || a.symbol - b.symbol);
  const rowCount = order.length;
  const columnCount = columns.length;
  const values = new Float32Array(rowCount * columnCount);
  const labels = new Int8Array(rowCount);
  const rowDates = new Int32Array(rowCount);
  const rowSymbols = new Int32Array(rowCount);
  const barRows = new Int32Array(rowCount);
  for (let row = 0; row < rowCount; row++) {
    const { symbol, position, day } = order[row]!;
    const sample = samples[symbol]!;
    const source = sample.features.values;
    const sourceRows = sample.features.dates.length;
    const barRow = sample.rows[position]!;
    for (let column = 0; column < columnCount; column++) values[column * rowCount + row] = source[column * sourceRows + barRow]!;
    labels[row] = sample.labels[position]!;
    rowDates[row] = day;
    rowSymbols[row] = symbol;
    barRows[row] = barRow;
  }
  const matrix = createFeatureMatrix({ columns, values, symbols: samples.map((sample) => sample.features.symbol), rowSymbols, rowDates });
  return { matrix, labels, barRows };
}

/** Class counts of a label vector (SELL, HOLD, BUY). */
export function classCounts(labels: Int8Array): [number, number, number] {
  const counts: [number, number, number] = [0, 0, 0];
  for (const label of labels) if (label >= 0) counts[label as 0 | 1 | 2] += 1;
  return counts;
}

/** Bars of one symbol restricted to [from, to] (inclusive days; null for open ends). */
export function clipBars(bars: Bars, from: number | null, to: number | null): { start: number; end: number } {
  let start = 0;
  let end = bars.dates.length;
  if (from !== null) while (start < end && bars.dates[start]! < from) start++;
  if (to !== null) while (end > start && bars.dates[end - 1]! > to) end--;
  return { start, end };
}
