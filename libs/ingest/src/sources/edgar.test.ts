import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError, InvalidArgumentError, NotFoundError, isoToDay } from '@quant/core';
import { HttpClient, type FetchFunction } from '../resilience/http.js';
import { createEdgarSource } from './edgar.js';
import { acceptanceInstant, inferAcceptanceClock, newYorkToUtc, newYorkWallClock } from './edgar-time.js';

const folder = new URL('../__fixtures__/edgar/', import.meta.url);
const USER_AGENT = 'Quant test suite quant-tests@example.com';

interface RecordedColumns {
  accessionNumber: string[];
  filingDate: string[];
  acceptanceDateTime: string[];
  form: string[];
  items: string[];
  primaryDocument: string[];
  primaryDocDescription: string[];
  size: number[];
}

function recorded(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, folder), 'utf8'));
}
const recentOf = (name: string) => (recorded(name) as { filings: { recent: RecordedColumns } }).filings.recent;

/** Serves the recorded EDGAR files by address; anything else is a 404 the test will see in `seen`. */
function replay(overrides: Record<string, string> = {}): { fetch: FetchFunction; seen: { url: string; headers: Record<string, string>; at: number }[] } {
  const seen: { url: string; headers: Record<string, string>; at: number }[] = [];
  const files: Record<string, string> = {
    'https://www.sec.gov/files/company_tickers.json': 'company_tickers.json',
    'https://www.sec.gov/Archives/edgar/data/1045810/000104581026000024/nvda-20260302.htm': 'nvda-20260302.htm',
  };
  return {
    seen,
    fetch: async (url, init) => {
      seen.push({ url, headers: init.headers, at: performance.now() });
      if (overrides[url] !== undefined) return new Response(overrides[url], { status: 200, headers: { 'content-type': 'application/json' } });
      const submissions = /^https:\/\/data\.sec\.gov\/submissions\/(CIK\d{10}(?:-submissions-\d{3})?\.json)$/.exec(url);
      const name = files[url] ?? submissions?.[1];
      let body: string;
      try {
        body = readFileSync(new URL(name ?? 'missing', folder), 'utf8');
      } catch {
        return new Response('not found', { status: 404 });
      }
      return new Response(body, { status: 200, headers: { 'content-type': name!.endsWith('.htm') ? 'text/html' : 'application/json' } });
    },
  };
}

const source = (fetch: FetchFunction) => createEdgarSource({ userAgent: USER_AGENT, http: { fetch, retry: { retries: 0 } } });

