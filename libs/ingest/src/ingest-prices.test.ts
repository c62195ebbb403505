import { describe, expect, it } from 'vitest';
import { createBars, dayToIso, isoToDay, sliceBars, lastIndexOnOrBefore, DataQualityError } from '@quant/core';
import { chartBody, chartRequest, recordedChart } from './__fixtures__/yahoo-chart.js';
import { appendBars, ingestPrices } from './ingest-prices.js';
import { HttpClient, type FetchFunction } from './resilience/http.js';
import { createEmbeddedSource } from './sources/embedded.js';
import type { PriceSource } from './sources/types.js';
import { createYahooPriceSource } from './sources/yahoo.js';

/** Yahoo's chart endpoint played from the recorded AAPL response, answering each period as Yahoo would. */
function yahooFromRecording(): { fetch: FetchFunction; requests: { symbol: string; from: string; to: string }[] } {
  const requests: { symbol: string; from: string; to: string }[] = [];
  return {
    requests,
    fetch: async (url) => {
      const request = chartRequest(url);
      if (request === undefined) throw new Error(`unexpected request ${url}`);
      // period2 is exclusive: the last day asked for is the day before it (yahoo-finance2 sends "now" when open-ended).
      requests.push({ symbol: request.symbol, from: dayToIso(Math.floor(request.period1 / 86_400)), to: dayToIso(Math.ceil(request.period2 / 86_400) - 1) });
      return new Response(chartBody(request.symbol, request.period1, request.period2), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  };
}

const day = isoToDay;

describe('incremental price updates', () => {
  it('asks only for the days after the last stored one and returns just those bars', async () => {
    const yahoo = yahooFromRecording();
    const source = createYahooPriceSource({ http: new HttpClient({ service: 'yahoo', fetch: yahoo.fetch }) });
    const result = await ingestPrices(source, ['AAPL', 'MSFT'], {
      lastStored: new Map([['AAPL', day('2020-10-23')]]),
      from: day('2020-08-31'),
      to: day('2020-10-30'),
    });
    expect(result.failed).toEqual([]);
    expect(yahoo.requests).toEqual([
      { symbol: 'AAPL', from: '2020-10-24', to: '2020-10-30' },
      { symbol: 'MSFT', from: '2020-08-31', to: '2020-10-30' },
    ]);
    const [aapl, msft] = result.succeeded.map((item) => item.value);
    expect(aapl!.mode).toBe('incremental');
    expect(aapl!.requested).toEqual([{ from: day('2020-10-24'), to: day('2020-10-30') }]);
    expect(Array.from(aapl!.history.bars.dates, dayToIso)).toEqual(['2020-10-26', '2020-10-27', '2020-10-28', '2020-10-29', '2020-10-30']);
    const raw = recordedChart();
    const rawIndex = raw.timestamp.findIndex((time) => new Date(time * 1000).toISOString().startsWith('2020-10-26'));
    expect(aapl!.history.bars.close[0]).toBe(raw.indicators.quote[0].close[rawIndex]);
    expect(msft!.mode).toBe('full');
    expect(msft!.history.bars.dates.length).toBe(raw.timestamp.filter((time) => time < Date.UTC(2020, 9, 31) / 1000).length);

    // Appending the update to what was stored gives the same series as a full download.
    const stored = sliceBars(createBars({ ...msft!.history.bars, symbol: 'AAPL' }), 0, lastIndexOnOrBefore(msft!.history.bars.dates, day('2020-10-23')) + 1);
    const merged = appendBars(stored, aapl!.history.bars);
    expect(Array.from(merged.dates)).toEqual(Array.from(msft!.history.bars.dates));
    expect(Array.from(merged.adjustedClose)).toEqual(Array.from(msft!.history.bars.adjustedClose));
    expect(() => appendBars(merged, aapl!.history.bars)).toThrowError(DataQualityError);
  });

  it('fetches the whole history again when a dividend or split after the last stored day changes its adjustment', async () => {
    const yahoo = yahooFromRecording();
    const source = createYahooPriceSource({ http: new HttpClient({ service: 'yahoo', fetch: yahoo.fetch }) });
    const result = await ingestPrices(source, ['AAPL'], { lastStored: new Map([['AAPL', day('2020-10-30')]]), from: day('2020-08-31'), to: day('2020-11-06') });
    const update = result.succeeded[0]!.value;
    expect(update.mode).toBe('full');
    expect(update.reason).toBe('a dividend of 0.205 on 2020-11-06 after the last stored day 2020-10-30 changes the adjusted prices of the stored bars');
    expect(yahoo.requests).toEqual([
      { symbol: 'AAPL', from: '2020-10-31', to: '2020-11-06' },
      { symbol: 'AAPL', from: '2020-08-31', to: '2020-11-06' },
    ]);
    expect(dayToIso(update.history.bars.dates[0]!)).toBe('2020-08-31');
    expect(update.history.splits).toEqual([{ date: day('2020-08-31'), numerator: 4, denominator: 1 }]);
  });

  it('makes no request when the stored history already reaches the last day wanted, and accepts an empty answer', async () => {
    const yahoo = yahooFromRecording();
    const source = createYahooPriceSource({ http: new HttpClient({ service: 'yahoo', fetch: yahoo.fetch }) });
    const done = await ingestPrices(source, ['AAPL'], { lastStored: new Map([['AAPL', day('2020-11-06')]]), to: day('2020-11-06') });
    expect(done.succeeded[0]!.value).toMatchObject({ mode: 'up-to-date', requested: [] });
    expect(yahoo.requests).toEqual([]);
    // Without a last day, the source is asked; a weekend with no trading gives no bars and no failure.
    const open = await ingestPrices(source, ['AAPL'], { lastStored: new Map([['AAPL', day('2020-11-06')]]) });
    expect(open.failed).toEqual([]);
    expect(open.succeeded[0]!.value.mode).toBe('up-to-date');
    expect(open.succeeded[0]!.value.history.bars.dates.length).toBe(0);
    expect(yahoo.requests[0]).toMatchObject({ symbol: 'AAPL', from: '2020-11-07' });
    // A full request that finds nothing is an empty response: a failure, not an empty stored history.
    const empty = await ingestPrices(source, ['AAPL'], { from: day('2021-01-01'), to: day('2021-01-31') });
    expect(empty.failed).toMatchObject([{ symbol: 'AAPL', code: 'DATA_QUALITY', reason: 'AAPL: 1 issue(s) in the price history: AAPL: the source returned no bars' }]);
  });

  it('rejects or flags a bad history as asked, for any source', async () => {
    // Real embedded bars with one day's prices multiplied by 10, as a unit error would.
    const broken: PriceSource = {
      name: 'broken',
      async fetchPrices(symbol, range, signal) {
        const { bars, splits, dividends } = await createEmbeddedSource().fetchPrices(symbol, range, signal);
        const scaled = createBars({ ...bars, close: Array.from(bars.close), adjustedClose: Array.from(bars.adjustedClose, (value, row) => (row === 3 ? value * 10 : value)) });
        return { bars: scaled, splits, dividends };
      },
    };
    const range = { from: day('2021-03-01'), to: day('2021-03-31') };
    const rejected = await ingestPrices(broken, ['AAPL'], range);
    expect(rejected.succeeded).toEqual([]);
    expect(rejected.failed[0]).toMatchObject({ symbol: 'AAPL', source: 'broken', code: 'DATA_QUALITY' });
    expect(rejected.failed[0]!.reason).toMatch(/AAPL 2021-03-04: adjusted close .* no split on that day/);
    const flagged = await ingestPrices(broken, ['AAPL'], { ...range, onIssue: 'flag' });
    expect(flagged.failed).toEqual([]);
    expect(flagged.succeeded[0]!.value.issues.map((issue) => [issue.date, issue.kind])).toEqual([
      ['2021-03-04', 'absurd-jump'],
      ['2021-03-05', 'absurd-jump'],
    ]);
    expect(flagged.succeeded[0]!.value.history.issues).toHaveLength(2);
  });
});
