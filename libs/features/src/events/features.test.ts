import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError, getColumn, isoToDay, type FeatureMatrix } from '@quant/core';
import { loadBars } from '@quant/sample-data';
import { readAgilentHeadlines, readSubmissions } from '../__fixtures__/events/edgar.js';
import { computeTechnicalFeatures } from '../technical.js';
import { TECHNICAL_FEATURE_NAMES } from '../registry.js';
import { classifyFiling, classifyNews, withEffectiveDays } from './classify.js';
import { COMBINED_FEATURE_NAMES, COMBINED_FEATURE_SET_VERSION, combineFeatureMatrices } from './combine.js';
import { computeEventFeatures } from './features.js';
import { EVENT_FEATURES, EVENT_FEATURE_NAMES, EVENT_FEATURE_SET_VERSION } from './registry.js';
import { EVENT_TYPES, type EventType, type MarketEvent } from './types.js';

/** The 23 names of the issue, written out. */
const ISSUE_NAMES = [
  'event_count_refinancing_7d', 'event_count_refinancing_30d', 'event_count_refinancing_90d',
  'event_count_dividend_7d', 'event_count_dividend_30d', 'event_count_dividend_90d',
  'event_count_litigation_7d', 'event_count_litigation_30d', 'event_count_litigation_90d',
  'event_count_negative_news_7d', 'event_count_negative_news_30d', 'event_count_negative_news_90d',
  'max_event_severity_30d', 'time_since_last_high_severity_event',
  'sum_impact_dividend_90d', 'sum_impact_liquidity_90d', 'sum_impact_credit_90d',
  'news_sentiment_mean_7d', 'news_sentiment_min_7d',
  'event_intensity_acceleration_ratio', 'cross_source_confirmation_flag', 'information_asymmetry_proxy_score', 'filing_complexity_index',
];

function row(matrix: FeatureMatrix, date: string): Record<string, number> {
  const index = matrix.rowDates.indexOf(isoToDay(date));
  if (index < 0) throw new Error(`no row for ${date}`);
  return Object.fromEntries(matrix.columns.map((name, column) => [name, matrix.values[column * matrix.rowCount + index]!]));
}

/** Weekdays from `start`, `count` of them (a calendar without holidays). */
function weekdays(start: string, count: number): Int32Array {
  const dates: number[] = [];
  for (let day = isoToDay(start); dates.length < count; day++) if ((day + 4) % 7 !== 0 && (day + 4) % 7 !== 6) dates.push(day);
  return Int32Array.from(dates);
}

function event(fields: Partial<MarketEvent> & { type: EventType; availableDay: number }): MarketEvent {
  return {
    symbol: 'TEST',
    source: 'filing',
    sourceId: `id-${fields.availableDay}-${fields.type}`,
    publicAt: new Date(fields.availableDay * 86_400_000).toISOString(),
    publicDay: fields.availableDay,
    severity: 0.3,
    impact: { dividend: 0, liquidity: 0, credit: 0 },
    sentiment: null,
    title: '',
    items: [],
    basis: 'test',
    ...fields,
  };
}

describe('the event feature registry', () => {
  it('has the 23 features of the issue, in order, with a version like the technical one', () => {
    expect(EVENT_FEATURE_NAMES).toEqual(ISSUE_NAMES);
    expect(EVENT_FEATURE_SET_VERSION).toMatch(/^event-23-[0-9a-f]{8}$/);
    for (const feature of EVENT_FEATURES) {
      expect(Number.isFinite(feature.defaultValue)).toBe(true);
      expect(feature.formula.length).toBeGreaterThan(40);
    }
  });

  it('gives every feature its documented default when a symbol has no events (never NaN)', () => {
    const dates = weekdays('2020-01-06', 30);
    const matrix = computeEventFeatures('TEST', dates, []);
    expect(matrix.columns).toEqual(ISSUE_NAMES);
    expect(matrix.rowCount).toBe(30);
    expect([...matrix.rowDates]).toEqual([...dates]);
    const defaults = Object.fromEntries(EVENT_FEATURES.map((feature) => [feature.name, feature.defaultValue]));
    // Written out: counts, severities, impacts, sentiments, flags and scores 0; time since capped at 365; ratio 1.
    expect(defaults).toEqual({ ...Object.fromEntries(ISSUE_NAMES.map((name) => [name, 0])), time_since_last_high_severity_event: 365, event_intensity_acceleration_ratio: 1 });
    for (let index = 0; index < 30; index++) expect(row(matrix, new Date(dates[index]! * 86_400_000).toISOString().slice(0, 10))).toEqual(defaults);
  });
});

