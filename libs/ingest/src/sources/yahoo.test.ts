import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger, dayToIso, isoToDay } from '@quant/core';
import { HttpClient, type FetchFunction } from '../resilience/http.js';
import { createYahooPriceSource } from './yahoo.js';

/** Serves recorded Yahoo responses by path and period, and fails loudly on any request it has no recording for. */
function replay(folder: URL): { fetch: FetchFunction; seen: string[] } {
  const recordings = readdirSync(folder).map((name) => JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as {
    request: { url: string };
    response: { status: number; headers: Record<string, string>; bodyJson?: unknown; body?: string };
  });
  const key = (url: URL) => `${url.pathname}?${url.searchParams.get('period1')}-${url.searchParams.get('period2')}`;
  const seen: string[] = [];
  return {
    seen,
    fetch: async (url) => {
      seen.push(url);
      const wanted = key(new URL(url));
      const recording = recordings.find((item) => key(new URL(item.request.url)) === wanted);
      if (recording === undefined) throw new Error(`no recording for ${url}`);
      const body = recording.response.bodyJson === undefined ? recording.response.body! : JSON.stringify(recording.response.bodyJson);
      return new Response(body, { status: recording.response.status, headers: { 'content-type': 'application/json' } });
    },
  };
}

describe('Yahoo prices through yahoo-finance2, replayed offline', () => {
  it('parses AAPL 2020-08-31..2020-11-06 with the 4:1 split and the dividend, matching the recorded numbers', async () => {
    const recorded = replay(new URL('../__fixtures__/yahoo/', import.meta.url));
    const logger = createMemoryLogger();
    const source = createYahooPriceSource({ http: new HttpClient({ service: 'yahoo', fetch: recorded.fetch }), logger });
    const history = await source.fetchPrices('AAPL', { from: isoToDay('2020-08-31'), to: isoToDay('2020-11-06') });
    const raw = JSON.parse(readFileSync(new URL('../__fixtures__/yahoo/chart-AAPL-2020-08-31-to-2020-11-07.json', import.meta.url), 'utf8'))
      .response.bodyJson.chart.result[0];
    const { bars } = history;
    expect(bars.dates.length).toBe(raw.timestamp.length);
    expect(dayToIso(bars.dates[0]!)).toBe('2020-08-31');
    expect(bars.close[0]).toBe(raw.indicators.quote[0].close[0]);
    expect(bars.open[5]).toBe(raw.indicators.quote[0].open[5]);
    expect(bars.volume[10]).toBe(raw.indicators.quote[0].volume[10]);
    expect(bars.adjustedClose[0]).toBe(raw.indicators.adjclose[0].adjclose[0]);
    expect(history.splits).toEqual([{ date: isoToDay('2020-08-31'), numerator: 4, denominator: 1 }]);
    expect(history.dividends).toEqual([{ date: isoToDay('2020-11-06'), amount: 0.205 }]);
    // Post-split prices: about 129 on the split day, not 500.
    expect(bars.close[0]).toBeGreaterThan(120);
    expect(bars.close[0]).toBeLessThan(140);
    expect(recorded.seen).toHaveLength(1);
    // Whatever yahoo-finance2 logs (its Node version notice on Node 20) reaches our logger, not the console.
    expect(logger.entries.every((entry) => typeof entry.message === 'string')).toBe(true);
  });
});
