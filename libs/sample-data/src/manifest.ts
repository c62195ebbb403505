/** Shape of src/data/manifest.json, written by tools/build-sample-data.ts. */
import type { CapTier, GicsSector } from '@quant/core';

export type DatasetId = 'sp500' | 'allcap' | 'etf';
export type UniverseId = 'core' | 'sp500' | 'allcap' | 'etf';

export interface ManifestSymbol {
  symbol: string;
  name: string;
  kind: 'stock' | 'etf';
  sector: GicsSector | null;
  capTier: CapTier | null;
  cik: string | null;
  rows: number;
  first: string;
  last: string;
  offset: number;
  length: number;
  /** Data-check findings at build time, kept so users can see them (they are never fixed). */
  issues: number;
}

export interface ManifestDataset {
  file: string;
  bytes: number;
  description: string;
  start: string;
  end: string;
  source: string;
  license: string;
  symbols: ManifestSymbol[];
}

export interface Manifest {
  formatVersion: number;
  datasets: Record<DatasetId, ManifestDataset>;
  universes: Record<UniverseId, { dataset: DatasetId; description: string; symbols: string[] }>;
}