describe('computeEventFeatures on real data, against hand computation', () => {
  it('AAPL on Monday 24 August 2020, from its recorded filings', () => {
    const bars = loadBars('AAPL');
    const events = readSubmissions('submissions-CIK0000320193.trimmed.json').filings.flatMap((filing) => classifyFiling(filing, { tradingDays: bars.dates }));
    const features = row(computeEventFeatures('AAPL', bars.dates, events), '2020-08-24');
    // Apple's events effective in the 90 days (2020-05-26, 2020-08-24] (Apple's stamps are New York time):
    //   8-K 2.02 earnings, severity 0.3, public Thu 30 Jul 18:55 (after the close) -> effective Fri 31 Jul
    //   10-Q periodic report, 0.1, size 11,076,413 bytes, public Thu 30 Jul 19:29 -> effective Fri 31 Jul
    //   8-K 5.03 governance, 0.1, public Fri 7 Aug 17:20 -> effective Mon 10 Aug (3 days later: a low-attention release)
    //   8-K 8.01 other, 0.1, public Thu 20 Aug 16:30 -> effective Fri 21 Aug
    // (the 8.01 of 11 May is effective 12 May, before the window).
    // - no refinancing, dividend, litigation or news events: the 12 counts are 0; no headline: sentiment 0 and 0;
    // - max severity in (25 Jul, 24 Aug]: 0.3 (the earnings release);
    // - no event of severity >= 0.7 ever: time since = 365 (the cap); no impacts: 0, 0, 0;
    // - events of severity >= 0.3: none in the last 7 days, 1 in the last 90: (0/7 + 1/90) / (1/90 + 1/90) = 0.5;
    // - no headline, so no cross-source confirmation: 0;
    // - asymmetry: low-attention severity / all filing severity = 0.1 / (0.3 + 0.1 + 0.1 + 0.1) = 1/6;
    // - complexity: latest periodic report = that 10-Q: ln(1 + 11,076,413 / 1,000,000) = ln(12.076413) = 2.491254.
    expect(features).toEqual({
      ...Object.fromEntries(ISSUE_NAMES.map((name) => [name, 0])),
      max_event_severity_30d: 0.3,
      time_since_last_high_severity_event: 365,
      event_intensity_acceleration_ratio: 0.5,
      information_asymmetry_proxy_score: expect.closeTo(1 / 6, 12),
      filing_complexity_index: expect.closeTo(Math.log(12.076413), 12),
    });
    expect(features['filing_complexity_index']).toBeCloseTo(2.491254, 6);
  });

  it('Agilent (A) on Thursday 16 April 2020, from its recorded Benzinga headlines', () => {
    const bars = loadBars('A');
    const headlines = readAgilentHeadlines();
    const events = headlines.map((item) => classifyNews(item, { tradingDays: bars.dates }));
    const features = row(computeEventFeatures('A', bars.dates, events), '2020-04-16');
    // Negative news = headlines with sentiment <= -tanh(1.5 / 4) = -0.358. Headlines effective (bare dates count
    // from the next trading day):
    //   7 days (9 Apr, 16 Apr]: "Agilent Withdraws Q2 And FY20 Guidance" (14 Apr -> 15 Apr): guidance cut, severity 0.5,
    //     liquidity -0.1, sentiment tanh(-3/4) = -0.635149. ("auto dealer" of 8 Apr counts from 9 Apr: outside.)
    //     -> negative 7d = 1; sentiment mean = min = -0.635149.
    //   30 days (17 Mar, 16 Apr], negative: that one; Stifel lowers target (3 Apr, -0.462); "trading lower amid market
    //     weakness" (2 Apr, -0.635); Barclays lowers target (27 Mar, -0.462); Citigroup lowers target (23 Mar, -0.462)
    //     -> 5. Highest severity among all 13 of the window: 0.5 (the guidance cut).
    //   90 days (17 Jan, 16 Apr], negative: those 5; "52-Week Lows On Monday" (17 Mar); basic materials (16 Mar, -0.848);
    //     "52-Week Lows On Thursday" (13 Mar); "Net Revenue Was Negatively Impacted" (4 Mar); Needham downgrade
    //     (25 Feb); "Reaffirms FY20 Guidance ... vs $3.42 Estimate" (19 Feb, -0.462) -> 11.
    //     Litigation: "Twist Bioscience Reports Settlement Deal" (7 Feb): 1, a settlement, liquidity -0.1, credit -0.1.
    //     Impacts: dividend 0; liquidity -0.1 (guidance cut) - 0.1 (settlement) = -0.2; credit -0.1.
    // - events of severity >= 0.3: 1 in 7 days (the guidance cut), 18 in 90 days (12 headlines of 0.3 or 0.5 in
    //   March-April, 5 of 19-25 Feb, the settlement): (1/7 + 1/90) / (18/90 + 1/90) = (97/630) / (19/90) = 97/133;
    // - no event of severity >= 0.7: 365; no filings: confirmation 0, asymmetry 0, complexity 0.
    expect(features).toEqual({
      ...Object.fromEntries(ISSUE_NAMES.map((name) => [name, 0])),
      event_count_litigation_90d: 1,
      event_count_negative_news_7d: 1,
      event_count_negative_news_30d: 5,
      event_count_negative_news_90d: 11,
      max_event_severity_30d: 0.5,
      time_since_last_high_severity_event: 365,
      sum_impact_liquidity_90d: expect.closeTo(-0.2, 12),
      sum_impact_credit_90d: -0.1,
      news_sentiment_mean_7d: expect.closeTo(Math.tanh(-0.75), 12),
      news_sentiment_min_7d: expect.closeTo(Math.tanh(-0.75), 12),
      event_intensity_acceleration_ratio: expect.closeTo(97 / 133, 12),
    });
  });
});

