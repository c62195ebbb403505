/**
 * Classification of filings and headlines into events.
 *
 * Filings:
 * - Forms in FORM_EVENTS (10-K, 10-Q, NT 10-K, 25-NSE, 15-12B, SC TO-T ...) are events by their form alone.
 * - Current reports (8-K, 8-K/A, 6-K) give one event per distinct type among their items (items.ts). Items 1.01,
 *   1.02, 3.01, 7.01 and 8.01 say little by their number, so when the document text is available the lead of their
 *   section (first 800 characters, before the forward-looking boilerplate) goes through the text rules
 *   (text-rules.ts, every matching type). Without text, 3.01 filed together with 5.02 is taken as the listing-rule
 *   notice that follows a board change (an audit committee short of members), material rather than critical.
 * - A current report without items (older filings, or a source that did not report them) is read from its text:
 *   item headings ("Item 2.02", or the pre-2004 "Item 5."), then, when there are none, the text rules on the whole
 *   document. With neither items nor text it is one routine `other` event.
 * - Other forms (Forms 3/4/5, 13F, S-8, 424B ...) are not events.
 * - An amended filing (8-K/A) is classified like the original; it is news again, so it counts again.
 *
 * Headlines: one event. The first text rule that matches gives the type; a headline that matches none is
 * `negative_news` when its finance sentiment is bearish (severity material when the score is -4 or lower, ordinary
 * otherwise) and routine `other` news otherwise. Every headline carries its sentiment; filings carry null.
 *
 * Time: see market-time.ts. A filing whose `publicAt` is midnight UTC of its filing date has no known acceptance
 * time (the Filing contract), and a headline at exactly midnight UTC is a bare date; either is taken to be public
 * after that day's close, the safe side.
 */
import { InvalidArgumentError, describeValue, isoToDay, type Filing, type NewsItem } from '@quant/core';
import { EXHIBITS_ITEM, FORM_8K_ITEMS, FORM_EVENTS, LEGACY_8K_ITEMS, isCurrentReport, type ItemClass } from './items.js';
import { availableDayOf, effectiveTradingDay, parseInstant, toNewYorkTime } from './market-time.js';
import { FINANCE_SENTIMENT_THRESHOLDS, scoreFinancialSentiment, type SentimentThresholds } from './sentiment.js';
import { allTextClasses, firstTextClass, type TextClass } from './text-rules.js';
import { SEVERITY, type EventImpact, type EventType, type MarketEvent } from './types.js';

export interface ClassifyOptions {
  /** The symbol's bar dates (ascending day numbers): when given, each event gets its `effectiveDay`. */
  readonly tradingDays?: ArrayLike<number>;
  /** Thresholds of the headline sentiment labels (FINANCE_SENTIMENT_THRESHOLDS by default). */
  readonly sentimentThresholds?: SentimentThresholds;
}

/** Items whose number alone says little; their section text refines them. */
const REFINED_ITEMS = new Set(['1.01', '1.02', '3.01', '7.01', '8.01']);
/** How much of a section's start the text rules read: its lead states the event, the rest is detail and boilerplate. */
const SECTION_LEAD_CHARACTERS = 800;
/** A headline sentiment score at or below this makes negative news material rather than ordinary. */
const STRONGLY_NEGATIVE_SCORE = -4;

