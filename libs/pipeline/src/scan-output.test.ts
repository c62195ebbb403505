import { describe, expect, it } from 'vitest';
import { BUY, HOLD, SELL } from '@quant/core';
import { parseCsvLine, rankRows, scanCsv, signalOf, summariseSectors, unscoredCsv, type ScanRow } from './scan-output.js';

function row(symbol: string, signal: ScanRow['signal'], pSell: number, pHold: number, pBuy: number, sector: string | null = 'Energy'): Omit<ScanRow, 'rank'> {
  return {
    symbol,
    sector,
    signal,
    options: signal === 'BUY' ? 'CALLS' : signal === 'SELL' ? 'PUTS' : null,
    pSell,
    pHold,
    pBuy,
    confidence: Math.max(pSell, pHold, pBuy),
    barDate: '2021-05-14',
    close: 10,
    return20d: 0.01,
    topFeatures: [],
  };
}

describe('signalOf', () => {
  it('follows the backtest rule, ties included', () => {
    expect(signalOf(0.2, 0.3, 0.5)).toBe(BUY);
    expect(signalOf(0.5, 0.3, 0.2)).toBe(SELL);
    expect(signalOf(0.2, 0.6, 0.2)).toBe(HOLD);
    // BUY wins a tie with SELL; a tie with HOLD stays HOLD.
    expect(signalOf(0.4, 0.2, 0.4)).toBe(BUY);
    expect(signalOf(0.2, 0.4, 0.4)).toBe(HOLD);
    expect(signalOf(0.4, 0.4, 0.2)).toBe(HOLD);
  });
});

describe('rankRows', () => {
  it('puts BUY by P(BUY), then SELL by P(SELL), then HOLD by the stronger side, ties by symbol', () => {
    const ranked = rankRows([
      row('H1', 'HOLD', 0.1, 0.8, 0.1),
      row('S1', 'SELL', 0.5, 0.3, 0.2),
      row('B1', 'BUY', 0.2, 0.3, 0.5),
      row('H2', 'HOLD', 0.35, 0.4, 0.25),
      row('B2', 'BUY', 0.1, 0.2, 0.7),
      row('S2', 'SELL', 0.7, 0.2, 0.1),
      row('B0', 'BUY', 0.2, 0.3, 0.5),
    ]);
    expect(ranked.map((entry) => entry.symbol)).toEqual(['B2', 'B0', 'B1', 'S2', 'S1', 'H2', 'H1']);
    expect(ranked.map((entry) => entry.rank)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('CSV', () => {
  it('writes numbers that read back exactly and quotes fields with commas or quotes', () => {
    const [ranked] = rankRows([{ ...row('AAPL', 'BUY', 0.1, 0.2, 0.7, 'Tech, "Hardware"'), pBuy: 1 / 3, topFeatures: [{ feature: 'rsi_14', value: 55.5, shap: -0.012345678901234 }] }]);
    const lines = scanCsv([ranked!]).trimEnd().split('\n');
    const fields = parseCsvLine(lines[1]!);
    expect(fields[2]).toBe('Tech, "Hardware"');
    expect(Number(fields[5])).toBe(1 / 3);
    expect(fields[12]).toBe('rsi_14');
    expect(Number(fields[13])).toBe(-0.012345678901234);
    expect(fields[14]).toBe('');
    const unscored = unscoredCsv([{ symbol: 'X', sector: null, reason: 'stale', detail: 'last bar "old", really', lastBar: '2020-01-02' }]).trimEnd().split('\n');
    expect(parseCsvLine(unscored[1]!)).toEqual(['X', '', 'stale', 'last bar "old", really', '2020-01-02']);
  });
});

describe('summariseSectors', () => {
  it('counts signals and averages probabilities and returns per sector, unclassified symbols apart', () => {
    const sectors = summariseSectors(
      rankRows([
        { ...row('A', 'BUY', 0.1, 0.2, 0.7), return20d: 0.1 },
        { ...row('B', 'SELL', 0.6, 0.3, 0.1), return20d: -0.2 },
        { ...row('C', 'HOLD', 0.2, 0.6, 0.2, null), return20d: null },
      ]),
    );
    expect(sectors.map(({ sector, symbols, buy, hold, sell }) => ({ sector, symbols, buy, hold, sell }))).toEqual([
      { sector: 'Energy', symbols: 2, buy: 1, hold: 0, sell: 1 },
      { sector: 'Unclassified', symbols: 1, buy: 0, hold: 1, sell: 0 },
    ]);
    expect(sectors[0]!.meanPBuy).toBeCloseTo(0.4, 12);
    expect(sectors[0]!.meanPSell).toBeCloseTo(0.35, 12);
    expect(sectors[0]!.return20d).toBeCloseTo(-0.05, 12);
    expect(sectors[1]!.meanPBuy).toBeCloseTo(0.2, 12);
    expect(sectors[1]!.return20d).toBeNull();
  });
});
