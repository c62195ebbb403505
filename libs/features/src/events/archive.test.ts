import { describe, expect, it } from 'vitest';
import { FormatError, isoToDay } from '@quant/core';
import { readAgilentHeadlines, readSubmissions } from '../__fixtures__/events/edgar.js';
import { fromEventRecord, isRareEvent, selectRareEvents, toEventRecord } from './archive.js';
import { classifyFiling, classifyNews } from './classify.js';
import { computeEventFeatures } from './features.js';
import type { MarketEvent } from './types.js';

const eventsOf = (name: string, symbol?: string): MarketEvent[] => readSubmissions(name, symbol).filings.flatMap((filing) => classifyFiling(filing));

describe('the rare-event archive', () => {
  it('keeps the bankruptcies, accelerations, restatements, delisting notices and breaches of the recorded filers', () => {
    const wolfspeed = selectRareEvents(eventsOf('submissions-CIK0000895419.trimmed.json'));
    // Wolfspeed 2021-2025: three 8-Ks with item 1.03 (bankruptcy, 2025), two with 2.04 (accelerated debt), one 3.01.
    expect(wolfspeed.filter((event) => event.type === 'bankruptcy')).toHaveLength(3);
    expect(wolfspeed.filter((event) => event.type === 'refinancing').map((event) => event.items.includes('2.04'))).toEqual([true, true]);
    expect(wolfspeed.filter((event) => event.type === 'delisting')).toHaveLength(1);
    expect(wolfspeed[0]!.severity).toBe(1); // most severe first
    const carbo = selectRareEvents(eventsOf('submissions-CIK0001009672.trimmed.json', 'CRR'));
    // CARBO Ceramics 2019-2020: two Nasdaq notices (3.01), Chapter 11 (1.03 with 2.04 acceleration, then 1.03 again),
    // the late annual report (NT 10-K) and the deregistration (Form 15-12B).
    expect(carbo.map((event) => `${event.type} ${event.form}`).sort()).toEqual([
      'bankruptcy 8-K', 'bankruptcy 8-K', 'delisting 15-12B', 'delisting 8-K', 'delisting 8-K', 'late_filing NT 10-K', 'refinancing 8-K',
    ]);
    const microsoft = selectRareEvents(eventsOf('submissions-CIK0000789019.trimmed.json'));
    expect(microsoft.map((event) => [event.type, event.form, event.publicAt.slice(0, 10)])).toEqual([['cybersecurity', '8-K', '2024-01-19'], ['cybersecurity', '8-K/A', '2024-03-08']]);
    const solidion = selectRareEvents(eventsOf('submissions-CIK0001881551.trimmed.json'));
    expect(solidion.filter((event) => event.type === 'restatement')).toHaveLength(3);
    expect(solidion.filter((event) => event.type === 'late_filing').length).toBeGreaterThan(0);
    // Apple 2016-2021 and Agilent's headlines have nothing rare.
    expect(selectRareEvents(eventsOf('submissions-CIK0000320193.trimmed.json'))).toEqual([]);
    expect(selectRareEvents(readAgilentHeadlines().map((item) => classifyNews(item)))).toEqual([]);
  });

  it('flags exactly the events of severity 0.7 and above', () => {
    const all = [...eventsOf('submissions-CIK0000895419.trimmed.json'), ...eventsOf('submissions-CIK0001324424.trimmed.json')];
    for (const event of all) expect(isRareEvent(event)).toBe(event.severity >= 0.7);
  });
});

describe('stored events', () => {
  it('round-trip through the events-table shape and give the same features', () => {
    const dates = Int32Array.from({ length: 400 }, (_, index) => isoToDay('2023-06-01') + index);
    const events = eventsOf('submissions-CIK0000895419.trimmed.json').map((event) => ({ ...event, effectiveDay: event.availableDay }));
    const records = events.map(toEventRecord);
    expect(records[0]).toMatchObject({ symbol: 'WOLF', source: 'sec' });
    expect(records.filter((record) => record.rare).length).toBe(events.filter(isRareEvent).length);
    const restored = records.map(fromEventRecord);
    expect(restored).toEqual(events);
    const original = computeEventFeatures('WOLF', dates, events);
    expect(computeEventFeatures('WOLF', dates, restored).values).toEqual(original.values);
    const news = toEventRecord(classifyNews(readAgilentHeadlines()[0]!));
    expect(news).toMatchObject({ source: 'news', items: null, rare: false });
    expect(fromEventRecord(news).source).toBe('news');
  });

  it('refuses stored rows it cannot read', () => {
    const record = toEventRecord(eventsOf('submissions-CIK0000789019.trimmed.json')[0]!);
    expect(() => fromEventRecord({ ...record, eventType: 'alien_invasion' })).toThrowError(FormatError);
    expect(() => fromEventRecord({ ...record, source: 'tv' as 'news' })).toThrowError(/unknown source "tv"/);
    const bare = fromEventRecord({ ...record, payload: null });
    expect(bare.availableDay).toBe(record.effectiveDate);
    expect(bare.publicDay).toBeLessThanOrEqual(bare.availableDay);
  });
});
