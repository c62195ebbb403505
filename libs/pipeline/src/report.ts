/** Plain-ASCII text of a training result: the evaluation table, backtest, SHAP, promotion and phase times. */
import type { TrainResult } from './train.js';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

const fixed = (value: number | null | undefined, digits = 3) => (value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits));
const percent = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? 'n/a' : `${(value * 100).toFixed(1)}%`);

export function formatTrainSummary(result: TrainResult): string {
  const order = { stack: 0, base: 1, baseline: 2 } as const;
  const models = [...result.models].sort((a, b) => order[a.role] - order[b.role] || b.mean.macroF1 - a.mean.macroF1);
  const lines: string[] = [];
  lines.push('');
  lines.push(`Walk-forward evaluation (${result.folds.length} folds, mean over test blocks; ${result.samples} samples, ${result.symbols.completed} symbols)`);
  lines.push(
    table(
      ['model', 'role', 'macro-F1', 'log loss', 'accuracy', 'bal. acc.', 'top-10% BUY prec.', 'train s'],
      models.map((model) => [
        model.name,
        model.role,
        fixed(model.mean.macroF1),
        fixed(model.mean.logLoss),
        fixed(model.mean.accuracy),
        fixed(model.mean.balancedAccuracy),
        percent(model.mean.topDecileBuyPrecision),
        model.trainSeconds.toFixed(1),
      ]),
    ),
  );
  const backtest = result.backtest as Record<string, number | null>;
  lines.push('');
  lines.push('Backtest of the stack\'s signals on the test blocks (same exits as the labels, costs included)');
  lines.push(
    `  trades ${backtest['trades']}, win rate ${percent(backtest['winRate'])}, average win ${percent(backtest['averageWin'])}, ` +
      `average loss ${percent(backtest['averageLoss'])}, profit factor ${fixed(backtest['profitFactor'], 2)}, Sharpe ${fixed(backtest['sharpe'], 2)}, ` +
      `max drawdown ${percent(backtest['maxDrawdown'])}, total ${percent(backtest['totalReturn'])} vs buy-and-hold ${percent(backtest['benchmarkReturn'])}`,
  );
  if (result.shap !== null) {
    lines.push('');
    lines.push(`SHAP importances of ${result.shap.model} (${result.shap.note}; mean |SHAP| over the ${result.shap.rows} most recent samples)`);
    const top = result.shap.byClass.ALL.slice(0, 10);
    lines.push(top.map((entry, rank) => `  ${String(rank + 1).padStart(2)}. ${entry.feature.padEnd(32)} ${entry.meanAbsShap.toFixed(4)}`).join('\n'));
    for (const klass of ['BUY', 'SELL'] as const) {
      lines.push(`  top for ${klass}: ${result.shap.byClass[klass].slice(0, 5).map((entry) => entry.feature).join(', ')}`);
    }
  }
  lines.push('');
  lines.push('Promotion gate (must beat both baselines on macro-F1 and log loss)');
  for (const verdict of result.promotion.verdicts) {
    lines.push(`  ${verdict.promoted ? 'PROMOTED ' : 'rejected '} ${verdict.model}: ${verdict.reasons.join('; ')}`);
  }
  lines.push(result.promotion.promoted === null ? '  No model promoted: the scanner keeps the previously promoted model.' : `  Model file: ${result.promotion.artifactPath}`);
  if (result.symbols.failed.length > 0) {
    lines.push('');
    lines.push(`Failed symbols (${result.symbols.failed.length}):`);
    for (const failure of result.symbols.failed) lines.push(`  ${failure.symbol}: ${failure.code} ${failure.reason}`);
  }
  lines.push('');
  lines.push(`Phases: ${Object.entries(result.phaseSeconds).map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)}s`).join(', ')}`);
  lines.push(`Results: ${result.resultsPath}`);
  return lines.join('\n');
}
