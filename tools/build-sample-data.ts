/**
 * Builds the embedded default dataset of @quant/sample-data from the recorded data in ../shared/data.
 *
 *   npx tsx tools/build-sample-data.ts [--source ../shared/data] [--check]
 *
 * Writes libs/sample-data/src/data/{sp500,allcap,etf}.bin (one Brotli block per symbol, see codec.ts) and
 * manifest.json (symbols, metadata, block offsets, universes, provenance). With --check it rebuilds in memory and
 * fails if the committed files differ, so the dataset can always be reproduced from its sources.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeCik, normalizeSector, isoToDay, inspectBars, createBars, type GicsSector, type CapTier } from '@quant/core';
// The builder writes the format that the package's internal codec reads, so it uses that codec directly.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { encodeSeries, PRICE_COLUMNS, CODEC_VERSION, type DecimalSeries, type PriceColumn } from '../libs/sample-data/src/codec.ts';
// eslint-disable-next-line @nx/enforce-module-boundaries
import type { ManifestSymbol } from '../libs/sample-data/src/manifest.ts';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outputDirectory = join(workspaceRoot, 'libs/sample-data/src/data');
const argv = process.argv.slice(2);
const sourceRoot = resolve(argv.includes('--source') ? argv[argv.indexOf('--source') + 1]! : join(workspaceRoot, '../shared/data'));
const checkOnly = argv.includes('--check');

type SymbolRecord = ManifestSymbol;

/** Minimal CSV line splitter with quotes (the metadata files quote names that contain commas). */
function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const character = line[index]!;
    if (quoted) {
      if (character === '"' && line[index + 1] === '"') {
        current += '"';
        index++;
      } else if (character === '"') quoted = false;
      else current += character;
    } else if (character === '"') quoted = true;
    else if (character === ',') {
      fields.push(current);
      current = '';
    } else current += character;
  }
  fields.push(current);
  return fields;
}

function readCsvRecords(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
  const names = splitCsvLine(header!);
  return lines.map((line) => {
    const fields = splitCsvLine(line);
    return Object.fromEntries(names.map((name, index) => [name, fields[index] ?? '']));
  });
}

