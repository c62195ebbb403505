/**
 * Which symbols a run covers, what is known about them (sector, cap tier, CIK), and where their prices come from.
 */
import { NotFoundError, type SymbolInfo } from '@quant/core';
import { HttpClient, createCsvFolderSource, createEmbeddedSource, createYahooPriceSource, type PriceSource } from '@quant/ingest';
import { getSymbolInfo, getUniverse, type DatasetId } from '@quant/sample-data';
import type { TrainOptions, UniverseName } from './options.js';

export interface RunUniverse {
  readonly name: UniverseName;
  readonly dataset: DatasetId;
  readonly symbols: readonly string[];
  /** Known metadata; a symbol missing here has no sector (its sector-relative features are NaN). */
  readonly info: ReadonlyMap<string, SymbolInfo>;
}

/** The universe's members (or the explicit symbols) with their embedded metadata. */
export function resolveUniverse(options: Pick<TrainOptions, 'universe' | 'symbols'>): RunUniverse {
  const universe = getUniverse(options.universe);
  const symbols = options.symbols ?? universe.symbols;
  const info = new Map<string, SymbolInfo>();
  for (const symbol of symbols) {
    try {
      info.set(symbol, getSymbolInfo(symbol, { dataset: universe.dataset }));
    } catch (error) {
      // Explicit symbols outside the embedded dataset are allowed with CSV and live sources; they lack a sector.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  return { name: options.universe, dataset: universe.dataset, symbols: [...symbols], info };
}

/** The price source a run reads from. */
export function createPriceSource(options: Pick<TrainOptions, 'source' | 'csvFolder'>, dataset: DatasetId): PriceSource {
  switch (options.source) {
    case 'embedded':
      return createEmbeddedSource({ dataset });
    case 'csv':
      return createCsvFolderSource(options.csvFolder!);
    case 'live': {
      // Yahoo's chart API tolerates a few requests per second; more gets 429s (docs/ingest.md).
      const http = new HttpClient({
        service: 'yahoo',
        timeoutMs: 15_000,
        retry: { retries: 3, baseDelayMs: 1_000, maxDelayMs: 30_000 },
        rateLimit: { ratePerSecond: 2, burst: 2 },
        circuitBreaker: { failureThreshold: 5, cooldownMs: 60_000 },
      });
      return createYahooPriceSource({ http });
    }
  }
}
