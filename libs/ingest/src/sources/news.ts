/**
 * News headlines per symbol from Yahoo Finance search (through yahoo-finance2, the same wiring as the price source:
 * our timeouts, retries, rate limit, circuit breaker and logger). A search for "AAPL" also returns stories about
 * other companies, so only the stories whose related tickers include the symbol are kept.
 *
 * Point-in-time: a headline is known from its provider publish time (`publicAt`), never earlier.
 */
import { FormatError, type Logger, type NewsItem } from '@quant/core';
import type { HttpClient } from '../resilience/http.js';
import type { NewsSource } from './types.js';
import { createYahooClient } from './yahoo-client.js';

export interface YahooNewsSourceOptions {
  readonly http: HttpClient;
  readonly logger?: Logger;
  /** Stories asked for per search (default 20; Yahoo caps it). */
  readonly newsCount?: number;
}

interface SearchNews {
  uuid?: string;
  title: string;
  publisher?: string;
  link?: string;
  providerPublishTime: Date;
  relatedTickers?: string[];
}

export function createYahooNewsSource(options: YahooNewsSourceOptions): NewsSource {
  const client = createYahooClient(options.http, options.logger);
  const newsCount = options.newsCount ?? 20;
  return {
    name: 'yahoo-news',
    async fetchNews(symbol: string, signal?: AbortSignal): Promise<NewsItem[]> {
      const result = (await client.call(`${symbol} news`, signal, (yahoo) =>
        yahoo.search(symbol, { quotesCount: 0, newsCount } as never),
      )) as unknown as { news?: SearchNews[] };
      return toNewsItems(symbol, result.news);
    },
  };
}

/** Keeps the stories related to `symbol`, oldest first, one per link (or title when there is no link). */
export function toNewsItems(symbol: string, news: readonly SearchNews[] | undefined): NewsItem[] {
  if (!Array.isArray(news)) throw new FormatError(`yahoo: the search response for ${symbol} has no news list (schema change?)`);
  const wanted = symbol.toUpperCase();
  const seen = new Set<string>();
  const items: NewsItem[] = [];
  for (const story of news) {
    const related: readonly string[] = story.relatedTickers ?? [];
    if (!related.some((ticker) => ticker.toUpperCase() === wanted)) continue;
    const time = story.providerPublishTime instanceof Date ? story.providerPublishTime.getTime() : Number.NaN;
    if (typeof story.title !== 'string' || story.title.trim() === '' || !Number.isFinite(time)) {
      throw new FormatError(`yahoo: a news item for ${symbol} lacks a title or a publish time (schema change?): ${JSON.stringify(story).slice(0, 200)}`);
    }
    const key = story.link ?? story.title;
    if (seen.has(key)) continue;
    seen.add(key);
    items.push({
      symbol,
      title: story.title.trim(),
      publicAt: new Date(time).toISOString(),
      ...(story.publisher === undefined ? {} : { publisher: story.publisher }),
      ...(story.link === undefined ? {} : { url: story.link }),
    });
  }
  return items.sort((a, b) => (a.publicAt < b.publicAt ? -1 : a.publicAt > b.publicAt ? 1 : 0));
}