describe('SEC EDGAR source, replaying recorded responses', () => {
  it('refuses to start without a User-Agent naming the requester, as SEC requires', () => {
    expect(() => createEdgarSource({ userAgent: '' })).toThrowError(InvalidArgumentError);
    expect(() => createEdgarSource({ userAgent: '  ' })).toThrowError(/EDGAR requires a User-Agent naming you and a contact e-mail/);
    expect(() => createEdgarSource({ userAgent: 'node-fetch/1.0' })).toThrowError(/got "node-fetch\/1.0"/);
    expect(() => createEdgarSource({ userAgent: undefined as unknown as string })).toThrowError(/got undefined/);
  });

  it("parses Apple's submissions: 8-K items, acceptance times on the New York clock, documents and sizes", async () => {
    const server = replay();
    const from = isoToDay('2019-01-01');
    const result = await source(server.fetch).fetchSubmissions('AAPL', { from }, undefined);
    // The older page (filings up to 2015) cannot hold filings of 2019 or later, so it is not requested.
    expect(server.seen.map((request) => request.url)).toEqual([
      'https://www.sec.gov/files/company_tickers.json',
      'https://data.sec.gov/submissions/CIK0000320193.json',
    ]);
    for (const request of server.seen) expect(request.headers['User-Agent']).toBe(USER_AGENT);
    expect(result.company).toEqual({ cik: '0000320193', name: 'Apple Inc.', tickers: ['AAPL'] });
    expect(result.acceptanceClock).toMatchObject({ clock: 'new-york', determined: true });

    const raw = recentOf('CIK0000320193.json');
    expect(result.filings).toHaveLength(raw.form.length);
    const eightKs = result.filings.filter((filing) => filing.form === '8-K');
    expect(eightKs).toHaveLength(raw.form.filter((form) => form === '8-K').length);
    for (const filing of eightKs) {
      const index = raw.accessionNumber.indexOf(filing.accessionNumber);
      expect(filing.items).toEqual(raw.items[index]!.split(','));
      expect(filing.filingDate).toBe(raw.filingDate[index]);
      expect(filing.primaryDocument).toBe(raw.primaryDocument[index]);
      expect(filing.size).toBe(raw.size[index]);
    }
    // Q2 2024 results: recorded as '2024-05-02T16:30:34.000Z', which is 4:30:34 pm in New York (EDT, UTC-4).
    expect(result.filings.find((filing) => filing.accessionNumber === '0000320193-24-000067')).toEqual({
      symbol: 'AAPL',
      cik: '0000320193',
      form: '8-K',
      accessionNumber: '0000320193-24-000067',
      filingDate: '2024-05-02',
      publicAt: '2024-05-02T20:30:34.000Z',
      items: ['2.02', '9.01'],
      primaryDocument: 'aapl-20240502.htm',
      description: '8-K',
      size: 436360,
    });
    // In winter New York is UTC-5: '2026-01-29T16:30:33' becomes 21:30:33 UTC.
    expect(result.filings.find((filing) => filing.accessionNumber === '0000320193-26-000005')?.publicAt).toBe('2026-01-29T21:30:33.000Z');
    // Apple publishes its results after the close: read on the New York clock, every results 8-K is public after
    // 4 pm Eastern (read as UTC, they would all fall at 11:30 or 12:30, in the middle of the session).
    const results = eightKs.filter((filing) => filing.items.includes('2.02'));
    expect(results.length).toBeGreaterThan(25);
    for (const filing of results) {
      const wall = new Date(newYorkWallClock(Date.parse(filing.publicAt)));
      expect(wall.getUTCHours() * 60 + wall.getUTCMinutes()).toBeGreaterThanOrEqual(16 * 60);
    }
    // Oldest first, all within the range.
    expect(result.filings[0]!.filingDate >= '2019-01-01').toBe(true);
    for (let index = 1; index < result.filings.length; index++) expect(result.filings[index]!.publicAt >= result.filings[index - 1]!.publicAt).toBe(true);
  });

  it("reads NVIDIA's acceptance times as genuine UTC and filters by form", async () => {
    const server = replay();
    const result = await source(server.fetch).fetchSubmissions('nvda', { forms: ['8-K'], from: isoToDay('2025-01-01') });
    expect(result.acceptanceClock).toMatchObject({ clock: 'utc', determined: true });
    expect(result.acceptanceClock.newYorkContradictions).toBeGreaterThan(10 * result.acceptanceClock.utcContradictions);
    expect(new Set(result.filings.map((filing) => filing.form))).toEqual(new Set(['8-K']));
    // Q3 FY2026 results, recorded as '2025-11-19T21:20:44.000Z' = 4:20:44 pm Eastern: kept as it is.
    const earnings = result.filings.find((filing) => filing.accessionNumber === '0001045810-25-000228')!;
    expect(earnings).toMatchObject({ symbol: 'nvda', cik: '0001045810', filingDate: '2025-11-19', publicAt: '2025-11-19T21:20:44.000Z', items: ['2.02', '9.01'] });
  });

  it("follows the older submissions pages ('filings.files') only when the range reaches them", async () => {
    const server = replay();
    const edgar = source(server.fetch);
    const page = recorded('CIK0001318605-submissions-001.json') as RecordedColumns;
    const inRange = page.filingDate.filter((date) => date >= '2017-06-01' && date <= '2017-12-31').length;
    const old = await edgar.fetchSubmissions('TSLA', { from: isoToDay('2017-06-01'), to: isoToDay('2017-12-31') });
    expect(old.pagesFetched).toBe(2);
    expect(server.seen.map((request) => request.url).slice(-1)).toEqual(['https://data.sec.gov/submissions/CIK0001318605-submissions-001.json']);
    expect(old.filings).toHaveLength(inRange);
    expect(old.filings.every((filing) => filing.filingDate >= '2017-06-01' && filing.filingDate <= '2017-12-31')).toBe(true);
    // Tesla's page says filingTo 2018-02-11 but holds a filing of 2018-02-12: the page is still read for that day.
    const edge = await edgar.fetchFilings('TSLA', { from: isoToDay('2018-02-12'), to: isoToDay('2018-02-12') });
    expect(edge.map((filing) => filing.filingDate)).toEqual(page.filingDate.filter((date) => date === '2018-02-12'));
    expect(edge.length).toBeGreaterThan(0);

    const before = server.seen.length;
    const recent = await edgar.fetchSubmissions('TSLA', { from: isoToDay('2025-06-01') });
    expect(recent.pagesFetched).toBe(1);
    // The ticker list is fetched once per source.
    expect(server.seen.slice(before).map((request) => request.url)).toEqual(['https://data.sec.gov/submissions/CIK0001318605.json']);
    const everything = await edgar.fetchSubmissions('TSLA');
    expect(everything.filings).toHaveLength(recentOf('CIK0001318605.json').form.length + page.form.length);
  });

  it('fetches a delisted company by CIK; date-only acceptance times before 2002 give the filing date', async () => {
    const server = replay();
    const edgar = source(server.fetch);
    await expect(edgar.resolveCik('CRR')).rejects.toThrowError(NotFoundError);
    const carbo = await edgar.fetchSubmissions('CRR', { cik: 1009672 });
    expect(carbo.company).toMatchObject({ cik: '0001009672', name: 'CARBO CERAMICS INC', tickers: [] });
    expect(carbo.pagesFetched).toBe(2);
    const page = recorded('CIK0001009672-submissions-001.json') as RecordedColumns;
    const index = page.filingDate.findIndex((date) => date < '2002-01-01');
    expect(page.acceptanceDateTime[index]).toMatch(/T00:00:00\.000Z$/);
    const filing = carbo.filings.find((item) => item.accessionNumber === page.accessionNumber[index])!;
    expect(filing.publicAt).toBe(`${page.filingDate[index]}T00:00:00.000Z`);
    // The class-share spelling with a dot finds SEC's dashed ticker.
    expect(await edgar.resolveCik('brk.b')).toMatchObject({ ticker: 'BRK-B', cik: '0001067983' });
  });

  it("fetches a filing's primary document as plain text from its archive address", async () => {
    const server = replay();
    const text = await source(server.fetch).fetchFilingText({ cik: '0001045810', accessionNumber: '0001045810-26-000024', primaryDocument: 'nvda-20260302.htm' });
    expect(server.seen.map((request) => request.url)).toEqual(['https://www.sec.gov/Archives/edgar/data/1045810/000104581026000024/nvda-20260302.htm']);
    expect(server.seen[0]!.headers['User-Agent']).toBe(USER_AGENT);
    expect(text).not.toMatch(/[<>]/);
    expect(text).toMatch(/SECURITIES AND EXCHANGE COMMISSION/);
    expect(text).toMatch(/Item 5\.02/);
    expect(text).toMatch(/NVIDIA/);
    // The hidden inline-XBRL header is not text anyone reads.
    expect(text).not.toMatch(/EntityCentralIndexKey|xbrli/);
    await expect(source(server.fetch).fetchFilingText({ cik: '1', accessionNumber: '0001045810-26-000024' })).rejects.toThrowError(/no primary document/);
  });

  it('refuses a submissions document whose format changed, naming the missing field', async () => {
    const changed = recorded('CIK0000320193.json') as { filings: { recent: Record<string, unknown> } };
    changed.filings.recent['itemNumbers'] = changed.filings.recent['items'];
    delete changed.filings.recent['items'];
    const server = replay({ 'https://data.sec.gov/submissions/CIK0000320193.json': JSON.stringify(changed) });
    const failure = await source(server.fetch).fetchFilings('AAPL', { from: isoToDay('2024-01-01') }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FormatError);
    expect(String(failure)).toMatch(/has no 'items' array \(schema change\?\)/);

    const renamedTickers = replay({ 'https://www.sec.gov/files/company_tickers.json': JSON.stringify({ 0: { cik: 320193, symbol: 'AAPL' } }) });
    await expect(source(renamedTickers.fetch).resolveCik('AAPL')).rejects.toThrowError(/entry 0 lacks cik_str or ticker/);

    const badTime = recorded('CIK0000320193.json') as { filings: { recent: RecordedColumns } };
    badTime.filings.recent.acceptanceDateTime[0] = '2026-02-26 18:34:19';
    const server2 = replay({ 'https://data.sec.gov/submissions/CIK0000320193.json': JSON.stringify(badTime) });
    await expect(source(server2.fetch).fetchFilings('AAPL', { from: isoToDay('2024-01-01') })).rejects.toThrowError(/acceptanceDateTime "2026-02-26 18:34:19" is not/);
  });

  it("spaces requests by SEC's 10 per second by default", async () => {
    const server = replay();
    const edgar = createEdgarSource({ userAgent: USER_AGENT, http: { fetch: server.fetch } });
    const filing = { cik: '1045810', accessionNumber: '0001045810-26-000024', primaryDocument: 'nvda-20260302.htm' };
    await Promise.all(Array.from({ length: 12 }, () => edgar.fetchFilingText(filing)));
    const times = server.seen.map((request) => request.at);
    expect(times).toHaveLength(12);
    // A token bucket of 10/s with burst 1: consecutive requests 100 ms apart (less a few ms between taking a token
    // and sending), 12 requests over at least 1.1 s. Without the bucket they would all leave at once.
    for (let index = 1; index < times.length; index++) expect(times[index]! - times[index - 1]!).toBeGreaterThanOrEqual(90);
    expect(times[times.length - 1]! - times[0]!).toBeGreaterThanOrEqual(1_050);
  });

  it('uses a ready HttpClient, still sending the User-Agent with each request', async () => {
    const server = replay();
    const http = new HttpClient({ service: 'sec', fetch: server.fetch });
    const edgar = createEdgarSource({ userAgent: USER_AGENT, http });
    expect((await edgar.resolveCik('MSFT')).cik).toBe('0000789019');
    expect(server.seen[0]!.headers['User-Agent']).toBe(USER_AGENT);
  });
});

