/**
 * Real adjusted closes of 12 stocks (see README.md) and a small labelled feature matrix built from them, for tests.
 * Test-only (excluded from the build).
 */
import { readFileSync } from 'node:fs';
import { BUY, HOLD, NO_LABEL, SELL, createFeatureMatrix, isoToDay, type FeatureMatrix } from '@quant/core';

export interface ClosesFixture {
  readonly symbols: string[];
  /** Per symbol: its trading days and adjusted closes (days without a bar left out). */
  readonly series: { symbol: string; days: Int32Array; adjustedClose: Float64Array }[];
}

export function loadCloses(): ClosesFixture {
  const text = readFileSync(new URL('./adjusted-closes.csv', import.meta.url), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  const symbols = header!.split(',').slice(1);
  const days = symbols.map(() => [] as number[]);
  const closes = symbols.map(() => [] as number[]);
  for (const line of lines) {
    const cells = line.split(',');
    const day = isoToDay(cells[0]!);
    symbols.forEach((_, index) => {
      const cell = cells[index + 1];
      if (cell === undefined || cell === '') return;
      days[index]!.push(day);
      closes[index]!.push(Number(cell));
    });
  }
  return {
    symbols,
    series: symbols.map((symbol, index) => ({ symbol, days: Int32Array.from(days[index]!), adjustedClose: Float64Array.from(closes[index]!) })),
  };
}

/** The 14-day +10% / -5% triple-barrier rule, written out here because tests of this library may not import @quant/features. */
export function barrierLabels(closes: Float64Array, holdDays = 14, target = 0.1, stop = 0.05): Int8Array {
  const labels = new Int8Array(closes.length).fill(NO_LABEL);
  for (let day = 0; day + holdDays < closes.length; day++) {
    let label: number = HOLD;
    for (let ahead = 1; ahead <= holdDays; ahead++) {
      const change = closes[day + ahead]! / closes[day]! - 1;
      if (change <= -stop) {
        label = SELL;
        break;
      }
      if (change >= target) {
        label = BUY;
        break;
      }
    }
    labels[day] = label;
  }
  return labels;
}

export interface LabelledSample {
  readonly X: FeatureMatrix;
  readonly y: Int8Array;
  /** For each row, its row in the symbol's series. */
  readonly seriesRows: Int32Array;
  readonly fixture: ClosesFixture;
}

/**
 * Four features per (symbol, day) from past closes only: 20-day volatility of log returns, 5- and 20-day returns,
 * distance from the 60-day high. Rows from day 60 of each symbol to its last labelled day, sorted by day then symbol.
 */
export function labelledSample(): LabelledSample {
  const fixture = loadCloses();
  const rows: { symbol: number; row: number; day: number; features: number[]; label: number }[] = [];
  fixture.series.forEach(({ days, adjustedClose }, symbol) => {
    const labels = barrierLabels(adjustedClose);
    for (let row = 60; row < adjustedClose.length; row++) {
      if (labels[row] === NO_LABEL) continue;
      let sum = 0;
      let squares = 0;
      for (let back = row - 19; back <= row; back++) {
        const change = Math.log(adjustedClose[back]! / adjustedClose[back - 1]!);
        sum += change;
        squares += change * change;
      }
      const volatility = Math.sqrt((squares - (sum * sum) / 20) / 19);
      let high = 0;
      for (let back = row - 59; back <= row; back++) high = Math.max(high, adjustedClose[back]!);
      const close = adjustedClose[row]!;
      rows.push({
        symbol,
        row,
        day: days[row]!,
        features: [volatility, close / adjustedClose[row - 5]! - 1, close / adjustedClose[row - 20]! - 1, close / high - 1],
        label: labels[row]!,
      });
    }
  });
  rows.sort((a, b) => a.day - b.day || a.symbol - b.symbol);
  const columns = ['volatility_20', 'return_5', 'return_20', 'distance_high_60'];
  const values = new Float64Array(rows.length * columns.length);
  rows.forEach((entry, row) => entry.features.forEach((value, column) => (values[column * rows.length + row] = value)));
  return {
    X: createFeatureMatrix({
      columns,
      values,
      symbols: fixture.symbols,
      rowSymbols: Int32Array.from(rows, (entry) => entry.symbol),
      rowDates: Int32Array.from(rows, (entry) => entry.day),
    }),
    y: Int8Array.from(rows, (entry) => entry.label),
    seriesRows: Int32Array.from(rows, (entry) => entry.row),
    fixture,
  };
}