/** Reads a price file into exact decimal text columns; header names are matched case-insensitively. */
function readPriceFile(path: string): DecimalSeries {
  const [header, ...lines] = readFileSync(path, 'utf8').split(/\r?\n/).filter((line) => line.length > 0);
  const names = header!.split(',').map((name) => name.trim().toLowerCase());
  const find = (...candidates: string[]): number => names.findIndex((name) => candidates.includes(name));
  const index = {
    date: find('date'),
    open: find('open'),
    high: find('high'),
    low: find('low'),
    close: find('close'),
    adjustedClose: find('adj close', 'adj_close', 'adjclose', 'adjusted close'),
    volume: find('volume'),
  };
  for (const [name, position] of Object.entries(index)) {
    if (position < 0 && name !== 'adjustedClose') throw new Error(`${path}: no ${name} column in header ${header}`);
  }
  const dates: number[] = [];
  const columns = Object.fromEntries(PRICE_COLUMNS.map((name) => [name, [] as string[]])) as Record<PriceColumn, string[]>;
  lines.forEach((line, lineIndex) => {
    const fields = line.split(',');
    const at = (position: number, name: string): string => {
      const value = fields[position]?.trim();
      if (value === undefined || value === '') throw new Error(`${path}:${lineIndex + 2}: empty ${name}`);
      return value;
    };
    dates.push(isoToDay(at(index.date, 'date').slice(0, 10)));
    columns.open.push(at(index.open, 'open'));
    columns.high.push(at(index.high, 'high'));
    columns.low.push(at(index.low, 'low'));
    columns.close.push(at(index.close, 'close'));
    // Files without an Adj Close column hold prices that are already split- and dividend-adjusted.
    columns.adjustedClose.push(index.adjustedClose >= 0 ? at(index.adjustedClose, 'adj close') : at(index.close, 'close'));
    columns.volume.push(at(index.volume, 'volume'));
  });
  return { dates, columns };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median daily dollar volume over the first `days` rows: the liquidity measure used to pick CORE members. */
function liquidity(series: DecimalSeries, days: number): number {
  const values: number[] = [];
  for (let row = 0; row < Math.min(days, series.dates.length); row++) {
    values.push(Number(series.columns.close[row]) * Number(series.columns.volume[row]));
  }
  return median(values);
}

const ETF_INFO: Record<string, { name: string; sector: GicsSector | null }> = {
  SPY: { name: 'SPDR S&P 500 ETF Trust', sector: null },
  QQQ: { name: 'Invesco QQQ Trust (Nasdaq-100)', sector: null },
  DIA: { name: 'SPDR Dow Jones Industrial Average ETF', sector: null },
  IWM: { name: 'iShares Russell 2000 ETF', sector: null },
  MDY: { name: 'SPDR S&P MidCap 400 ETF', sector: null },
  IJR: { name: 'iShares Core S&P Small-Cap ETF', sector: null },
  XLK: { name: 'Technology Select Sector SPDR Fund', sector: 'Information Technology' },
  XLF: { name: 'Financial Select Sector SPDR Fund', sector: 'Financials' },
  XLE: { name: 'Energy Select Sector SPDR Fund', sector: 'Energy' },
  XLV: { name: 'Health Care Select Sector SPDR Fund', sector: 'Health Care' },
  XLY: { name: 'Consumer Discretionary Select Sector SPDR Fund', sector: 'Consumer Discretionary' },
  XLP: { name: 'Consumer Staples Select Sector SPDR Fund', sector: 'Consumer Staples' },
  XLI: { name: 'Industrial Select Sector SPDR Fund', sector: 'Industrials' },
  XLB: { name: 'Materials Select Sector SPDR Fund', sector: 'Materials' },
  XLU: { name: 'Utilities Select Sector SPDR Fund', sector: 'Utilities' },
  TLT: { name: 'iShares 20+ Year Treasury Bond ETF', sector: null },
  GLD: { name: 'SPDR Gold Shares', sector: null },
};

interface BuiltDataset {
  id: string;
  file: string;
  bytes: Buffer;
  symbols: SymbolRecord[];
  series: Map<string, DecimalSeries>;
}

function buildDataset(
  id: string,
  entries: { symbol: string; path: string; meta: Omit<SymbolRecord, 'rows' | 'first' | 'last' | 'offset' | 'length' | 'issues'> }[],
): BuiltDataset {
  const blocks: Uint8Array[] = [];
  const symbols: SymbolRecord[] = [];
  const series = new Map<string, DecimalSeries>();
  let offset = 0;
  for (const entry of [...entries].sort((a, b) => a.symbol.localeCompare(b.symbol))) {
    const decimal = readPriceFile(entry.path);
    const block = encodeSeries(decimal);
    const bars = createBars({
      symbol: entry.symbol,
      dates: decimal.dates,
      open: decimal.columns.open.map(Number),
      high: decimal.columns.high.map(Number),
      low: decimal.columns.low.map(Number),
      close: decimal.columns.close.map(Number),
      adjustedClose: decimal.columns.adjustedClose.map(Number),
      volume: decimal.columns.volume.map(Number),
    });
    const issues = inspectBars(bars);
    for (const issue of issues) console.warn(`  data check: ${issue.message}`);
    symbols.push({
      ...entry.meta,
      rows: decimal.dates.length,
      first: new Date(decimal.dates[0]! * 86_400_000).toISOString().slice(0, 10),
      last: new Date(decimal.dates.at(-1)! * 86_400_000).toISOString().slice(0, 10),
      offset,
      length: block.length,
      issues: issues.length,
    });
    series.set(entry.symbol, decimal);
    blocks.push(block);
    offset += block.length;
  }
  return { id, file: `${id}.bin`, bytes: Buffer.concat(blocks), symbols, series };
}

function main(): void {
  if (!existsSync(sourceRoot)) throw new Error(`source folder ${sourceRoot} does not exist (pass --source PATH)`);
  console.log(`reading ${sourceRoot}`);

  // S&P 500, 2016-05-16 .. 2021-05-14 (Yahoo via pandas_datareader).
  const sp500Folder = join(sourceRoot, 'sp500-yahoo-2016-2021');
  const sp500 = buildDataset(
    'sp500',
    readCsvRecords(join(sp500Folder, 'symbols.csv')).map((row) => ({
      symbol: row['symbol']!,
      path: join(sp500Folder, row['file']!),
      meta: {
        symbol: row['symbol']!,
        name: row['name']!,
        kind: 'stock' as const,
        // Prefer today's GICS sector where the company is still listed; otherwise the 2018 label, mapped to 2018+ GICS.
        sector: normalizeSector(row['current_gics_sector'] || row['sector_gics_at_source']),
        capTier: 'large' as const,
        cik: normalizeCik(row['cik']),
      },
    })),
  );
  console.log(`sp500: ${sp500.symbols.length} symbols, ${sp500.bytes.length} bytes`);

  // 150 large/mid/small caps, 2012-11-12 .. 2017-11-10 (split- and dividend-adjusted).
  const allcapFolder = join(sourceRoot, 'us-stocks-allcap-2012-2017');
  const allcapRows = readCsvRecords(join(allcapFolder, 'symbols.csv'));
  const allcap = buildDataset(
    'allcap',
    allcapRows.map((row) => ({
      symbol: row['symbol']!,
      path: join(allcapFolder, row['file']!),
      meta: {
        symbol: row['symbol']!,
        name: row['name']!,
        kind: 'stock' as const,
        sector: normalizeSector(row['gics_sector']),
        capTier: row['cap_tier'] as CapTier,
        cik: null,
      },
    })),
  );
  console.log(`allcap: ${allcap.symbols.length} symbols, ${allcap.bytes.length} bytes`);

  // ETFs: kept from 2012-11-12 (the start of the allcap period) so they serve as market and sector references for it.
  const etfFolder = join(sourceRoot, 'us-etfs-daily-to-2017/daily');
  const etf = buildDataset(
    'etf',
    readdirSync(etfFolder)
      .filter((file) => file.endsWith('.us.txt'))
      .map((file) => {
        const symbol = file.replace('.us.txt', '').toUpperCase();
        const info = ETF_INFO[symbol];
        if (info === undefined) throw new Error(`no metadata for ETF ${symbol}`);
        return {
          symbol,
          path: join(etfFolder, file),
          meta: { symbol, name: info.name, kind: 'etf' as const, sector: info.sector, capTier: null, cik: null },
        };
      }),
  );
  console.log(`etf: ${etf.symbols.length} symbols, ${etf.bytes.length} bytes`);

  // CORE universe: every GICS sector with large, mid and small caps, all with the full 2012-11-12 .. 2017-11-10
  // history. Per sector: its 3 large caps, its 2 most liquid mid caps and 2 most liquid small caps (median dollar
  // volume over the first 250 days, so the choice uses no later information); the 5 sectors with the most S&P 500
  // members get a third mid cap. 11 x 7 + 5 = 82 symbols.
  // Only symbols that pass every data check are eligible (PXD, for one, has corrupt OHLC rows in the source).
  const fullHistory = allcap.symbols.filter(
    (record) => record.first === '2012-11-12' && record.last === '2017-11-10' && record.issues === 0,
  );
  const sectorWeight = new Map<string, number>();
  for (const record of sp500.symbols) if (record.sector) sectorWeight.set(record.sector, (sectorWeight.get(record.sector) ?? 0) + 1);
  const heaviestSectors = [...sectorWeight.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 5).map(([sector]) => sector);
  const core: string[] = [];
  const sectors = [...new Set(fullHistory.map((record) => record.sector))].sort();
  for (const sector of sectors) {
    const byLiquidity = (tier: CapTier) =>
      fullHistory
        .filter((record) => record.sector === sector && record.capTier === tier)
        .map((record) => ({ symbol: record.symbol, liquidity: liquidity(allcap.series.get(record.symbol)!, 250) }))
        .sort((a, b) => b.liquidity - a.liquidity || a.symbol.localeCompare(b.symbol))
        .map((item) => item.symbol);
    const large = byLiquidity('large').slice(0, 3);
    // A sector with fewer than 3 eligible large caps makes up the difference with mid caps.
    const midCount = (heaviestSectors.includes(sector!) ? 3 : 2) + (3 - large.length);
    const chosen = [...large, ...byLiquidity('mid').slice(0, midCount), ...byLiquidity('small').slice(0, 2)];
    console.log(`core ${sector}: ${chosen.join(' ')}`);
    core.push(...chosen);
  }
  core.sort();
  console.log(`core: ${core.length} symbols`);

  const describe = (dataset: BuiltDataset) => ({
    file: dataset.file,
    bytes: dataset.bytes.length,
    symbols: dataset.symbols,
  });
  const manifest = {
    formatVersion: CODEC_VERSION,
    datasets: {
      sp500: {
        ...describe(sp500),
        description: 'S&P 500 members, daily OHLCV with split-adjusted close and split+dividend-adjusted close (Yahoo Finance, pulled 2021-05)',
        start: '2016-05-16',
        end: '2021-05-14',
        source: 'github.com/filicasc/professionalstudioB@22ffa9afe1d8dcd4bcdd0ea65afb25c2016fd1e4 data/individual_stocks_5yr',
        license: 'No license stated; prices are facts derived from Yahoo Finance (Yahoo terms of use apply to the content).',
      },
      allcap: {
        ...describe(allcap),
        description: 'US large (S&P 500), mid (S&P 400) and small (S&P 600) caps; prices split- and dividend-adjusted, so adjusted close equals close',
        start: '2012-11-12',
        end: '2017-11-10',
        source: 'github.com/guyr18/stock-market-big-data@30d766fa2b865b8c55bc8e1a246b9f93916b882c Data/Stocks (Kaggle "Huge Stock Market Dataset", Boris Marjanovic)',
        license: 'Upstream Kaggle dataset commonly listed as CC0 (public domain); not verified.',
      },
      etf: {
        ...describe(etf),
        description: 'US ETFs (broad market, the nine sector SPDRs, bonds, gold); split- and dividend-adjusted, so adjusted close equals close',
        start: etf.symbols.reduce((earliest, record) => (record.first < earliest ? record.first : earliest), '9999'),
        end: '2017-11-10',
        source: 'github.com/guyr18/stock-market-big-data@30d766fa2b865b8c55bc8e1a246b9f93916b882c Data/ETFs',
        license: 'Upstream Kaggle dataset commonly listed as CC0 (public domain); not verified.',
      },
    },
    universes: {
      core: {
        dataset: 'allcap',
        description:
          'CORE: 82 stocks with full 2012-11-12..2017-11-10 history that pass every data check, all 11 GICS sectors, each with large, mid and small caps. Per sector the 3 large caps, the 2 most liquid mid and small caps (median dollar volume of the first 250 days), a third mid cap in the 5 sectors with the most S&P 500 members, and one more mid cap for each missing large cap (Energy: PXD fails the data checks).',
        symbols: core,
      },
      sp500: { dataset: 'sp500', description: 'All 470 S&P 500 stocks of the 2016-2021 set.', symbols: sp500.symbols.map((record) => record.symbol) },
      allcap: { dataset: 'allcap', description: 'All 150 large, mid and small caps of the 2012-2017 set.', symbols: allcap.symbols.map((record) => record.symbol) },
      etf: { dataset: 'etf', description: 'All 17 ETFs.', symbols: etf.symbols.map((record) => record.symbol) },
    },
  };
  const files: [string, Buffer | string][] = [
    [sp500.file, sp500.bytes],
    [allcap.file, allcap.bytes],
    [etf.file, etf.bytes],
    ['manifest.json', `${JSON.stringify(manifest, null, 1)}\n`],
  ];
  if (checkOnly) {
    const different = files.filter(([name, content]) => {
      const path = join(outputDirectory, name);
      return !existsSync(path) || !readFileSync(path).equals(Buffer.isBuffer(content) ? content : Buffer.from(content));
    });
    if (different.length > 0) {
      console.error(`the committed dataset differs from a rebuild: ${different.map(([name]) => name).join(', ')}`);
      process.exit(1);
    }
    console.log('the committed dataset matches a rebuild from the sources');
    return;
  }
  mkdirSync(outputDirectory, { recursive: true });
  for (const [name, content] of files) writeFileSync(join(outputDirectory, name), content);
  const total = files.reduce((sum, [, content]) => sum + (typeof content === 'string' ? Buffer.byteLength(content) : content.length), 0);
  console.log(`wrote ${files.length} files, ${(total / 1e6).toFixed(2)} MB, to ${outputDirectory}`);
}

main();
