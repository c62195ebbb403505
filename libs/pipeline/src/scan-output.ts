/**
 * What a scan produces, in the forms it is read: the ranked rows and the unscored symbols, the sector summary, CSV
 * and JSON files, and the plain-ASCII terminal table.
 *
 * Signal rule (the trainer's backtest uses the same): BUY when P(BUY) > P(HOLD) and P(BUY) >= P(SELL); SELL when
 * P(SELL) > P(HOLD) and P(SELL) > P(BUY); HOLD otherwise. Options traders read BUY as calls and SELL as puts.
 *
 * Ranking: BUY signals by P(BUY) descending, then SELL signals by P(SELL) descending, then HOLD by the stronger of
 * P(BUY) and P(SELL) descending (the holds closest to becoming a signal first); ties by symbol.
 */
import { BUY, HOLD, SELL, formatCsvLine, parseCsvLine, type Label, type LabelCode } from '@quant/core';
import type { DriftResult } from './drift.js';
import type { TopFeature } from './scan-explain.js';

export type OptionsSide = 'CALLS' | 'PUTS';

/** One scored symbol. */
export interface ScanRow {
  /** 1 = the strongest signal. */
  readonly rank: number;
  readonly symbol: string;
  readonly sector: string | null;
  readonly signal: Label;
  /** Calls for BUY, puts for SELL, null for HOLD. */
  readonly options: OptionsSide | null;
  readonly pBuy: number;
  readonly pHold: number;
  readonly pSell: number;
  /** Probability of the signal's class. */
  readonly confidence: number;
  /** ISO date of the bar the features describe (the as-of day, or up to 5 trading days before it). */
  readonly barDate: string;
  readonly close: number;
  /** Return over the last 20 trading days (adjusted closes); null with fewer bars. */
  readonly return20d: number | null;
  /** Features that drove the signal most (TreeSHAP of the explainer, signal's class). */
  readonly topFeatures: readonly TopFeature[];
}

export type UnscoredReason = 'insufficient-history' | 'stale' | 'download-failed' | 'data-quality' | 'not-found';

/** A symbol that could not be scored, and why. */
export interface UnscoredSymbol {
  readonly symbol: string;
  readonly sector: string | null;
  readonly reason: UnscoredReason;
  readonly detail: string;
  /** ISO date of its last bar on or before the as-of day, when it has one. */
  readonly lastBar: string | null;
}

export interface SectorSummary {
  readonly sector: string;
  readonly symbols: number;
  readonly buy: number;
  readonly hold: number;
  readonly sell: number;
  readonly meanPBuy: number;
  readonly meanPSell: number;
  /** Mean 20-day return of the sector's scored symbols; null when none has 21 bars. */
  readonly return20d: number | null;
}

export interface DriftSummary {
  readonly features: number;
  readonly stable: number;
  readonly warning: number;
  readonly drift: number;
  /** Features whose drift counts for the alert (calendar features are known in advance and left out). */
  readonly watched: number;
  readonly watchedDrifting: number;
  /** True when at least DRIFT_ALERT_SHARE of the watched features drift. */
  readonly alert: boolean;
  /** Symbols and rows the recent distribution came from. */
  readonly symbols: number;
  readonly rows: number;
  /** Largest PSI first. */
  readonly worst: readonly DriftResult[];
}

/** Sector name for symbols without one. */
export const UNCLASSIFIED_SECTOR = 'Unclassified';
/** Share of watched features in drift (PSI > 0.25) from which the summary warns. */
export const DRIFT_ALERT_SHARE = 0.25;

/** The signal of a probability row (see the module comment). */
export function signalOf(pSell: number, pHold: number, pBuy: number): LabelCode {
  if (pBuy > pHold && pBuy >= pSell) return BUY;
  if (pSell > pHold && pSell > pBuy) return SELL;
  return HOLD;
}

