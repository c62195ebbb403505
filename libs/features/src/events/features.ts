/**
 * computeEventFeatures: the 23 event features of one symbol, as a column-major matrix aligned with its bar dates (row
 * i describes day i using only the events effective on or before that day), in the layout of the technical features.
 *
 * Effective day of an event: its `effectiveDay` when set (classification with the symbol's bar dates, or storage);
 * otherwise effectiveTradingDay(dates, availableDay): the first of `dates` on or after its available day, the
 * available day itself when that is before the first date; an event after the last date affects no row.
 *
 * Cost: one pass over the rows with a pointer into the events sorted by effective day; each row visits the events of
 * its last 90 days, so the time is O(rows x events per 90 days).
 */
import { InvalidArgumentError, createFeatureMatrix, describeValue, type FeatureMatrix } from '@quant/core';
import { effectiveTradingDay } from './market-time.js';
import {
  ACCELERATION_PRIOR_RATE,
  COMPLEXITY_LOOKBACK_DAYS,
  EVENT_FEATURE_NAMES,
  EVENT_FEATURES,
  LOW_ATTENTION_GAP_DAYS,
  MATERIAL_EVENT_SEVERITY,
  NEGATIVE_NEWS_SENTIMENT,
  TIME_SINCE_CAP_DAYS,
} from './registry.js';
import { EVENT_TYPES, HIGH_SEVERITY, type EventType, type MarketEvent } from './types.js';

const COLUMN = new Map(EVENT_FEATURE_NAMES.map((name, index) => [name, index]));
const TYPE_INDEX = new Map<EventType, number>(EVENT_TYPES.map((type, index) => [type, index]));
/** Types that two sources can confirm: all but `other`, `negative_news` and `periodic_report`. */
const CONFIRMABLE = Uint8Array.from(EVENT_TYPES, (type) => (type === 'other' || type === 'negative_news' || type === 'periodic_report' ? 0 : 1));
const PERIODIC_FORMS = /^(?:10-K|10-KT|10-Q|20-F|40-F)(?:\/A)?$/;
const BYTES_PER_MEGABYTE = 1_000_000;

// Flags of a prepared event.
const REFINANCING = 1;
const DIVIDEND = 2;
const LITIGATION = 4;
const NEGATIVE_NEWS = 8;
const NEWS = 16;
const FILING = 32;
const MATERIAL = 64;
const HIGH = 128;
const LOW_ATTENTION = 256;
const PERIODIC = 512;

function column(name: string): number {
  const index = COLUMN.get(name);
  if (index === undefined) throw new Error(`internal: event feature ${name} is not in the registry`);
  return index;
}

const COLUMNS = {
  count: [
    [column('event_count_refinancing_7d'), column('event_count_refinancing_30d'), column('event_count_refinancing_90d')],
    [column('event_count_dividend_7d'), column('event_count_dividend_30d'), column('event_count_dividend_90d')],
    [column('event_count_litigation_7d'), column('event_count_litigation_30d'), column('event_count_litigation_90d')],
    [column('event_count_negative_news_7d'), column('event_count_negative_news_30d'), column('event_count_negative_news_90d')],
  ],
  maxSeverity: column('max_event_severity_30d'),
  timeSince: column('time_since_last_high_severity_event'),
  impactDividend: column('sum_impact_dividend_90d'),
  impactLiquidity: column('sum_impact_liquidity_90d'),
  impactCredit: column('sum_impact_credit_90d'),
  sentimentMean: column('news_sentiment_mean_7d'),
  sentimentMin: column('news_sentiment_min_7d'),
  acceleration: column('event_intensity_acceleration_ratio'),
  confirmation: column('cross_source_confirmation_flag'),
  asymmetry: column('information_asymmetry_proxy_score'),
  complexity: column('filing_complexity_index'),
};