describe('computeEventFeatures on a constructed case', () => {
  // Weekdays from Monday 6 January 2020; rows of interest written out below.
  const dates = weekdays('2020-01-06', 60);
  const day = isoToDay;
  const events: MarketEvent[] = [
    // Before the first date: counts from its available day (Friday 3 January).
    event({ type: 'dividend', availableDay: day('2020-01-03'), publicDay: day('2020-01-02'), severity: 0.3, impact: { dividend: 0.5, liquidity: -0.1, credit: 0 } }),
    // A bankruptcy filed Friday 10 January after the close: public day 10th, effective Monday 13th.
    event({ type: 'bankruptcy', availableDay: day('2020-01-11'), publicDay: day('2020-01-10'), severity: 1, impact: { dividend: -1, liquidity: -1, credit: -1 }, form: '8-K', items: ['1.03'] }),
    // A headline on the same bankruptcy on Monday 13th, and a negative headline without a type.
    event({ type: 'bankruptcy', source: 'news', availableDay: day('2020-01-13'), severity: 1, impact: { dividend: -1, liquidity: -1, credit: -1 }, sentiment: -0.9 }),
    event({ type: 'negative_news', source: 'news', availableDay: day('2020-01-14'), severity: 0.3, sentiment: -0.5 }),
    // A refinancing on Wednesday 15th and a 10-K (2,000,000 bytes) on Thursday 16th.
    event({ type: 'refinancing', availableDay: day('2020-01-15'), severity: 0.3, impact: { dividend: 0, liquidity: 0.3, credit: -0.2 } }),
    event({ type: 'periodic_report', availableDay: day('2020-01-16'), severity: 0.1, form: '10-K', size: 2_000_000 }),
  ];
  const matrix = computeEventFeatures('TEST', dates, events);

  it('on Thursday 16 January 2020', () => {
    // 7 days (9 Jan, 16 Jan]: bankruptcy filing (13th), bankruptcy headline (13th), negative headline (14th),
    //   refinancing (15th), 10-K (16th). 30 days (17 Dec, 16 Jan]: also the dividend (3 Jan).
    // counts: refinancing 1/1/1; dividend 0/1/1; litigation 0; negative news: the two headlines with sentiment
    //   -0.9 and -0.5 (<= -0.358) 2/2/2. Max severity 1. High severity (>= 0.7) last effective 13 Jan: 3 days.
    // impacts (90 days): dividend 0.5 - 1 - 1 = -1.5; liquidity -0.1 - 1 - 1 + 0.3 = -1.8; credit -1 - 1 - 0.2 = -2.2.
    // sentiment (7 days): mean (-0.9 - 0.5) / 2 = -0.7, min -0.9.
    // severity >= 0.3: 4 in 7 days (not the 10-K), 5 in 90: (4/7 + 1/90) / (5/90 + 1/90) = (367/630) / (6/90) = 8.738095.
    // confirmation: bankruptcy from a filing and a headline within 7 days: 1.
    // asymmetry: filing severities 0.3 (dividend: public 2 Jan, effective 3 Jan, gap 1), 1 (bankruptcy: 10th -> 13th,
    //   gap 3: low attention), 0.3 (refinancing, gap 0), 0.1 (10-K, gap 0): 1 / 1.7 = 0.588235.
    // complexity: ln(1 + 2) = 1.098612.
    expect(row(matrix, '2020-01-16')).toEqual({
      event_count_refinancing_7d: 1, event_count_refinancing_30d: 1, event_count_refinancing_90d: 1,
      event_count_dividend_7d: 0, event_count_dividend_30d: 1, event_count_dividend_90d: 1,
      event_count_litigation_7d: 0, event_count_litigation_30d: 0, event_count_litigation_90d: 0,
      event_count_negative_news_7d: 2, event_count_negative_news_30d: 2, event_count_negative_news_90d: 2,
      max_event_severity_30d: 1,
      time_since_last_high_severity_event: 3,
      sum_impact_dividend_90d: -1.5,
      sum_impact_liquidity_90d: expect.closeTo(-1.8, 12),
      sum_impact_credit_90d: expect.closeTo(-2.2, 12),
      news_sentiment_mean_7d: expect.closeTo(-0.7, 12),
      news_sentiment_min_7d: -0.9,
      event_intensity_acceleration_ratio: expect.closeTo((4 / 7 + 1 / 90) / (6 / 90), 12),
      cross_source_confirmation_flag: 1,
      information_asymmetry_proxy_score: expect.closeTo(1 / 1.7, 12),
      filing_complexity_index: expect.closeTo(Math.log(3), 12),
    });
  });

  it('before and after: Friday 10 January (bankruptcy public after the close) and Friday 24 January', () => {
    // 10 January: only the dividend (effective Friday 3 Jan) is known; the bankruptcy filed that evening is not.
    // The 7-day window (3 Jan, 10 Jan] no longer holds the dividend; the 30-day one does.
    const friday = row(matrix, '2020-01-10');
    expect([friday['event_count_dividend_7d'], friday['event_count_dividend_30d'], friday['max_event_severity_30d']]).toEqual([0, 1, 0.3]);
    expect(friday['time_since_last_high_severity_event']).toBe(365);
    expect(friday['filing_complexity_index']).toBe(0);
    // 24 January: the 7-day window (17 Jan, 24 Jan] is empty, the bankruptcy was 11 days ago, confirmation is over.
    const later = row(matrix, '2020-01-24');
    expect([later['event_count_negative_news_7d'], later['event_count_negative_news_30d'], later['time_since_last_high_severity_event']]).toEqual([0, 2, 11]);
    expect([later['news_sentiment_mean_7d'], later['news_sentiment_min_7d'], later['cross_source_confirmation_flag']]).toEqual([0, 0, 0]);
    // severity >= 0.3: none in 7 days, 5 in 90: (0 + 1/90) / (5/90 + 1/90) = 1/6.
    expect(later['event_intensity_acceleration_ratio']).toBeCloseTo(1 / 6, 12);
  });
});

