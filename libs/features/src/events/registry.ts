/**
 * The registry of the 23 event features: name, group, parameters, value when there are no events, and definition,
 * in the stable order of the event matrix. docs/features.md lists them (tools/feature-docs.ts).
 *
 * Notation: t is the row's date; an event "in the last W days" has its effective trading day e with t - W < e <= t
 * (calendar days, window ending at t, so an event effective today is in every window). Every feature of row t uses
 * only events effective on or before t (a property test checks that no event changes an earlier row).
 */
import { FORM_8K_ITEMS, FORM_EVENTS } from './items.js';
import { FINANCE_NEGATORS, FINANCE_PHRASES, FINANCE_WORDS } from './sentiment-lexicon.js';
import { FINANCE_SENTIMENT_THRESHOLDS, SENTIMENT_SCALE } from './sentiment.js';
import { TEXT_RULES } from './text-rules.js';
import { HIGH_SEVERITY, SEVERITY } from './types.js';

export type EventFeatureGroup = 'event-counts' | 'event-severity' | 'event-impact' | 'news-sentiment' | 'event-dynamics';

export interface EventFeatureDefinition {
  readonly name: string;
  readonly group: EventFeatureGroup;
  readonly parameters: Readonly<Record<string, number>>;
  /** The value on a row with no event in reach (never NaN). */
  readonly defaultValue: number;
  readonly formula: string;
}

/** Calendar-day windows of the counts. */
export const EVENT_COUNT_WINDOWS = Object.freeze([7, 30, 90] as const);
/** time_since_last_high_severity_event is capped here, and takes this value when there has been no such event. */
export const TIME_SINCE_CAP_DAYS = 365;
/** An event at least this severe counts in event_intensity_acceleration_ratio (routine filings do not). */
export const MATERIAL_EVENT_SEVERITY = SEVERITY.ordinary;
/** Prior rate (events per day) added to both rates of the acceleration ratio: one event a quarter. */
export const ACCELERATION_PRIOR_RATE = 1 / 90;
/** A filing whose effective trading day is this many calendar days or more after its public day was disclosed ahead of a market closure. */
export const LOW_ATTENTION_GAP_DAYS = 2;
/** How far back filing_complexity_index looks for the latest periodic report. */
export const COMPLEXITY_LOOKBACK_DAYS = 400;
/** Headline sentiment at or below this is negative news: the bearish threshold of the finance scorer, tanh(-1.5 / 4). */
export const NEGATIVE_NEWS_SENTIMENT = -Math.tanh(FINANCE_SENTIMENT_THRESHOLDS.bearishAt / SENTIMENT_SCALE);

const definitions: EventFeatureDefinition[] = [];
function define(name: string, group: EventFeatureGroup, parameters: Record<string, number>, defaultValue: number, formula: string): void {
  definitions.push({ name, group, parameters, defaultValue, formula });
}