export function optionsSide(signal: Label): OptionsSide | null {
  return signal === 'BUY' ? 'CALLS' : signal === 'SELL' ? 'PUTS' : null;
}

/** Sorts unranked rows by the ranking rule and numbers them from 1. */
export function rankRows(rows: readonly Omit<ScanRow, 'rank'>[]): ScanRow[] {
  const group = (row: Omit<ScanRow, 'rank'>) => (row.signal === 'BUY' ? 0 : row.signal === 'SELL' ? 1 : 2);
  const strength = (row: Omit<ScanRow, 'rank'>) => (row.signal === 'BUY' ? row.pBuy : row.signal === 'SELL' ? row.pSell : Math.max(row.pBuy, row.pSell));
  return [...rows]
    .sort((a, b) => group(a) - group(b) || strength(b) - strength(a) || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    .map((row, index) => ({ ...row, rank: index + 1 }));
}

/** Per-sector counts, mean probabilities and mean 20-day return, sectors in alphabetical order. */
export function summariseSectors(rows: readonly ScanRow[]): SectorSummary[] {
  const bySector = new Map<string, ScanRow[]>();
  for (const row of rows) {
    const sector = row.sector ?? UNCLASSIFIED_SECTOR;
    const members = bySector.get(sector) ?? [];
    members.push(row);
    bySector.set(sector, members);
  }
  return [...bySector.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([sector, members]) => {
      const returns = members.map((row) => row.return20d).filter((value): value is number => value !== null);
      const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      return {
        sector,
        symbols: members.length,
        buy: members.filter((row) => row.signal === 'BUY').length,
        hold: members.filter((row) => row.signal === 'HOLD').length,
        sell: members.filter((row) => row.signal === 'SELL').length,
        meanPBuy: mean(members.map((row) => row.pBuy)),
        meanPSell: mean(members.map((row) => row.pSell)),
        return20d: returns.length === 0 ? null : mean(returns),
      };
    });
}

export const SCAN_CSV_HEADER = [
  'rank', 'symbol', 'sector', 'signal', 'options', 'p_buy', 'p_hold', 'p_sell', 'confidence', 'bar_date', 'close', 'return_20d',
  'feature_1', 'shap_1', 'feature_2', 'shap_2', 'feature_3', 'shap_3',
] as const;

/** The ranked rows as CSV (numbers in shortest round-trip form, so they read back exactly). */
export function scanCsv(rows: readonly ScanRow[]): string {
  const lines = [SCAN_CSV_HEADER.join(',')];
  for (const row of rows) {
    const features: (string | number | null)[] = [];
    for (let index = 0; index < 3; index++) {
      const entry = row.topFeatures[index];
      features.push(entry?.feature ?? null, entry?.shap ?? null);
    }
    lines.push(formatCsvLine([row.rank, row.symbol, row.sector, row.signal, row.options, row.pBuy, row.pHold, row.pSell, row.confidence, row.barDate, row.close, row.return20d, ...features]));
  }
  return `${lines.join('\n')}\n`;
}

export const UNSCORED_CSV_HEADER = ['symbol', 'sector', 'reason', 'detail', 'last_bar'] as const;

export function unscoredCsv(unscored: readonly UnscoredSymbol[]): string {
  const lines = [UNSCORED_CSV_HEADER.join(',')];
  for (const entry of unscored) lines.push(formatCsvLine([entry.symbol, entry.sector, entry.reason, entry.detail, entry.lastBar]));
  return `${lines.join('\n')}\n`;
}

/** Reads one CSV line written by `scanCsv` / `unscoredCsv` (RFC 4180, see @quant/core). */
export { parseCsvLine };

const fixed = (value: number | null, digits: number) => (value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits));
const percent = (value: number | null) => (value === null || !Number.isFinite(value) ? 'n/a' : `${value >= 0 ? '+' : ''}${(value * 100).toFixed(1)}%`);

