/**
 * Raw corporate events as the sources deliver them: SEC filings (EDGAR submissions) and news headlines. Ingest
 * produces these; the event features (in @quant/features) classify them and turn them into daily features.
 *
 * Point-in-time rule: an event is known from `publicAt`, the moment it became public (EDGAR acceptance time; a
 * headline's publish time). Nothing may use an event before that instant.
 */

/** One filing from a company's EDGAR submissions. */
export interface Filing {
  readonly symbol: string;
  /** Central Index Key, 10 digits with leading zeros. */
  readonly cik: string;
  /** Form type as EDGAR writes it: '8-K', '10-K', '10-Q', '8-K/A', 'SC 13D', ... */
  readonly form: string;
  readonly accessionNumber: string;
  /** Filing date, ISO 'YYYY-MM-DD'. */
  readonly filingDate: string;
  /** Acceptance time as an ISO instant in UTC ('2020-07-30T20:31:14.000Z'); filing date at 00:00 UTC when unknown. */
  readonly publicAt: string;
  /** 8-K item numbers ('2.02', '9.01'); empty for forms without items. */
  readonly items: readonly string[];
  readonly primaryDocument?: string;
  readonly description?: string;
  /** Document size in bytes, when the source reports it (a complexity signal). */
  readonly size?: number;
  /** Full text of the document, when it was fetched (8-Ks without items are classified from it). */
  readonly text?: string;
}

/** One news headline about a symbol. */
export interface NewsItem {
  readonly symbol: string;
  readonly title: string;
  /** Publish time as an ISO instant in UTC. */
  readonly publicAt: string;
  readonly publisher?: string;
  readonly url?: string;
  readonly summary?: string;
}
