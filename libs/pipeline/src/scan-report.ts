/** Plain-ASCII text of a scan: the ranked table, unscored symbols, sectors, drift, feature store, files and times. */
import type { ScanResult } from './scan.js';
import { formatDriftSummary, formatScanTable, formatSectorTable, formatUnscored } from './scan-output.js';

export interface ScanReportOptions {
  /** Rows of the ranked table to show (default all). */
  readonly limit?: number;
}

export function formatScanReport(result: ScanResult, options: ScanReportOptions = {}): string {
  const count = (signal: string) => result.rows.filter((row) => row.signal === signal).length;
  const lines: string[] = [];
  lines.push('');
  lines.push(
    `Scan of ${result.universe} as of ${result.asOf} (${result.source} prices) with ${result.modelId}: ` +
      `${result.rows.length} of ${result.requested} symbols ranked, ${result.unscored.length} not scored; ` +
      `BUY ${count('BUY')} (calls), SELL ${count('SELL')} (puts), HOLD ${count('HOLD')}`,
  );
  lines.push(
    result.explainer === null
      ? 'No tree model to explain the scores with (the model file names no explainer).'
      : `Top features: TreeSHAP of ${result.explainer}${result.explainer === result.model ? '' : ` (the ${result.model}'s tree base model)`}, contribution to the signal's class.`,
  );
  lines.push('');
  lines.push(result.rows.length === 0 ? 'No symbol could be scored.' : formatScanTable(result.rows, options.limit === undefined ? {} : { limit: options.limit }));
  if (result.unscored.length > 0) {
    lines.push('');
    lines.push(`Not scored (${result.unscored.length}):`);
    lines.push(formatUnscored(result.unscored));
  }
  if (result.sectors.length > 0) {
    lines.push('');
    lines.push('By sector');
    lines.push(formatSectorTable(result.sectors));
  }
  lines.push('');
  lines.push(formatDriftSummary(result.drift.summary));
  const store = result.featureStore;
  lines.push('');
  lines.push(`Features: ${store.stored} symbols from the store, ${store.streamed} streamed, ${store.computed} computed (${store.computedBars} bars); ${store.written} blocks stored`);
  lines.push(`Files: ${result.files.csv}, ${result.files.json}, ${result.files.unscoredCsv}`);
  lines.push(`Phases: ${Object.entries(result.phaseSeconds).map(([phase, seconds]) => `${phase} ${seconds.toFixed(2)}s`).join(', ')}`);
  return lines.join('\n');
}