function table(header: readonly string[], rows: readonly (readonly string[])[], leftColumns: ReadonlySet<number>): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : leftColumns.has(column) ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** A top feature as text: name and signed SHAP contribution. */
function featureText(entry: TopFeature): string {
  return `${entry.feature} ${entry.shap >= 0 ? '+' : ''}${entry.shap.toFixed(3)}`;
}

/** The ranked table, plain ASCII; `limit` rows (default all). */
export function formatScanTable(rows: readonly ScanRow[], options: { limit?: number } = {}): string {
  const shown = rows.slice(0, options.limit ?? rows.length);
  const lines = table(
    ['rank', 'symbol', 'sector', 'signal', 'options', 'P(BUY)', 'P(SELL)', 'conf.', '20d ret', 'top features (SHAP toward the signal)'],
    shown.map((row) => [
      String(row.rank),
      row.symbol,
      row.sector ?? UNCLASSIFIED_SECTOR,
      row.signal,
      row.options ?? '-',
      fixed(row.pBuy, 3),
      fixed(row.pSell, 3),
      fixed(row.confidence, 3),
      percent(row.return20d),
      row.topFeatures.length === 0 ? '-' : row.topFeatures.map(featureText).join(', '),
    ]),
    new Set([1, 2, 3, 4]),
  );
  if (shown.length < rows.length) lines.push(`... ${rows.length - shown.length} more rows in the CSV and JSON files`);
  return lines.join('\n');
}

export function formatSectorTable(sectors: readonly SectorSummary[]): string {
  return table(
    ['sector', 'symbols', 'BUY', 'HOLD', 'SELL', 'mean P(BUY)', 'mean P(SELL)', '20d return'],
    sectors.map((sector) => [
      sector.sector,
      String(sector.symbols),
      String(sector.buy),
      String(sector.hold),
      String(sector.sell),
      fixed(sector.meanPBuy, 3),
      fixed(sector.meanPSell, 3),
      percent(sector.return20d),
    ]),
    new Set([0]),
  ).join('\n');
}

const REASON_TEXT: Readonly<Record<UnscoredReason, string>> = {
  'insufficient-history': 'too little history for the feature warm-up',
  stale: 'stale data',
  'download-failed': 'download failed',
  'data-quality': 'data quality error',
  'not-found': 'not found',
};

export function formatUnscored(unscored: readonly UnscoredSymbol[]): string {
  const lines: string[] = [];
  for (const reason of Object.keys(REASON_TEXT) as UnscoredReason[]) {
    const entries = unscored.filter((entry) => entry.reason === reason);
    if (entries.length === 0) continue;
    lines.push(`  ${REASON_TEXT[reason]} (${entries.length}):`);
    // Details can be long (a data-quality error lists the bad bars); the files keep them whole.
    for (const entry of entries) lines.push(`    ${entry.symbol.padEnd(6)} ${entry.detail.length > 150 ? `${entry.detail.slice(0, 147)}...` : entry.detail}`);
  }
  return lines.join('\n');
}

export function formatDriftSummary(summary: DriftSummary): string {
  const lines = [
    `Drift of ${summary.features} features (last ${summary.rows} rows of ${summary.symbols} symbols against the training distribution; PSI > 0.25 drift, 0.1-0.25 warning): ` +
      `${summary.stable} stable, ${summary.warning} warning, ${summary.drift} drift`,
  ];
  if (summary.worst.length > 0) {
    lines.push(`  largest PSI: ${summary.worst.map((result) => `${result.feature} ${result.psi.toFixed(2)}`).join(', ')}`);
  }
  if (summary.alert) {
    lines.push(
      `  WARNING: ${summary.watchedDrifting} of ${summary.watched} non-calendar features drift (${Math.round((100 * summary.watchedDrifting) / summary.watched)}%): ` +
        'the model is scoring data unlike what it learned from; treat its signals with caution and consider retraining.',
    );
  }
  return lines.join('\n');
}
