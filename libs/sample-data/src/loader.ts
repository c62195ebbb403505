import { readFileSync } from 'node:fs';
import {
  DataQualityError,
  FormatError,
  IncompatibleVersionError,
  InvalidArgumentError,
  NotFoundError,
  createBars,
  describeValue,
  inspectBars,
  type BarIssue,
  type Bars,
  type SymbolInfo,
} from '@quant/core';
import { CODEC_VERSION, decodeSeries } from './codec.js';
import type { DatasetId, Manifest, ManifestSymbol, UniverseId } from './manifest.js';

const DATASET_ORDER: readonly DatasetId[] = ['sp500', 'allcap', 'etf'];

export interface DatasetInfo {
  readonly id: DatasetId;
  readonly description: string;
  readonly start: string;
  readonly end: string;
  readonly source: string;
  readonly license: string;
  readonly symbolCount: number;
}

export interface Universe {
  readonly id: UniverseId;
  readonly dataset: DatasetId;
  readonly description: string;
  readonly symbols: readonly string[];
}

export interface EmbeddedSymbolInfo extends SymbolInfo {
  readonly dataset: DatasetId;
  readonly rows: number;
  /** ISO date of the first bar. */
  readonly first: string;
  /** ISO date of the last bar. */
  readonly last: string;
  /** Number of bars that fail the data checks in the source (they are kept as they are; see `loadBars`). */
  readonly knownIssues: number;
}

export interface LoadBarsOptions {
  /** Which dataset to read; by default the first of sp500, allcap, etf that holds the symbol. */
  dataset?: DatasetId;
  /**
   * Receives every bar that fails a data check. Without it, such bars make `loadBars` throw a DataQualityError that
   * lists them. Either way nothing is fixed or dropped silently.
   */
  onIssue?: (issue: BarIssue) => void;
}

export interface RejectedSymbol {
  readonly symbol: string;
  readonly issues: readonly BarIssue[];
  readonly reason: string;
}

export interface LoadUniverseOptions {
  /** Keep symbols whose bars fail data checks (their issues are still listed in `issues`). Default false. */
  keepInvalid?: boolean;
}

export interface LoadedUniverse {
  readonly universe: Universe;
  /** Bars of every symbol that loaded, in universe order. */
  readonly bars: Bars[];
  /** Symbols left out because their bars fail the data checks, with the reasons. */
  readonly rejected: RejectedSymbol[];
  /** Every data-check finding, including those of kept symbols. */
  readonly issues: BarIssue[];
}

let manifestCache: Manifest | null = null;
const fileCache = new Map<DatasetId, Buffer>();
const symbolIndexCache = new Map<DatasetId, Map<string, ManifestSymbol>>();

function dataUrl(name: string): URL {
  return new URL(`./data/${name}`, import.meta.url);
}

function manifest(): Manifest {
  if (manifestCache !== null) return manifestCache;
  let parsed: Manifest;
  try {
    parsed = JSON.parse(readFileSync(dataUrl('manifest.json'), 'utf8')) as Manifest;
  } catch (error) {
    throw new FormatError('the embedded dataset manifest is missing or unreadable', { cause: error });
  }
  if (parsed.formatVersion !== CODEC_VERSION) {
    throw new IncompatibleVersionError(
      `the embedded dataset has format version ${describeValue(parsed.formatVersion)}; this code reads version ${CODEC_VERSION}`,
    );
  }
  manifestCache = parsed;
  return parsed;
}

function symbolIndex(dataset: DatasetId): Map<string, ManifestSymbol> {
  let index = symbolIndexCache.get(dataset);
  if (index === undefined) {
    index = new Map(manifest().datasets[dataset].symbols.map((record) => [record.symbol, record]));
    symbolIndexCache.set(dataset, index);
  }
  return index;
}

function datasetBytes(dataset: DatasetId): Buffer {
  let bytes = fileCache.get(dataset);
  if (bytes === undefined) {
    const { file, bytes: expected } = manifest().datasets[dataset];
    bytes = readFileSync(dataUrl(file));
    if (bytes.length !== expected) {
      throw new FormatError(`embedded file ${file} has ${bytes.length} bytes; the manifest says ${expected}`);
    }
    fileCache.set(dataset, bytes);
  }
  return bytes;
}

function checkDataset(dataset: unknown): DatasetId {
  if (!DATASET_ORDER.includes(dataset as DatasetId)) {
    throw new InvalidArgumentError(`unknown dataset ${describeValue(dataset)}; expected one of ${DATASET_ORDER.join(', ')}`);
  }
  return dataset as DatasetId;
}

