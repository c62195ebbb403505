import { readFileSync, readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataQualityError, GICS_SECTORS, NotFoundError, dayToIso, type BarIssue } from '@quant/core';
import { getSymbolInfo, getUniverse, listDatasets, listSymbols, listUniverses, loadBars, loadUniverse } from './index.js';

const fixture = (name: string) => new URL(`./__fixtures__/${name}`, import.meta.url);

/** Parses a source CSV independently of the build script: header names mapped case-insensitively. */
function readSourceCsv(name: string) {
  const [header, ...lines] = readFileSync(fixture(name), 'utf8').trim().split('\n');
  const names = header!.toLowerCase().split(',');
  const column = (field: string) => names.indexOf(field);
  return lines.map((line) => {
    const fields = line.split(',');
    const value = (field: string) => Number.parseFloat(fields[column(field)]!);
    return {
      date: fields[column('date')]!,
      open: value('open'),
      high: value('high'),
      low: value('low'),
      close: value('close'),
      adjustedClose: column('adj close') >= 0 ? value('adj close') : value('close'),
      volume: value('volume'),
    };
  });
}

function expectSameAsSource(symbol: string, dataset: 'sp500' | 'allcap' | 'etf', file: string) {
  const bars = loadBars(symbol, { dataset });
  const source = readSourceCsv(file);
  expect(bars.dates.length).toBe(source.length);
  source.forEach((row, index) => {
    expect(dayToIso(bars.dates[index]!)).toBe(row.date);
    // Exact equality: the embedded encoding is lossless with respect to the source text.
    expect(bars.open[index]).toBe(row.open);
    expect(bars.high[index]).toBe(row.high);
    expect(bars.low[index]).toBe(row.low);
    expect(bars.close[index]).toBe(row.close);
    expect(bars.adjustedClose[index]).toBe(row.adjustedClose);
    expect(bars.volume[index]).toBe(row.volume);
  });
  return bars;
}

describe('loadBars', () => {
  it('returns the 1,259 AAPL bars from 2016-05-16 to 2021-05-14, equal to the source CSV', () => {
    const bars = expectSameAsSource('AAPL', 'sp500', 'AAPL_data.csv');
    expect(bars.dates.length).toBe(1259);
    expect(dayToIso(bars.dates[0]!)).toBe('2016-05-16');
    expect(dayToIso(bars.dates[1258]!)).toBe('2021-05-14');
    expect(bars.close[0]).toBe(23.47);
    expect(bars.adjustedClose[0]).toBe(21.925322);
    expect(bars.volume[0]).toBe(245039200);
    // Default dataset order: AAPL comes from sp500.
    expect(loadBars('AAPL').dates.length).toBe(1259);
  });

  it('reads the allcap and ETF files exactly too (adjusted close equals close there)', () => {
    const aeo = expectSameAsSource('AEO', 'allcap', 'aeo.us.txt');
    expect(Array.from(aeo.adjustedClose)).toEqual(Array.from(aeo.close));
    expectSameAsSource('XLK', 'etf', 'xlk.us.txt');
  });

  it('gives metadata: GICS sector, cap tier, CIK', () => {
    expect(getSymbolInfo('AAPL')).toMatchObject({
      symbol: 'AAPL',
      name: 'Apple Inc.',
      kind: 'stock',
      sector: 'Information Technology',
      capTier: 'large',
      cik: '0000320193',
      dataset: 'sp500',
      rows: 1259,
      first: '2016-05-16',
      last: '2021-05-14',
    });
    expect(getSymbolInfo('AEO')).toMatchObject({ capTier: 'mid', sector: 'Consumer Discretionary', dataset: 'allcap' });
    expect(getSymbolInfo('XLE')).toMatchObject({ kind: 'etf', sector: 'Energy', capTier: null });
  });

  it('reports bars that fail the data checks with symbol and date, and never fixes them', () => {
    expect(() => loadBars('PXD', { dataset: 'allcap' })).toThrowError(DataQualityError);
    expect(() => loadBars('PXD', { dataset: 'allcap' })).toThrowError(/PXD 2013-01-02: high 10\.98 is below low 107\.02/);
    const issues: BarIssue[] = [];
    const bars = loadBars('PXD', { dataset: 'allcap', onIssue: (issue) => issues.push(issue) });
    expect(issues.map((issue) => `${issue.date} ${issue.kind}`)).toEqual([
      '2013-01-02 high-below-low',
      '2013-01-02 high-below-open-or-close',
      '2013-08-05 low-above-open-or-close',
      '2014-01-22 low-above-open-or-close',
    ]);
    expect(bars.high[issues[0]!.row]).toBe(10.98);
    expect(getSymbolInfo('PXD', { dataset: 'allcap' }).knownIssues).toBe(4);
  });

  it('names unknown symbols and datasets', () => {
    expect(() => loadBars('NOPE')).toThrowError(NotFoundError);
    expect(() => loadBars('NOPE')).toThrowError(/"NOPE" is not in the embedded datasets/);
    expect(() => loadBars('AAPL', { dataset: 'etf' })).toThrowError(/not in the embedded etf dataset/);
    expect(() => loadBars('AAPL', { dataset: 'nasdaq' as never })).toThrowError(/unknown dataset "nasdaq"/);
  });
});