/** Headline sentiment at or below the bearish threshold, or an event classified as negative news. */
export function isNegativeNews(event: MarketEvent): boolean {
  return event.type === 'negative_news' || (event.source === 'news' && event.sentiment !== null && event.sentiment <= NEGATIVE_NEWS_SENTIMENT);
}

function checkDates(dates: ArrayLike<number>, symbol: string): void {
  if (dates === null || typeof dates !== 'object' || typeof dates.length !== 'number') {
    throw new InvalidArgumentError(`${symbol}: dates must be an array of day numbers, got ${describeValue(dates)}`);
  }
  if (dates.length === 0) throw new InvalidArgumentError(`${symbol}: no dates to compute event features for`);
  for (let row = 0; row < dates.length; row++) {
    const day = dates[row]!;
    if (!Number.isInteger(day)) throw new InvalidArgumentError(`${symbol}: date ${row} is ${describeValue(day)}, not a day number`);
    if (row > 0 && day <= dates[row - 1]!) throw new InvalidArgumentError(`${symbol}: dates must be strictly ascending; row ${row} (${day}) follows ${dates[row - 1]}`);
  }
}

function checkEvent(event: MarketEvent, symbol: string, position: number): void {
  const where = `${symbol}: event ${position} (${describeValue(event?.sourceId)})`;
  if (typeof event !== 'object' || event === null) throw new InvalidArgumentError(`${symbol}: event ${position} is ${describeValue(event)}`);
  if (event.symbol !== symbol) throw new InvalidArgumentError(`${where} belongs to ${describeValue(event.symbol)}, not ${symbol}`);
  if (!TYPE_INDEX.has(event.type)) throw new InvalidArgumentError(`${where} has an unknown type ${describeValue(event.type)}`);
  if (event.source !== 'filing' && event.source !== 'news') throw new InvalidArgumentError(`${where} has an unknown source ${describeValue(event.source)}`);
  if (!Number.isInteger(event.availableDay) || !Number.isInteger(event.publicDay)) throw new InvalidArgumentError(`${where} needs integer publicDay and availableDay, got ${describeValue(event.publicDay)} and ${describeValue(event.availableDay)}`);
  if (event.effectiveDay !== undefined && (!Number.isInteger(event.effectiveDay) || event.effectiveDay < event.availableDay)) {
    throw new InvalidArgumentError(`${where} has effectiveDay ${describeValue(event.effectiveDay)} before its availableDay ${event.availableDay}: that would use it before it was public`);
  }
  if (!(event.severity >= 0 && event.severity <= 1)) throw new InvalidArgumentError(`${where} has severity ${describeValue(event.severity)} outside [0, 1]`);
  for (const channel of ['dividend', 'liquidity', 'credit'] as const) {
    const value = event.impact?.[channel];
    if (!(typeof value === 'number' && value >= -1 && value <= 1)) throw new InvalidArgumentError(`${where} has ${channel} impact ${describeValue(value)} outside [-1, 1]`);
  }
  if (event.sentiment !== null && !(typeof event.sentiment === 'number' && event.sentiment >= -1 && event.sentiment <= 1)) {
    throw new InvalidArgumentError(`${where} has sentiment ${describeValue(event.sentiment)}; expected null or a number in [-1, 1]`);
  }
}

/** Events as parallel typed arrays sorted by effective day (ties keep their input order). */
interface PreparedEvents {
  readonly count: number;
  readonly effective: Int32Array;
  readonly flags: Uint16Array;
  readonly typeIndex: Uint8Array;
  readonly severity: Float64Array;
  readonly dividend: Float64Array;
  readonly liquidity: Float64Array;
  readonly credit: Float64Array;
  readonly sentiment: Float64Array;
  readonly size: Float64Array;
}