const negative = NEGATIVE_NEWS_SENTIMENT.toFixed(3);
for (const [kind, rule] of [
  ['refinancing', 'events of type refinancing (8-K items 2.03, 2.04, 3.02; credit agreements and notes in 1.01/1.02/8.01; financing headlines)'],
  ['dividend', 'events of type dividend (declarations, increases, cuts and suspensions, from 8-K text and headlines)'],
  ['litigation', 'events of type litigation (lawsuits, investigations, settlements, fines, from 8-K text and headlines)'],
  ['negative_news', `headlines (whatever their type) with finance sentiment <= ${negative}, the bearish threshold`],
] as const) {
  for (const window of EVENT_COUNT_WINDOWS) define(`event_count_${kind}_${window}d`, 'event-counts', { window }, 0, `number of ${rule}, effective in the last ${window} days`);
}
define('max_event_severity_30d', 'event-severity', { window: 30 }, 0, 'highest severity (0.1 routine ... 1 bankruptcy) of the events effective in the last 30 days; 0 when none');
define('time_since_last_high_severity_event', 'event-severity', { threshold: HIGH_SEVERITY, cap: TIME_SINCE_CAP_DAYS }, TIME_SINCE_CAP_DAYS, `calendar days from the effective day of the latest event with severity >= ${HIGH_SEVERITY} (effective on or before t) to t, capped at ${TIME_SINCE_CAP_DAYS}; ${TIME_SINCE_CAP_DAYS} when there has been none`);
for (const channel of ['dividend', 'liquidity', 'credit'] as const) {
  define(`sum_impact_${channel}_90d`, 'event-impact', { window: 90 }, 0, `sum of the signed ${channel} impacts (-1 harmful ... +1 favourable) of the events effective in the last 90 days`);
}
define('news_sentiment_mean_7d', 'news-sentiment', { window: 7 }, 0, 'mean finance sentiment, tanh(score / 4) in (-1, 1), of the headlines effective in the last 7 days; 0 when none');
define('news_sentiment_min_7d', 'news-sentiment', { window: 7 }, 0, 'lowest finance sentiment of the headlines effective in the last 7 days; 0 when none');
define('event_intensity_acceleration_ratio', 'event-dynamics', { short: 7, long: 90, prior: ACCELERATION_PRIOR_RATE, minimumSeverity: MATERIAL_EVENT_SEVERITY }, 1, `(n7 / 7 + p) / (n90 / 90 + p), nW = events with severity >= ${MATERIAL_EVENT_SEVERITY} effective in the last W days, p = 1/90 (a prior of one event a quarter): 1 at the usual pace, up to 90/7 in a burst`);
define('cross_source_confirmation_flag', 'event-dynamics', { window: 7 }, 0, '1 when in the last 7 days a filing and a headline report the same event type (any type but other, negative_news and periodic_report), else 0');
define('information_asymmetry_proxy_score', 'event-dynamics', { window: 90, gap: LOW_ATTENTION_GAP_DAYS }, 0, `share of the severity of the last 90 days' filing events that were disclosed ahead of a market closure (effective day - public day >= ${LOW_ATTENTION_GAP_DAYS}: Friday after the close, weekends, holiday eves), when investors pay least attention (DellaVigna and Pollet 2009; Niessner 2015); 0 when no filing event`);
define('filing_complexity_index', 'event-dynamics', { lookback: COMPLEXITY_LOOKBACK_DAYS }, 0, `ln(1 + size in MB) of the latest periodic report (10-K, 10-Q, 20-F, 40-F and amendments) effective in the last ${COMPLEXITY_LOOKBACK_DAYS} days, file size being a readability measure of financial disclosures (Loughran and McDonald 2014); 0 when none or size unknown`);

/** The 23 event features, in matrix order. */
export const EVENT_FEATURES: readonly EventFeatureDefinition[] = Object.freeze(definitions.map((definition) => Object.freeze(definition)));

/** Event feature names in matrix order. */
export const EVENT_FEATURE_NAMES: readonly string[] = Object.freeze(EVENT_FEATURES.map((definition) => definition.name));

/** FNV-1a 32-bit hash as 8 hex digits (Fowler, Noll, Vo), as for the technical feature set. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * Version of the event feature set: a hash of the feature definitions and of everything that decides what an event
 * is (8-K item and form tables, text rules, finance vocabulary, sentiment thresholds), so that a change to any of
 * them gives a new version.
 */
export const EVENT_FEATURE_SET_VERSION = `event-${EVENT_FEATURES.length}-${fnv1a(
  JSON.stringify({
    features: EVENT_FEATURES,
    items: FORM_8K_ITEMS,
    forms: FORM_EVENTS,
    rules: TEXT_RULES.map((rule) => [rule.type, rule.pattern.source, rule.severity, rule.impact, (rule.variants ?? []).map((variant) => [variant.pattern.source, variant.type, variant.severity, variant.impact])]),
    words: FINANCE_WORDS,
    phrases: FINANCE_PHRASES.map(([pattern, token]) => [pattern.source, token]),
    negators: [...FINANCE_NEGATORS],
    thresholds: FINANCE_SENTIMENT_THRESHOLDS,
  }),
)}`;