/** Random events of one symbol on a weekday calendar (fast-check). */
const eventArbitrary = (firstDay: number, span: number): fc.Arbitrary<MarketEvent> =>
  fc
    .record({
      type: fc.constantFrom(...EVENT_TYPES),
      news: fc.boolean(),
      availableDay: fc.integer({ min: firstDay - 120, max: firstDay + span + 5 }),
      lag: fc.integer({ min: 0, max: 3 }),
      severity: fc.constantFrom(0.1, 0.3, 0.5, 0.7, 0.9, 1),
      dividend: fc.double({ min: -1, max: 1, noNaN: true }),
      liquidity: fc.double({ min: -1, max: 1, noNaN: true }),
      credit: fc.double({ min: -1, max: 1, noNaN: true }),
      sentiment: fc.double({ min: -1, max: 1, noNaN: true }),
      periodic: fc.boolean(),
      size: fc.integer({ min: 0, max: 30_000_000 }),
    })
    .map((drawn) =>
      event({
        type: drawn.type,
        source: drawn.news ? 'news' : 'filing',
        availableDay: drawn.availableDay,
        publicDay: drawn.availableDay - drawn.lag,
        severity: drawn.severity,
        impact: { dividend: drawn.dividend, liquidity: drawn.liquidity, credit: drawn.credit },
        sentiment: drawn.news ? drawn.sentiment : null,
        ...(!drawn.news && drawn.periodic ? { form: '10-Q', size: drawn.size } : {}),
      }),
    );

