/**
 * Classified corporate events: what a filing or a headline means for a stock, when it became public, and from which
 * trading day it may be used.
 */

/**
 * The 15 event types of the issue, then the extra types that keep other 8-K items and forms apart instead of
 * forcing them into one of the 15.
 */
export const EVENT_TYPES = [
  'earnings',
  'dividend',
  'refinancing',
  'litigation',
  'merger_acquisition',
  'executive_change',
  'bankruptcy',
  'delisting',
  'restatement',
  'impairment',
  'guidance',
  'rating_change',
  'buyback',
  'cybersecurity',
  'negative_news',
  // Extra types.
  'restructuring',
  'auditor_change',
  'material_agreement',
  'shareholder_vote',
  'governance',
  'late_filing',
  'periodic_report',
  'other',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** Where an event came from: an SEC filing or a news headline (the database calls filings `sec`). */
export type EventSource = 'filing' | 'news';

/**
 * How an event bears on three channels, each in [-1, 1]: positive is good for shareholders (a dividend raised, new
 * liquidity, credit improved), negative is bad (a dividend cut, cash drained, more default risk), 0 is untouched.
 * Magnitudes: 0.2 minor, 0.5 material, 0.8 severe, 1 existential (bankruptcy).
 */
export interface EventImpact {
  readonly dividend: number;
  readonly liquidity: number;
  readonly credit: number;
}

/**
 * One classified event. A filing gives one event per distinct type among its items (an 8-K with items 5.02 and
 * 5.03 gives an executive change and a governance event); a headline gives exactly one event.
 */
export interface MarketEvent {
  readonly symbol: string;
  readonly type: EventType;
  readonly source: EventSource;
  /** Accession number of a filing; the URL (or publisher, instant and title) of a headline. */
  readonly sourceId: string;
  /** The instant it became public, ISO 8601 in UTC. */
  readonly publicAt: string;
  /** New York calendar day of `publicAt` (days since 1970-01-01). */
  readonly publicDay: number;
  /** First calendar day it may count: `publicDay` when public before that day's close, the next day otherwise. */
  readonly availableDay: number;
  /**
   * The effective trading day: the first bar date on or after `availableDay` in the symbol's own dates. Set when the
   * bar dates were known at classification (or read back from storage); computeEventFeatures fills it otherwise.
   */
  readonly effectiveDay?: number;
  /** Severity in [0, 1]; see SEVERITY. */
  readonly severity: number;
  readonly impact: EventImpact;
  /** Headline sentiment in [-1, 1] (tanh of the finance-lexicon score / 4); null for filings. */
  readonly sentiment: number | null;
  readonly title: string;
  /** 8-K item numbers of the filing ('2.02'); empty for news and forms without items. */
  readonly items: readonly string[];
  /** Form type of a filing ('8-K', '10-Q'); absent for news. */
  readonly form?: string;
  /** Size in bytes of the filing, when the source reports it. */
  readonly size?: number;
  /** Why the event got its type: '8-K item 1.03', 'form NT 10-K', 'text: merger agreement', 'headline: downgrade'. */
  readonly basis: string;
}

/**
 * Severity scale, in [0, 1]:
 * - 0.1 routine: periodic reports, governance, shareholder votes, other disclosures;
 * - 0.3 ordinary: earnings releases, dividend declarations, officer or director changes, agreements, financing;
 * - 0.5 material: mergers and acquisitions, litigation, impairments, restructurings, guidance changes, rating changes,
 *   auditor changes, a chief executive leaving, headlines with clearly negative sentiment;
 * - 0.7 serious: accelerated debt, dividend cuts or suspensions, cybersecurity incidents, late filings;
 * - 0.9 critical: restatements (non-reliance on past statements), delisting notices;
 * - 1.0 existential: bankruptcy or receivership.
 * Events at or above HIGH_SEVERITY are "high severity" (time_since_last_high_severity_event).
 */
export const SEVERITY = Object.freeze({ routine: 0.1, ordinary: 0.3, material: 0.5, serious: 0.7, critical: 0.9, existential: 1 });

/** Severity from which an event counts as high severity. */
export const HIGH_SEVERITY = SEVERITY.serious;