describe('EDGAR acceptance times', () => {
  it('converts the New York wall clock to UTC across daylight saving time', () => {
    expect(new Date(newYorkToUtc(Date.UTC(2024, 6, 1, 16, 30))).toISOString()).toBe('2024-07-01T20:30:00.000Z');
    expect(new Date(newYorkToUtc(Date.UTC(2024, 0, 2, 16, 30))).toISOString()).toBe('2024-01-02T21:30:00.000Z');
    // The Monday after the spring change (10 March 2024) is already on EDT.
    expect(new Date(newYorkToUtc(Date.UTC(2024, 2, 11, 9, 0))).toISOString()).toBe('2024-03-11T13:00:00.000Z');
    expect(new Date(newYorkWallClock(Date.UTC(2024, 10, 4, 14, 0))).toISOString()).toBe('2024-11-04T09:00:00.000Z');
  });

  it('without clear evidence reads times on the New York clock, the later (never early) instant', () => {
    const ambiguous = [{ acceptanceDateTime: '2024-05-02T14:00:00.000Z', filingDate: '2024-05-02', form: '8-K' }];
    const evidence = inferAcceptanceClock(ambiguous);
    expect(evidence).toEqual({ clock: 'new-york', determined: false, timedFilings: 1, utcContradictions: 0, newYorkContradictions: 0 });
    const asNewYork = acceptanceInstant(ambiguous[0]!.acceptanceDateTime, '2024-05-02', 'new-york');
    expect(asNewYork).toBe('2024-05-02T18:00:00.000Z');
    expect(asNewYork > acceptanceInstant(ambiguous[0]!.acceptanceDateTime, '2024-05-02', 'utc')).toBe(true);
    expect(acceptanceInstant('', '2024-05-02', 'utc')).toBe('2024-05-02T00:00:00.000Z');
  });
});