const DATES = weekdays('2020-01-06', 150);
const FIRST = DATES[0]!;
const SPAN = DATES[DATES.length - 1]! - FIRST;

/** Index of the first row whose date is on or after `day`. */
const firstRowFrom = (day: number): number => {
  const index = DATES.findIndex((date) => date >= day);
  return index < 0 ? DATES.length : index;
};

function sameRows(a: FeatureMatrix, b: FeatureMatrix, rows: number): void {
  for (let column = 0; column < a.columnCount; column++) {
    const left = getColumn(a, column).subarray(0, rows);
    const right = getColumn(b, column).subarray(0, rows);
    expect({ feature: a.columns[column], values: [...right] }).toEqual({ feature: a.columns[column], values: [...left] });
  }
}

describe('point in time (fast-check)', () => {
  it('no event changes any feature on a day before its effective trading day', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary(FIRST, SPAN), { maxLength: 40 }), eventArbitrary(FIRST, SPAN), (events, extra) => {
        const without = computeEventFeatures('TEST', DATES, events);
        const withExtra = computeEventFeatures('TEST', DATES, [...events, extra]);
        // Rows before the first date on or after the extra event's available day are unchanged.
        sameRows(without, withExtra, firstRowFrom(extra.availableDay));
      }),
      { numRuns: 150 },
    );
  });

  it('a headline public at any instant leaves every earlier day alone, and its own day too when it came after the close', () => {
    const dayMs = 86_400_000;
    fc.assert(
      fc.property(
        fc.array(eventArbitrary(FIRST, SPAN), { maxLength: 20 }),
        fc.integer({ min: (FIRST - 10) * dayMs, max: (FIRST + SPAN) * dayMs }),
        fc.constantFrom('Acme misses estimates and cuts guidance', 'Acme files for Chapter 11', 'Acme raises dividend', 'Acme upgraded to buy'),
        (events, instant, title) => {
          const headline = classifyNews({ symbol: 'TEST', title, publicAt: new Date(instant).toISOString() });
          const without = computeEventFeatures('TEST', DATES, events);
          const withHeadline = computeEventFeatures('TEST', DATES, [...events, headline]);
          const unchanged = firstRowFrom(headline.availableDay);
          sameRows(without, withHeadline, unchanged);
          // After the close (or on a day without trading) the available day is the next day, so the row of the
          // public day itself, when it is a trading day, is among the unchanged rows.
          const ownRow = DATES.indexOf(headline.publicDay);
          if (headline.availableDay > headline.publicDay && ownRow >= 0) expect(ownRow).toBeLessThan(unchanged);
          if (headline.availableDay === headline.publicDay && ownRow >= 0) expect(ownRow).toBe(unchanged);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a row computed from only the events effective by its date equals the same row computed from all events', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary(FIRST, SPAN), { maxLength: 40 }), fc.integer({ min: 0, max: DATES.length - 1 }), (events, index) => {
        const known = withEffectiveDays(events, DATES).filter((candidate) => candidate.effectiveDay !== undefined && candidate.effectiveDay <= DATES[index]!);
        const full = computeEventFeatures('TEST', DATES, events);
        const partial = computeEventFeatures('TEST', DATES, known);
        for (let column = 0; column < full.columnCount; column++) expect(getColumn(partial, column)[index]).toBe(getColumn(full, column)[index]);
      }),
      { numRuns: 150 },
    );
  });

  it('computes any date range: a sub-range with stored effective days equals the same rows of the full range, and nothing is ever NaN', () => {
    fc.assert(
      fc.property(fc.array(eventArbitrary(FIRST, SPAN), { maxLength: 40 }), fc.integer({ min: 1, max: DATES.length - 1 }), (events, start) => {
        const stored = withEffectiveDays(events, DATES);
        const full = computeEventFeatures('TEST', DATES, stored);
        const part = computeEventFeatures('TEST', DATES.subarray(start), stored);
        for (let column = 0; column < full.columnCount; column++) {
          expect([...getColumn(part, column)]).toEqual([...getColumn(full, column).subarray(start)]);
          expect(getColumn(full, column).every((value) => Number.isFinite(value))).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('computeEventFeatures input checks', () => {
  const dates = weekdays('2020-01-06', 5);
  it('refuses unsorted or empty dates, other symbols\' events and events effective before they were public', () => {
    expect(() => computeEventFeatures('TEST', Int32Array.from([3, 2]), [])).toThrowError(/strictly ascending/);
    expect(() => computeEventFeatures('TEST', new Int32Array(0), [])).toThrowError(InvalidArgumentError);
    expect(() => computeEventFeatures('TEST', dates, [{ ...event({ type: 'dividend', availableDay: dates[1]! }), symbol: 'OTHER' }])).toThrowError(/belongs to "OTHER"/);
    expect(() => computeEventFeatures('TEST', dates, [event({ type: 'dividend', availableDay: dates[2]!, effectiveDay: dates[1]! })])).toThrowError(/before it was public/);
    expect(() => computeEventFeatures('TEST', dates, [event({ type: 'dividend', availableDay: dates[2]!, severity: 2 })])).toThrowError(/severity 2/);
    expect(() => computeEventFeatures('TEST', dates, [event({ type: 'dividend', availableDay: dates[2]!, sentiment: Number.NaN })])).toThrowError(/sentiment/);
    expect(() => computeEventFeatures('TEST', dates, [event({ type: 'nonsense' as EventType, availableDay: dates[2]! })])).toThrowError(/unknown type/);
  });
});

describe('the 202-column layout', () => {
  it('puts the 179 technical columns then the 23 event columns of the same rows', () => {
    const bars = loadBars('AAPL');
    const technical = computeTechnicalFeatures(bars);
    const events = computeEventFeatures('AAPL', bars.dates, readSubmissions('submissions-CIK0000320193.trimmed.json').filings.flatMap((filing) => classifyFiling(filing)));
    const combined = combineFeatureMatrices(technical, events);
    expect(combined.columnCount).toBe(202);
    expect(combined.columns).toEqual([...TECHNICAL_FEATURE_NAMES, ...ISSUE_NAMES]);
    expect(COMBINED_FEATURE_NAMES).toEqual(combined.columns);
    expect(COMBINED_FEATURE_SET_VERSION).toMatch(/^technical-179-[0-9a-f]{8}\+event-23-[0-9a-f]{8}$/);
    const close = combined.columns.indexOf('return_1');
    const complexity = combined.columns.indexOf('filing_complexity_index');
    expect([...getColumn(combined, close)]).toEqual([...getColumn(technical, 'return_1')]);
    expect([...getColumn(combined, complexity)]).toEqual([...getColumn(events, 'filing_complexity_index')]);
    expect(() => combineFeatureMatrices(events, technical)).toThrowError(/technical columns/);
    const shorter = computeEventFeatures('AAPL', bars.dates.subarray(1), []);
    expect(() => combineFeatureMatrices(technical, shorter)).toThrowError(/1259 rows but the event matrix has 1258/);
    const otherSymbol = computeEventFeatures('MSFT', bars.dates, []);
    expect(() => combineFeatureMatrices(technical, otherSymbol)).toThrowError(/row 0 is AAPL/);
  });
});
