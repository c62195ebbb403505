import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError, createMemoryLogger, dayToIso, isoToDay } from '@quant/core';
import { chartBody } from '../__fixtures__/yahoo-chart.js';
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

  it('refuses a chart whose JSON schema changed, an HTML error page and a bad price history, with typed errors', async () => {
    const serve = (body: string, type = 'application/json'): FetchFunction => async () => new Response(body, { status: 200, headers: { 'content-type': type } });
    const source = (fetch: FetchFunction, options: { onIssue?: 'reject' | 'flag' } = {}) =>
      createYahooPriceSource({ http: new HttpClient({ service: 'yahoo', fetch, retry: { retries: 1, baseDelayMs: 1 } }), logger: createMemoryLogger(), ...options });
    const range = { from: isoToDay('2020-08-31'), to: isoToDay('2020-11-06') };
    const period = [Date.UTC(2020, 7, 31) / 1000, Date.UTC(2020, 10, 7) / 1000] as const;

    // Yahoo renames a field: yahoo-finance2's schema check fails, and so does the source, naming the call.
    const renamed = JSON.parse(chartBody('AAPL', ...period));
    renamed.chart.result[0].indicators = { quotes: renamed.chart.result[0].indicators.quote };
    const schema = await source(serve(JSON.stringify(renamed))).fetchPrices('AAPL', range).catch((error: unknown) => error);
    expect(schema).toBeInstanceOf(FormatError);
    expect(String(schema)).toMatch(/yahoo: unexpected response for AAPL prices \(schema change\?\)/);

    let calls = 0;
    const html: FetchFunction = async () => {
      calls++;
      return new Response('<html><body>Will be right back</body></html>', { status: 200, headers: { 'content-type': 'text/html' } });
    };
    const page = await source(html).fetchPrices('AAPL', range).catch((error: { code: string; details: Record<string, unknown>; message: string }) => error);
    expect(page).toMatchObject({ code: 'FORMAT', details: { attempts: 2 } });
    expect((page as unknown as Error).message).toMatch(/expected JSON .* but got an HTML page/);
    expect(calls).toBe(2);

    // A day with a close of 0 (a known Yahoo glitch) is refused with its date, or kept flagged when asked.
    const glitch = JSON.parse(chartBody('AAPL', ...period));
    glitch.chart.result[0].indicators.quote[0].low[20] = 0;
    const refused = await source(serve(JSON.stringify(glitch))).fetchPrices('AAPL', range).catch((error: unknown) => error);
    expect(String(refused)).toMatch(/^DataQualityError: AAPL: 1 issue\(s\) in the price history: AAPL 2020-09-29: price not positive/);
    const flagged = await source(serve(JSON.stringify(glitch)), { onIssue: 'flag' }).fetchPrices('AAPL', range);
    expect(flagged.issues?.map((issue) => [issue.date, issue.kind])).toEqual([['2020-09-29', 'non-positive-price']]);
  });
});