interface Candidate {
  readonly type: EventType;
  readonly severity: number;
  readonly impact: EventImpact;
  readonly basis: string;
  readonly title: string;
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', rsquo: "'", lsquo: "'", ldquo: '"', rdquo: '"', ndash: '-', mdash: '-', sect: '§', shy: '' };

/** Plain text of an HTML or text document: tags dropped, entities decoded, white space collapsed. */
export function documentText(document: string): string {
  let text = document;
  if (/<[a-z!/?]/i.test(text)) {
    text = text
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<ix:header>[\s\S]*?<\/ix:header>/gi, ' ')
      .replace(/<[^>]*>/g, ' ');
  }
  return text
    .replace(/&#(\d+);/g, (_match, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_match, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&([a-z]+);/gi, (match, name: string) => HTML_ENTITIES[name.toLowerCase()] ?? match)
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface ItemSection {
  /** Item number in the current numbering ('8.01'; a pre-2004 'Item 5.' is given as '8.01'). */
  readonly item: string;
  /** The section's text, from its heading to the next item heading or the signatures. */
  readonly text: string;
}

/**
 * Item headings of an 8-K in document order, with their section text. Current numbering first ("Item 2.02"); when a
 * document has none, the pre-2004 numbering ("Item 9. Regulation FD Disclosure"). A number mentioned inside a
 * section ("furnished under Item 2.02") starts a new section of the same item, which keeps the item list right.
 */
export function itemSections(plainText: string): ItemSection[] {
  const current = [...plainText.matchAll(/\bitem\s*(\d{1,2})\.(\d{2})\b/gi)].map((match) => ({ index: match.index, item: `${Number(match[1])}.${match[2]}` }));
  const headings = current.length > 0
    ? current
    : [...plainText.matchAll(/\bitem\s+(1[0-2]|[1-9])\.?\s+(?=[a-z])/gi)]
        .map((match) => ({ index: match.index, item: LEGACY_8K_ITEMS[match[1]!] ?? '' }))
        .filter((heading) => heading.item !== '');
  // The signature block ends the last section: its heading in capitals, or "Signature(s)" followed by "Pursuant".
  const firstHeading = headings[0]?.index ?? 0;
  const signatureMatch = [...plainText.matchAll(/\bSIGNATURES?\b|\bSignatures?\s+Pursuant\b/g)].find((match) => match.index > firstHeading);
  const signatures = signatureMatch === undefined ? -1 : signatureMatch.index;
  return headings
    .filter((heading) => signatures < 0 || heading.index < signatures)
    .map((heading, position, all) => {
      const next = all[position + 1]?.index ?? (signatures > heading.index ? signatures : plainText.length);
      return { item: heading.item, text: plainText.slice(heading.index, next) };
    });
}

/** The lead of a section: its first characters, cut before forward-looking boilerplate when that comes later. */
function sectionLead(text: string): string {
  const lower = text.toLowerCase();
  const boilerplate = lower.search(/forward[- ]looking statements/);
  return lower.slice(0, boilerplate > 100 ? Math.min(boilerplate, SECTION_LEAD_CHARACTERS) : SECTION_LEAD_CHARACTERS);
}

function fromItem(item: string, itemClass: ItemClass | undefined): Candidate {
  if (itemClass === undefined) {
    return { type: 'other', severity: SEVERITY.routine, impact: { dividend: 0, liquidity: 0, credit: 0 }, basis: `8-K item ${item} (unknown item)`, title: `Item ${item}` };
  }
  return { type: itemClass.type, severity: itemClass.severity, impact: itemClass.impact, basis: `8-K item ${item}`, title: itemClass.title };
}

function fromText(item: string, match: TextClass, title: string): Candidate {
  return { type: match.type, severity: match.severity, impact: match.impact, basis: `8-K item ${item}, text: ${match.basis}`, title };
}

function currentReportCandidates(filing: Filing, items: readonly string[]): Candidate[] {
  const text = typeof filing.text === 'string' && filing.text.length > 0 ? documentText(filing.text) : undefined;
  const sections = text === undefined ? [] : itemSections(text);
  let reported = items.filter((item) => item !== EXHIBITS_ITEM);
  let source = '8-K item';
  if (items.length === 0 && sections.length > 0) {
    reported = [...new Set(sections.map((section) => section.item))].filter((item) => item !== EXHIBITS_ITEM);
    source = '8-K item (from the text)';
  }
  if (items.length === 0 && sections.length === 0) {
    const matches = text === undefined ? [] : allTextClasses(sectionLead(text));
    if (matches.length > 0) return matches.map((match) => ({ type: match.type, severity: match.severity, impact: match.impact, basis: `text: ${match.basis}`, title: filing.description ?? filing.form }));
    return [{ type: 'other', severity: SEVERITY.routine, impact: { dividend: 0, liquidity: 0, credit: 0 }, basis: text === undefined ? 'current report without items or text' : 'current report text without a known event', title: filing.description ?? filing.form }];
  }
  const candidates: Candidate[] = [];
  for (const item of reported) {
    const itemClass = FORM_8K_ITEMS[item];
    const base = fromItem(item, itemClass);
    const sectionText = sections.filter((section) => section.item === item).map((section) => section.text).join(' ');
    if (REFINED_ITEMS.has(item) && sectionText.length > 0) {
      const matches = allTextClasses(sectionLead(sectionText)).filter((match) => match.type !== 'earnings' || item === '7.01' || item === '8.01');
      if (matches.length > 0) {
        for (const match of matches) candidates.push(fromText(item, match, base.title));
        continue;
      }
    } else if (item === '3.01' && sectionText.length === 0 && reported.includes('5.02')) {
      candidates.push({ ...base, severity: SEVERITY.material, impact: { dividend: 0, liquidity: -0.1, credit: 0 }, basis: '8-K item 3.01 with 5.02 (listing-rule notice after a board change)' });
      continue;
    }
    candidates.push(source === '8-K item' ? base : { ...base, basis: base.basis.replace('8-K item', source) });
  }
  return candidates;
}

function assertString(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidArgumentError(`${what} must be a non-empty string, got ${describeValue(value)}`);
}

function normalizeItems(filing: Filing): string[] {
  if (!Array.isArray(filing.items)) throw new InvalidArgumentError(`filing ${filing.accessionNumber}: items must be an array, got ${describeValue(filing.items)}`);
  const items: string[] = [];
  for (const raw of filing.items) {
    const match = typeof raw === 'string' ? /^\s*(?:item\s*)?(\d{1,2})\.(\d{2})\s*$/i.exec(raw) : null;
    if (match === null) throw new InvalidArgumentError(`filing ${filing.accessionNumber}: ${describeValue(raw)} is not an 8-K item number such as '2.02'`);
    const item = `${Number(match[1])}.${match[2]}`;
    if (!items.includes(item)) items.push(item);
  }
  return items;
}

/** Keeps one candidate per type: the most severe (the first of equals), with the bases of the others it absorbed. */
function onePerType(candidates: readonly Candidate[]): Candidate[] {
  const byType = new Map<EventType, Candidate>();
  for (const candidate of candidates) {
    const kept = byType.get(candidate.type);
    if (kept === undefined) byType.set(candidate.type, candidate);
    else {
      const [winner, other] = candidate.severity > kept.severity ? [candidate, kept] : [kept, candidate];
      byType.set(candidate.type, { ...winner, basis: `${winner.basis}; ${other.basis}` });
    }
  }
  return [...byType.values()];
}

interface Timing {
  readonly publicAt: string;
  readonly publicDay: number;
  readonly availableDay: number;
  readonly effectiveDay?: number;
}

/**
 * When an event became public and from which day it may count. An instant at exactly midnight UTC stands for a date
 * without a time (the Filing contract: "filing date at 00:00 UTC when unknown"; the same for headlines): it is taken
 * to be public some time on that date, so usable from the next day. For a filing this applies only when that date is
 * its filing date.
 */
function timing(publicAt: string, options: ClassifyOptions, filingDate?: string): Timing {
  const instant = parseInstant(publicAt);
  const iso = new Date(instant).toISOString();
  let publicDay = toNewYorkTime(instant).day;
  let availableDay = availableDayOf(instant);
  const knownDateOnly = filingDate ?? iso.slice(0, 10);
  if (iso === `${knownDateOnly}T00:00:00.000Z`) {
    // Acceptance time unknown: public some time on the filing date, so usable from the next day.
    publicDay = isoToDay(knownDateOnly);
    availableDay = publicDay + 1;
  }
  const effectiveDay = options.tradingDays === undefined ? undefined : effectiveTradingDay(options.tradingDays, availableDay);
  return effectiveDay === undefined ? { publicAt: iso, publicDay, availableDay } : { publicAt: iso, publicDay, availableDay, effectiveDay };
}

/** The events of one filing (none for forms that are not events). */
export function classifyFiling(filing: Filing, options: ClassifyOptions = {}): MarketEvent[] {
  if (typeof filing !== 'object' || filing === null) throw new InvalidArgumentError(`a filing must be an object, got ${describeValue(filing)}`);
  assertString(filing.symbol, 'filing symbol');
  assertString(filing.form, `filing ${filing.accessionNumber} form`);
  assertString(filing.accessionNumber, 'filing accession number');
  const form = filing.form.trim().toUpperCase();
  // EDGAR's "items" column lists 8-K items for current reports only; other forms may carry other codes there (an
  // EFFECT notice lists the form it declares effective, e.g. "S-4"), which say nothing about an event.
  const items = isCurrentReport(form) ? normalizeItems(filing) : [];
  let candidates: Candidate[];
  const formClass = FORM_EVENTS[form];
  if (formClass !== undefined) candidates = [{ type: formClass.type, severity: formClass.severity, impact: formClass.impact, basis: `form ${form}`, title: formClass.title }];
  else if (isCurrentReport(form)) candidates = onePerType(currentReportCandidates(filing, items));
  else return [];
  const time = timing(filing.publicAt, options, filing.filingDate);
  return candidates.map((candidate) => ({
    symbol: filing.symbol,
    type: candidate.type,
    source: 'filing',
    sourceId: filing.accessionNumber,
    ...time,
    severity: candidate.severity,
    impact: candidate.impact,
    sentiment: null,
    title: `${form}${items.length > 0 ? ` ${items.join(',')}` : ''}: ${candidate.title}`,
    items,
    form,
    ...(typeof filing.size === 'number' && Number.isFinite(filing.size) && filing.size >= 0 ? { size: filing.size } : {}),
    basis: candidate.basis,
  }));
}

/** The event of one headline. */
export function classifyNews(item: NewsItem, options: ClassifyOptions = {}): MarketEvent {
  if (typeof item !== 'object' || item === null) throw new InvalidArgumentError(`a news item must be an object, got ${describeValue(item)}`);
  assertString(item.symbol, 'news symbol');
  assertString(item.title, 'news title');
  const score = scoreFinancialSentiment(item.title, options.sentimentThresholds ?? FINANCE_SENTIMENT_THRESHOLDS);
  const match = firstTextClass(item.title.toLowerCase());
  let candidate: Candidate;
  if (match !== undefined) candidate = { type: match.type, severity: match.severity, impact: match.impact, basis: `headline: ${match.basis}`, title: item.title };
  else if (score.label === 'bearish') {
    const severity = score.score <= STRONGLY_NEGATIVE_SCORE ? SEVERITY.material : SEVERITY.ordinary;
    candidate = { type: 'negative_news', severity, impact: { dividend: 0, liquidity: 0, credit: 0 }, basis: `headline: bearish sentiment (score ${score.score})`, title: item.title };
  } else candidate = { type: 'other', severity: SEVERITY.routine, impact: { dividend: 0, liquidity: 0, credit: 0 }, basis: 'headline: no event type', title: item.title };
  const time = timing(item.publicAt, options);
  return {
    symbol: item.symbol,
    type: candidate.type,
    source: 'news',
    sourceId: item.url ?? `${item.publisher ?? ''}|${time.publicAt}|${item.title}`,
    ...time,
    severity: candidate.severity,
    impact: candidate.impact,
    sentiment: score.sentiment,
    title: item.title,
    items: [],
    basis: candidate.basis,
  };
}

/** All events of a symbol's filings and headlines, in the order they became available (then public instant). */
export function classifyEvents(filings: readonly Filing[], news: readonly NewsItem[], options: ClassifyOptions = {}): MarketEvent[] {
  const events = [...filings.flatMap((filing) => classifyFiling(filing, options)), ...news.map((item) => classifyNews(item, options))];
  return events.sort((a, b) => a.availableDay - b.availableDay || (a.publicAt < b.publicAt ? -1 : a.publicAt > b.publicAt ? 1 : 0));
}

/** Events with their effective trading day set from the symbol's bar dates (effectiveTradingDay; none after the last date). */
export function withEffectiveDays(events: readonly MarketEvent[], tradingDays: ArrayLike<number>): MarketEvent[] {
  return events.map((event) => {
    const effectiveDay = effectiveTradingDay(tradingDays, event.availableDay);
    if (effectiveDay === undefined) {
      const { effectiveDay: _dropped, ...rest } = event;
      return rest;
    }
    return { ...event, effectiveDay };
  });
}