function findRecord(symbol: string, dataset?: DatasetId): { dataset: DatasetId; record: ManifestSymbol } {
  if (typeof symbol !== 'string' || symbol.length === 0) {
    throw new InvalidArgumentError(`a symbol must be a non-empty string, got ${describeValue(symbol)}`);
  }
  const candidates = dataset === undefined ? DATASET_ORDER : [checkDataset(dataset)];
  for (const candidate of candidates) {
    const record = symbolIndex(candidate).get(symbol);
    if (record !== undefined) return { dataset: candidate, record };
  }
  const where = dataset === undefined ? 'the embedded datasets' : `the embedded ${dataset} dataset`;
  throw new NotFoundError(`${describeValue(symbol)} is not in ${where}`, { details: { symbol, dataset } });
}

/** The embedded datasets with their period, source and license. */
export function listDatasets(): DatasetInfo[] {
  const { datasets } = manifest();
  return DATASET_ORDER.map((id) => {
    const { description, start, end, source, license, symbols } = datasets[id];
    return { id, description, start, end, source, license, symbolCount: symbols.length };
  });
}

/** Names of the predefined universes. */
export function listUniverses(): UniverseId[] {
  return Object.keys(manifest().universes) as UniverseId[];
}

/** A predefined universe: its dataset, how it was chosen, and its symbols. */
export function getUniverse(id: UniverseId): Universe {
  const universe = manifest().universes[id];
  if (universe === undefined) {
    throw new NotFoundError(`unknown universe ${describeValue(id)}; expected one of ${listUniverses().join(', ')}`);
  }
  return { id, dataset: universe.dataset, description: universe.description, symbols: [...universe.symbols] };
}

/** Symbols of a universe (default `sp500`), sorted. */
export function listSymbols(universe: UniverseId = 'sp500'): string[] {
  return [...getUniverse(universe).symbols];
}

/** Metadata of an embedded symbol: name, GICS sector, cap tier, CIK, period. */
export function getSymbolInfo(symbol: string, options: { dataset?: DatasetId } = {}): EmbeddedSymbolInfo {
  const { dataset, record } = findRecord(symbol, options.dataset);
  return {
    symbol: record.symbol,
    name: record.name,
    kind: record.kind,
    sector: record.sector,
    capTier: record.capTier,
    cik: record.cik,
    dataset,
    rows: record.rows,
    first: record.first,
    last: record.last,
    knownIssues: record.issues,
  };
}

/**
 * Daily bars of an embedded symbol, exactly as in the source files (a decoded price is `parseFloat` of the source
 * text). Every bar is checked (sorted unique dates, positive prices, high >= max(open, close), low <= min(open, close),
 * non-negative volume); failures go to `options.onIssue`, or make the call throw a DataQualityError naming the
 * symbol and dates.
 */
export function loadBars(symbol: string, options: LoadBarsOptions = {}): Bars {
  const { dataset, record } = findRecord(symbol, options.dataset);
  const bytes = datasetBytes(dataset);
  if (record.offset + record.length > bytes.length) {
    throw new FormatError(`${symbol}: its block lies outside embedded file ${manifest().datasets[dataset].file}`);
  }
  const decoded = decodeSeries(bytes.subarray(record.offset, record.offset + record.length), `${dataset}/${symbol}`);
  if (decoded.dates.length !== record.rows) {
    throw new FormatError(`${symbol}: decoded ${decoded.dates.length} bars; the manifest says ${record.rows}`);
  }
  const bars = createBars({ symbol, dates: decoded.dates, ...decoded.columns });
  const issues = inspectBars(bars);
  if (issues.length > 0) {
    if (options.onIssue === undefined) {
      const shown = issues.slice(0, 5).map((issue) => issue.message).join('; ');
      throw new DataQualityError(
        `${symbol}: ${issues.length} bar(s) fail the data checks: ${shown}${issues.length > 5 ? '; ...' : ''}. ` +
          'Pass onIssue to load them anyway.',
        { details: { symbol, dataset, issues } },
      );
    }
    for (const issue of issues) options.onIssue(issue);
  }
  return bars;
}

/**
 * Bars of every symbol of a universe. Symbols whose bars fail the data checks are listed in `rejected` with their
 * issues (or kept, with `keepInvalid`), never dropped silently.
 */
export function loadUniverse(id: UniverseId, options: LoadUniverseOptions = {}): LoadedUniverse {
  const universe = getUniverse(id);
  const bars: Bars[] = [];
  const rejected: RejectedSymbol[] = [];
  const issues: BarIssue[] = [];
  for (const symbol of universe.symbols) {
    const symbolIssues: BarIssue[] = [];
    const loaded = loadBars(symbol, { dataset: universe.dataset, onIssue: (issue) => symbolIssues.push(issue) });
    issues.push(...symbolIssues);
    if (symbolIssues.length > 0 && !options.keepInvalid) {
      const kinds = [...new Set(symbolIssues.map((issue) => issue.kind))].join(', ');
      rejected.push({
        symbol,
        issues: symbolIssues,
        reason: `${symbolIssues.length} bar(s) fail the data checks (${kinds}); first: ${symbolIssues[0]!.message}`,
      });
    } else {
      bars.push(loaded);
    }
  }
  return { universe, bars, rejected, issues };
}