function prepare(events: readonly MarketEvent[], dates: ArrayLike<number>, symbol: string): PreparedEvents {
  const lastDate = dates[dates.length - 1]!;
  const kept: { event: MarketEvent; effective: number }[] = [];
  events.forEach((event, position) => {
    checkEvent(event, symbol, position);
    const effective = event.effectiveDay ?? effectiveTradingDay(dates, event.availableDay);
    if (effective === undefined || effective > lastDate) return;
    kept.push({ event, effective });
  });
  kept.sort((a, b) => a.effective - b.effective);
  const count = kept.length;
  const prepared: PreparedEvents = {
    count,
    effective: new Int32Array(count),
    flags: new Uint16Array(count),
    typeIndex: new Uint8Array(count),
    severity: new Float64Array(count),
    dividend: new Float64Array(count),
    liquidity: new Float64Array(count),
    credit: new Float64Array(count),
    sentiment: new Float64Array(count),
    size: new Float64Array(count),
  };
  kept.forEach(({ event, effective }, index) => {
    let flags = event.source === 'news' ? NEWS : FILING;
    if (event.type === 'refinancing') flags |= REFINANCING;
    if (event.type === 'dividend') flags |= DIVIDEND;
    if (event.type === 'litigation') flags |= LITIGATION;
    if (isNegativeNews(event)) flags |= NEGATIVE_NEWS;
    if (event.severity >= MATERIAL_EVENT_SEVERITY) flags |= MATERIAL;
    if (event.severity >= HIGH_SEVERITY) flags |= HIGH;
    if (event.source === 'filing' && effective - event.publicDay >= LOW_ATTENTION_GAP_DAYS) flags |= LOW_ATTENTION;
    if (event.source === 'filing' && event.form !== undefined && PERIODIC_FORMS.test(event.form)) flags |= PERIODIC;
    prepared.effective[index] = effective;
    prepared.flags[index] = flags;
    prepared.typeIndex[index] = TYPE_INDEX.get(event.type)!;
    prepared.severity[index] = event.severity;
    prepared.dividend[index] = event.impact.dividend;
    prepared.liquidity[index] = event.impact.liquidity;
    prepared.credit[index] = event.impact.credit;
    prepared.sentiment[index] = event.sentiment ?? Number.NaN;
    prepared.size[index] = typeof event.size === 'number' && event.size > 0 ? event.size : 0;
  });
  return prepared;
}

const CATEGORY_FLAGS = [REFINANCING, DIVIDEND, LITIGATION, NEGATIVE_NEWS] as const;

/**
 * The 23 event features of one symbol for its bar `dates` (strictly ascending day numbers) from its classified
 * `events` (any order; events of other symbols are refused). Every value is defined: rows without events get each
 * feature's default (EVENT_FEATURES[i].defaultValue).
 */
