import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, isoToDay } from '@quant/core';
import { getSymbolInfo } from '@quant/sample-data';
import { openDatabase, type EventRow, type QuantDatabase } from './index.js';

let directory: string;
let database: QuantDatabase;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'quant-db-events-'));
  database = openDatabase(join(directory, 'test.sqlite'));
  database.symbols.upsert([getSymbolInfo('AAPL'), getSymbolInfo('MSFT')]);
});
afterEach(() => {
  database.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Apple's 8-Ks of 2020 as the event features store them (accession numbers and times from the recorded EDGAR submissions; Apple's stamps are New York time). */
const appleEvents: EventRow[] = [
  { sourceId: '0001193125-20-039203', eventType: 'other', publishedAt: '2020-02-18T11:24:57.000Z', effectiveDate: isoToDay('2020-02-18'), severity: 0.1, items: '7.01,9.01' },
  { sourceId: '0000320193-20-000050', eventType: 'earnings', publishedAt: '2020-04-30T20:30:41.000Z', effectiveDate: isoToDay('2020-05-01'), severity: 0.3, items: '2.02,9.01' },
  { sourceId: '0000320193-20-000060', eventType: 'earnings', publishedAt: '2020-07-30T22:55:04.000Z', effectiveDate: isoToDay('2020-07-31'), severity: 0.3, items: '2.02,9.01' },
  { sourceId: '0001193125-20-213158', eventType: 'governance', publishedAt: '2020-08-07T21:20:23.000Z', effectiveDate: isoToDay('2020-08-10'), severity: 0.1, items: '5.03,9.01' },
].map((fields) => ({ symbol: 'AAPL', source: 'sec' as const, impactDividend: 0, impactLiquidity: 0, impactCredit: 0, sentiment: null, title: `8-K ${fields.items}`, rare: false, payload: { basis: 'test' }, ...fields }));

const breach: EventRow = {
  symbol: 'MSFT', source: 'sec', sourceId: '0001193125-24-011295', eventType: 'cybersecurity', publishedAt: '2024-01-19T21:39:35.000Z',
  effectiveDate: isoToDay('2024-01-22'), severity: 0.7, impactDividend: 0, impactLiquidity: -0.2, impactCredit: -0.2, sentiment: null,
  title: '8-K 1.05,7.01,9.01', items: '1.05,7.01,9.01', rare: true, payload: null,
};

describe('event repository', () => {
  it('reads a symbol\'s events for a day range, both ends included, oldest first', () => {
    expect(database.events.upsertEvents([...appleEvents, breach])).toBe(5);
    expect(database.events.events('AAPL').map((row) => row.sourceId)).toEqual(appleEvents.map((row) => row.sourceId));
    const summer = database.events.events('AAPL', { from: isoToDay('2020-05-01'), to: isoToDay('2020-07-31') });
    expect(summer.map((row) => row.eventType)).toEqual(['earnings', 'earnings']);
    expect(summer[0]).toEqual(appleEvents[1]);
    expect(database.events.events('AAPL', { from: isoToDay('2020-08-11') })).toEqual([]);
    expect(() => database.events.events('AAPL', { from: 10, to: 9 })).toThrowError(/range start 10 is after range end 9/);
  });

  it('gives the features of a range the events they look back on (400 days by default)', () => {
    database.events.upsertEvents(appleEvents);
    const range = { from: isoToDay('2021-03-01'), to: isoToDay('2021-03-31') };
    // 2021-03-01 minus 400 days is 2020-01-26: everything from the 18 February 2020 8-K on.
    expect(database.events.eventsForFeatures('AAPL', range)).toHaveLength(4);
    // With a 200-day look-back (from 2020-08-13) none of them.
    expect(database.events.eventsForFeatures('AAPL', range, 200)).toEqual([]);
  });

  it('keeps the rare-event archive per symbol', () => {
    database.events.upsertEvents([...appleEvents, breach, { ...breach, symbol: 'AAPL', sourceId: 'made-up-apple-breach' }]);
    expect(database.events.rareEvents(10, 'MSFT').map((row) => row.sourceId)).toEqual([breach.sourceId]);
    expect(database.events.rareEvents(10)).toHaveLength(2);
    expect(database.events.rareEvents(1)).toHaveLength(1);
  });

  it('refuses events out of range before writing anything, naming the event and the value', () => {
    database.events.upsertEvents(appleEvents.slice(0, 1));
    const bad: [Partial<EventRow>, RegExp][] = [
      [{ severity: 1.5 }, /event "0000320193-20-000050" of "AAPL": severity must be in \[0, 1\], got 1.5/],
      [{ impactCredit: -2 }, /credit impact must be in \[-1, 1\], got -2/],
      [{ sentiment: 2 }, /sentiment must be null or in \[-1, 1\], got 2/],
      [{ source: 'tv' as 'news' }, /source must be 'sec' or 'news', got "tv"/],
      [{ rare: 1 as unknown as boolean }, /rare must be a boolean/],
    ];
    for (const [change, message] of bad) {
      expect(() => database.events.upsertEvents([appleEvents[2]!, { ...appleEvents[1]!, ...change }])).toThrowError(message);
      expect(() => database.events.upsertEvents([{ ...appleEvents[1]!, ...change }])).toThrowError(InvalidArgumentError);
    }
    expect(database.events.events('AAPL')).toHaveLength(1);
  });

  it('reads stored event features for a day range', () => {
    database.features.registerFeatureSet('event-23-test', ['a', 'b']);
    database.events.writeEventFeatures('event-23-test', 'AAPL', Int32Array.from([10, 11, 12]), Float64Array.from([0, 1, 2, 3, 4, 5]), 2);
    expect(database.events.readEventFeatures('event-23-test', 'AAPL', { from: 11 })).toEqual({ dates: Int32Array.from([11, 12]), values: Float64Array.from([2, 3, 4, 5]), featureCount: 2 });
    expect(database.events.readEventFeatures('event-23-test', 'AAPL', { from: 10, to: 10 }).values).toEqual(Float64Array.from([0, 1]));
  });
});
