/** Symbol metadata: what a symbol is, independently of its prices. */
import { InvalidArgumentError, describeValue } from './errors.js';

/**
 * The 11 GICS sectors (the classification in force since September 2018, when Telecommunication Services became
 * Communication Services). Source: MSCI/S&P Global Industry Classification Standard.
 */
export const GICS_SECTORS = [
  'Communication Services',
  'Consumer Discretionary',
  'Consumer Staples',
  'Energy',
  'Financials',
  'Health Care',
  'Industrials',
  'Information Technology',
  'Materials',
  'Real Estate',
  'Utilities',
] as const;
export type GicsSector = (typeof GICS_SECTORS)[number];

/** Market-capitalisation tier, by index membership: S&P 500 = large, S&P 400 = mid, S&P 600 = small. */
export const CAP_TIERS = ['large', 'mid', 'small'] as const;
export type CapTier = (typeof CAP_TIERS)[number];

export type AssetKind = 'stock' | 'etf';

export interface SymbolInfo {
  readonly symbol: string;
  readonly name: string;
  readonly kind: AssetKind;
  /** GICS sector; null when the source does not know it (ETFs, and a few delisted stocks). */
  readonly sector: GicsSector | null;
  /** Null for ETFs. */
  readonly capTier: CapTier | null;
  /** SEC Central Index Key, 10 digits zero-padded, when known. */
  readonly cik: string | null;
}

const LEGACY_SECTORS: Readonly<Record<string, GicsSector>> = {
  // Renamed and widened in the 2018 GICS change.
  'Telecommunication Services': 'Communication Services',
  Telecommunications: 'Communication Services',
  Communication: 'Communication Services',
};

/** Maps a sector label (current GICS, or a pre-2018 or abbreviated label) to a GICS sector; null when unknown or empty. */
export function normalizeSector(label: string | null | undefined): GicsSector | null {
  if (label === null || label === undefined) return null;
  const trimmed = label.trim();
  if (trimmed === '') return null;
  if ((GICS_SECTORS as readonly string[]).includes(trimmed)) return trimmed as GicsSector;
  const legacy = LEGACY_SECTORS[trimmed];
  if (legacy !== undefined) return legacy;
  throw new InvalidArgumentError(`unknown GICS sector ${describeValue(label)}`, { details: { value: label } });
}

/** Pads a CIK to the 10 digits EDGAR URLs use; null for empty input. */
export function normalizeCik(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const digits = String(value).trim();
  if (!/^\d{1,10}$/.test(digits)) {
    throw new InvalidArgumentError(`a CIK is 1 to 10 digits, got ${describeValue(value)}`, { details: { value } });
  }
  return digits.padStart(10, '0');
}