describe('universes', () => {
  it('lists the datasets with provenance', () => {
    expect(listDatasets().map((dataset) => [dataset.id, dataset.symbolCount, dataset.start, dataset.end])).toEqual([
      ['sp500', 470, '2016-05-16', '2021-05-14'],
      ['allcap', 150, '2012-11-12', '2017-11-10'],
      ['etf', 17, '1999-03-10', '2017-11-10'],
    ]);
    expect(listUniverses()).toEqual(expect.arrayContaining(['core', 'sp500']));
  });

  it('CORE has 82 stocks: every GICS sector, each with large, mid and small caps, all with a full clean history', () => {
    const core = getUniverse('core');
    expect(core.dataset).toBe('allcap');
    expect(core.symbols).toHaveLength(82);
    const infos = core.symbols.map((symbol) => getSymbolInfo(symbol, { dataset: 'allcap' }));
    for (const sector of GICS_SECTORS) {
      const tiers = new Set(infos.filter((info) => info.sector === sector).map((info) => info.capTier));
      expect([sector, [...tiers].sort()]).toEqual([sector, ['large', 'mid', 'small']]);
    }
    for (const info of infos) {
      expect([info.symbol, info.first, info.last, info.knownIssues]).toEqual([info.symbol, '2012-11-12', '2017-11-10', 0]);
    }
  });

  it('sp500 holds 470 symbols; loading it lists the symbols that fail data checks instead of dropping them silently', () => {
    expect(listSymbols('sp500')).toHaveLength(470);
    const loaded = loadUniverse('sp500');
    expect(loaded.bars.length + loaded.rejected.length).toBe(470);
    expect(loaded.rejected.map((item) => item.symbol)).toEqual(['ANDV', 'COL', 'SCG']);
    expect(loaded.rejected[0]!.reason).toMatch(/ANDV 2018-09-20: high 153\.58 is below max/);
    expect(loaded.bars.reduce((sum, bars) => sum + bars.dates.length, 0) + loaded.rejected.length).toBeGreaterThan(570_000);
    const kept = loadUniverse('sp500', { keepInvalid: true });
    expect(kept.bars).toHaveLength(470);
    expect(kept.bars.reduce((sum, bars) => sum + bars.dates.length, 0)).toBe(578_223);
  });

  it('loads every symbol of every dataset in under 1 second', () => {
    // The fastest of three loads: a budget check must not fail because another process held the CPU for a moment
    // (CI runs two test tasks at once on two cores).
    let fastest = Number.POSITIVE_INFINITY;
    let rows = 0;
    for (let repetition = 0; repetition < 3; repetition++) {
      const started = performance.now();
      rows = 0;
      for (const universe of ['sp500', 'allcap', 'etf'] as const) {
        rows += loadUniverse(universe, { keepInvalid: true }).bars.reduce((sum, bars) => sum + bars.dates.length, 0);
      }
      fastest = Math.min(fastest, performance.now() - started);
    }
    expect(rows).toBeGreaterThan(578_223 + 180_000);
    expect(fastest).toBeLessThan(1000);
  });

  it('stays within its 15 MB size budget', () => {
    const directory = new URL('./data/', import.meta.url);
    const bytes = readdirSync(directory).reduce((sum, name) => sum + statSync(new URL(name, directory)).size, 0);
    expect(bytes).toBeLessThan(15 * 1024 * 1024);
  });
});