export function computeEventFeatures(symbol: string, dates: ArrayLike<number>, events: readonly MarketEvent[]): FeatureMatrix {
  if (typeof symbol !== 'string' || symbol.length === 0) throw new InvalidArgumentError(`symbol must be a non-empty string, got ${describeValue(symbol)}`);
  checkDates(dates, symbol);
  if (!Array.isArray(events)) throw new InvalidArgumentError(`${symbol}: events must be an array, got ${describeValue(events)}`);
  const rows = dates.length;
  const values = new Float64Array(EVENT_FEATURES.length * rows);
  const prepared = prepare(events, dates, symbol);
  const { effective, flags, typeIndex, severity, dividend, liquidity, credit, sentiment, size } = prepared;
  const counts = new Float64Array(12);
  let next = 0;
  let start = 0;
  let lastHigh = Number.NaN;
  let lastPeriodic = -1;
  for (let row = 0; row < rows; row++) {
    const today = dates[row]!;
    while (next < prepared.count && effective[next]! <= today) {
      if ((flags[next]! & HIGH) !== 0) lastHigh = effective[next]!;
      if ((flags[next]! & PERIODIC) !== 0) lastPeriodic = next;
      next++;
    }
    while (start < next && effective[start]! <= today - 90) start++;
    counts.fill(0);
    let maxSeverity = 0;
    let sumDividend = 0;
    let sumLiquidity = 0;
    let sumCredit = 0;
    let sentimentSum = 0;
    let sentimentCount = 0;
    let sentimentMin = Number.POSITIVE_INFINITY;
    let material7 = 0;
    let material90 = 0;
    let filingSeverity = 0;
    let lowAttentionSeverity = 0;
    let filingTypes = 0;
    let newsTypes = 0;
    for (let index = start; index < next; index++) {
      const age = today - effective[index]!;
      const eventFlags = flags[index]!;
      for (let category = 0; category < 4; category++) {
        if ((eventFlags & CATEGORY_FLAGS[category]!) === 0) continue;
        counts[category * 3 + 2]!++;
        if (age < 30) counts[category * 3 + 1]!++;
        if (age < 7) counts[category * 3]!++;
      }
      if (age < 30 && severity[index]! > maxSeverity) maxSeverity = severity[index]!;
      sumDividend += dividend[index]!;
      sumLiquidity += liquidity[index]!;
      sumCredit += credit[index]!;
      if ((eventFlags & MATERIAL) !== 0) {
        material90++;
        if (age < 7) material7++;
      }
      if ((eventFlags & FILING) !== 0) {
        filingSeverity += severity[index]!;
        if ((eventFlags & LOW_ATTENTION) !== 0) lowAttentionSeverity += severity[index]!;
      }
      if (age < 7) {
        if ((eventFlags & NEWS) !== 0 && !Number.isNaN(sentiment[index]!)) {
          sentimentSum += sentiment[index]!;
          sentimentCount++;
          if (sentiment[index]! < sentimentMin) sentimentMin = sentiment[index]!;
        }
        const type = typeIndex[index]!;
        if (CONFIRMABLE[type] === 1) {
          if ((eventFlags & NEWS) !== 0) newsTypes |= 1 << type;
          else filingTypes |= 1 << type;
        }
      }
    }
    for (let category = 0; category < 4; category++) {
      for (let window = 0; window < 3; window++) values[COLUMNS.count[category]![window]! * rows + row] = counts[category * 3 + window]!;
    }
    values[COLUMNS.maxSeverity * rows + row] = maxSeverity;
    values[COLUMNS.timeSince * rows + row] = Number.isNaN(lastHigh) ? TIME_SINCE_CAP_DAYS : Math.min(today - lastHigh, TIME_SINCE_CAP_DAYS);
    values[COLUMNS.impactDividend * rows + row] = sumDividend;
    values[COLUMNS.impactLiquidity * rows + row] = sumLiquidity;
    values[COLUMNS.impactCredit * rows + row] = sumCredit;
    values[COLUMNS.sentimentMean * rows + row] = sentimentCount === 0 ? 0 : sentimentSum / sentimentCount;
    values[COLUMNS.sentimentMin * rows + row] = sentimentCount === 0 ? 0 : sentimentMin;
    values[COLUMNS.acceleration * rows + row] = (material7 / 7 + ACCELERATION_PRIOR_RATE) / (material90 / 90 + ACCELERATION_PRIOR_RATE);
    values[COLUMNS.confirmation * rows + row] = (filingTypes & newsTypes) !== 0 ? 1 : 0;
    values[COLUMNS.asymmetry * rows + row] = filingSeverity > 0 ? lowAttentionSeverity / filingSeverity : 0;
    values[COLUMNS.complexity * rows + row] =
      lastPeriodic >= 0 && today - effective[lastPeriodic]! < COMPLEXITY_LOOKBACK_DAYS ? Math.log1p(size[lastPeriodic]! / BYTES_PER_MEGABYTE) : 0; // size 0 when unknown
  }
  return createFeatureMatrix({
    columns: EVENT_FEATURE_NAMES,
    values,
    symbols: [symbol],
    rowSymbols: new Int32Array(rows),
    rowDates: Int32Array.from(dates),
  });
}
