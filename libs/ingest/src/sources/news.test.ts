import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FormatError, createMemoryLogger } from '@quant/core';
import { HttpClient, type FetchFunction } from '../resilience/http.js';
import { createYahooNewsSource } from './news.js';

interface Recording {
  request: { url: string };
  response: { status: number; bodyJson: { news: { title: string; publisher: string; link: string; providerPublishTime: number; relatedTickers?: string[] }[] } };
}

const read = (name: string) => JSON.parse(readFileSync(new URL(`../__fixtures__/yahoo/${name}`, import.meta.url), 'utf8')) as Recording;

/** Answers Yahoo's search endpoint with one recording (matched by the query), anything else with a failure. */
function replay(recording: Recording): { fetch: FetchFunction; seen: URL[] } {
  const seen: URL[] = [];
  const wanted = new URL(recording.request.url).searchParams.get('q');
  return {
    seen,
    fetch: async (url) => {
      const parsed = new URL(url);
      seen.push(parsed);
      if (parsed.pathname !== '/v1/finance/search' || parsed.searchParams.get('q') !== wanted) throw new Error(`no recording for ${url}`);
      return new Response(JSON.stringify(recording.response.bodyJson), { status: 200, headers: { 'content-type': 'application/json' } });
    },
  };
}

describe('Yahoo news through yahoo-finance2 search, replayed offline', () => {
  it('keeps the headlines about the symbol with their publish times, oldest first', async () => {
    const recording = read('search-AAPL.json');
    const server = replay(recording);
    const logger = createMemoryLogger();
    const news = createYahooNewsSource({ http: new HttpClient({ service: 'yahoo', fetch: server.fetch, retry: { retries: 0 } }), logger });
    const items = await news.fetchNews('AAPL');
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]!.searchParams.get('newsCount')).toBe('20');

    // The recorded search returned 4 stories; one is about Berkshire (related ticker BRK-B) and is left out.
    const recorded = recording.response.bodyJson.news;
    expect(recorded).toHaveLength(4);
    const related = recorded.filter((story) => story.relatedTickers?.includes('AAPL'));
    expect(related).toHaveLength(3);
    expect(items).toHaveLength(3);
    const expected = related
      .map((story) => ({
        symbol: 'AAPL',
        title: story.title,
        publicAt: new Date(story.providerPublishTime * 1000).toISOString(),
        publisher: story.publisher,
        url: story.link,
      }))
      .sort((a, b) => a.publicAt.localeCompare(b.publicAt));
    expect(items).toEqual(expected);
    expect(items[0]).toEqual({
      symbol: 'AAPL',
      title: "Why Trump could 'move fast' on Apple's $500B US investment plan",
      publicAt: '2025-02-25T00:20:00.000Z',
      publisher: 'Yahoo Finance Video',
      url: 'https://finance.yahoo.com/video/why-trump-could-move-fast-002000706.html',
    });
  });

  it('refuses a response whose schema changed with a FormatError', async () => {
    const server = replay(read('search-badResult.fake.json'));
    const news = createYahooNewsSource({ http: new HttpClient({ service: 'yahoo', fetch: server.fetch, retry: { retries: 0 } }), logger: createMemoryLogger() });
    const failure = await news.fetchNews('AAPL').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FormatError);
    expect(String(failure)).toMatch(/yahoo: unexpected response for AAPL news \(schema change\?\)/);
  });
});
