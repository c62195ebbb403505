/**
 * The rare-event archive and the stored form of events.
 *
 * Rare events are the high-severity ones (severity >= HIGH_SEVERITY): bankruptcy (8-K 1.03), delisting notices
 * (3.01, Forms 25 and 15), restatements (4.02), cybersecurity incidents (1.05), accelerated debt and other debt
 * distress (2.04, forbearance, going concern), dividend cuts and suspensions, late filings (NT 10-K, NT 10-Q).
 * They are a few per thousand filings, so a model sees too few of them; the archive keeps them (the `rare` flag of
 * the events table) so that training and replay can find them.
 */
import { FormatError, describeValue } from '@quant/core';
import { parseInstant, toNewYorkTime } from './market-time.js';
import { EVENT_TYPES, HIGH_SEVERITY, type EventType, type MarketEvent } from './types.js';

/** An event worth keeping in the rare-event archive. */
export function isRareEvent(event: MarketEvent): boolean {
  return event.severity >= HIGH_SEVERITY;
}

/** The rare events among `events`, most severe first, then oldest first. */
export function selectRareEvents(events: readonly MarketEvent[]): MarketEvent[] {
  return events.filter(isRareEvent).sort((a, b) => b.severity - a.severity || (a.publicAt < b.publicAt ? -1 : a.publicAt > b.publicAt ? 1 : 0));
}

/**
 * An event as the `events` table stores it (the shape of @quant/db's EventRow, which this library does not import):
 * filings are source `sec`; `effectiveDate` is the effective trading day, or the available day when the bars of that
 * day were not known yet (the same day whenever it is a trading day); items are comma-separated.
 */
export interface EventRecord {
  readonly symbol: string;
  readonly source: 'sec' | 'news';
  readonly sourceId: string;
  readonly eventType: string;
  readonly publishedAt: string;
  readonly effectiveDate: number;
  readonly severity: number;
  readonly impactDividend: number;
  readonly impactLiquidity: number;
  readonly impactCredit: number;
  readonly sentiment: number | null;
  readonly title: string;
  readonly items: string | null;
  readonly rare: boolean;
  readonly payload: unknown;
}

interface EventPayload {
  readonly publicDay: number;
  readonly availableDay: number;
  readonly basis: string;
  readonly form?: string;
  readonly size?: number;
}

/** The stored form of an event; `rare` is isRareEvent. */
export function toEventRecord(event: MarketEvent): EventRecord {
  const payload: EventPayload = {
    publicDay: event.publicDay,
    availableDay: event.availableDay,
    basis: event.basis,
    ...(event.form === undefined ? {} : { form: event.form }),
    ...(event.size === undefined ? {} : { size: event.size }),
  };
  return {
    symbol: event.symbol,
    source: event.source === 'filing' ? 'sec' : 'news',
    sourceId: event.sourceId,
    eventType: event.type,
    publishedAt: event.publicAt,
    effectiveDate: event.effectiveDay ?? event.availableDay,
    severity: event.severity,
    impactDividend: event.impact.dividend,
    impactLiquidity: event.impact.liquidity,
    impactCredit: event.impact.credit,
    sentiment: event.sentiment,
    title: event.title,
    items: event.items.length > 0 ? event.items.join(',') : null,
    rare: isRareEvent(event),
    payload,
  };
}

const EVENT_TYPE_SET: ReadonlySet<string> = new Set(EVENT_TYPES);

function payloadNumber(payload: Record<string, unknown>, key: string): number | undefined {
  const value = payload[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
}

/**
 * An event read back from storage. Throws FormatError for an unknown type or source. Records without a payload
 * (written by something else) take the New York day of `publishedAt` as public day and `effectiveDate` as both the
 * available and the effective day.
 */
export function fromEventRecord(record: EventRecord): MarketEvent {
  if (!EVENT_TYPE_SET.has(record.eventType)) throw new FormatError(`stored event ${describeValue(record.sourceId)} has an unknown type ${describeValue(record.eventType)}`);
  if (record.source !== 'sec' && record.source !== 'news') throw new FormatError(`stored event ${describeValue(record.sourceId)} has an unknown source ${describeValue(record.source)}`);
  const payload = typeof record.payload === 'object' && record.payload !== null ? (record.payload as Record<string, unknown>) : {};
  const availableDay = payloadNumber(payload, 'availableDay') ?? record.effectiveDate;
  const publicDay = payloadNumber(payload, 'publicDay') ?? Math.min(availableDay, toNewYorkTime(parseInstant(record.publishedAt)).day);
  const size = payload['size'];
  return {
    symbol: record.symbol,
    type: record.eventType as EventType,
    source: record.source === 'sec' ? 'filing' : 'news',
    sourceId: record.sourceId,
    publicAt: record.publishedAt,
    publicDay,
    availableDay,
    effectiveDay: record.effectiveDate,
    severity: record.severity,
    impact: { dividend: record.impactDividend, liquidity: record.impactLiquidity, credit: record.impactCredit },
    sentiment: record.sentiment,
    title: record.title,
    items: record.items === null || record.items === '' ? [] : record.items.split(','),
    ...(typeof payload['form'] === 'string' ? { form: payload['form'] } : {}),
    ...(typeof size === 'number' ? { size } : {}),
    basis: typeof payload['basis'] === 'string' ? payload['basis'] : 'stored event',
  };
}
