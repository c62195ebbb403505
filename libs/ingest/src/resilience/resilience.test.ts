import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from './http.js';
import { runPerSymbol } from './run.js';
import { TokenBucket } from './rate-limiter.js';
import { systemClock } from './clock.js';

/**
 * A fake quote service on 127.0.0.1 that misbehaves the way real services do. The path names the behaviour:
 * /ok/X answers JSON; /hang/X never answers; /storm/X always answers 429 with Retry-After: 1; /truncated/X cuts the
 * JSON short; /html/X sends an HTML error page; /flaky/X fails with 500 on its first request, then answers.
 */
let server: Server;
let base: string;
const requests: { at: number; path: string }[] = [];
const hanging: ServerResponse[] = [];
const flakySeen = new Set<string>();

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = request.url ?? '/';
    requests.push({ at: performance.now(), path });
    const [, behaviour, symbol] = path.split('/');
    const body = JSON.stringify({ symbol, close: [1, 2, 3] });
    switch (behaviour) {
      case 'hang':
        hanging.push(response); // keep the socket open and never answer
        return;
      case 'storm':
        response.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' }).end('{"error":"Too Many Requests"}');
        return;
      case 'truncated':
        response.writeHead(200, { 'content-type': 'application/json' }).end(body.slice(0, body.length - 7));
        return;
      case 'html':
        response.writeHead(200, { 'content-type': 'text/html' }).end('<html><body><h1>Will be right back...</h1></body></html>');
        return;
      case 'flaky':
        if (!flakySeen.has(symbol!)) {
          flakySeen.add(symbol!);
          response.writeHead(500).end('internal error');
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end(body);
        return;
      case 'missing':
        response.writeHead(404).end('not found');
        return;
      default:
        response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const response of hanging) response.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const ratePerSecond = 20;
const burst = 5;
const client = () =>
  new HttpClient({
    service: 'fake',
    timeoutMs: 300,
    retry: { retries: 3, baseDelayMs: 50, maxDelayMs: 2_000 },
    rateLimit: new TokenBucket({ ratePerSecond, burst }, systemClock),
    circuitBreaker: { failureThreshold: 100 },
    seed: 7,
  });

/** Most requests in any one-second window. */
function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

describe('resilient ingestion against a misbehaving server', () => {
  it('20 symbols, 3 failing in different ways: 17 ingested, 3 reported with reasons, within the deadlines and the rate limit', async () => {
    const http = client();
    const routes: Record<string, string> = { HANG: 'hang', STORM: 'storm', BADJSON: 'truncated', FLAKY: 'flaky' };
    const symbols = [...Array.from({ length: 16 }, (_, index) => `OK${index + 1}`), 'FLAKY', 'HANG', 'STORM', 'BADJSON'];
    const deadline = 5_000;
    const firstRequest = requests.length;
    const started = performance.now();
    const result = await runPerSymbol(symbols, async (symbol, signal) => (await http.getJson(`${base}/${routes[symbol] ?? 'ok'}/${symbol}`, signal)).value, {
      source: 'fake',
      concurrency: 4,
      symbolDeadlineMs: deadline,
    });
    const elapsed = performance.now() - started;

    expect(result.succeeded.map((item) => item.symbol)).toEqual(symbols.slice(0, 17));
    expect(result.failed.map((item) => [item.symbol, item.code, item.attempts])).toEqual([
      ['HANG', 'TIMEOUT', 4],
      ['STORM', 'RATE_LIMITED', 4],
      ['BADJSON', 'FORMAT', 4],
    ]);
    expect(result.failed[0]!.reason).toMatch(/no complete answer from .*\/hang\/HANG within 300 ms/);
    expect(result.failed[1]!.reason).toMatch(/rate limited \(HTTP 429\), retry after 1000 ms/);
    expect(result.failed[2]!.reason).toMatch(/not valid JSON/);
    for (const failure of result.failed) expect(failure.elapsedMs).toBeLessThan(deadline);
    // Every symbol finished within its own deadline, so the run is bounded by (symbols / concurrency) deadlines, far
    // below the sum of the deadlines.
    expect(elapsed).toBeLessThan(2 * deadline);
    const times = requests.slice(firstRequest).map((request) => request.at);
    expect(peakPerSecond(times)).toBeLessThanOrEqual(ratePerSecond + burst);
    // The 429 storm's retries waited for Retry-After (1 s) each time.
    const storm = requests.slice(firstRequest).filter((request) => request.path.startsWith('/storm/')).map((request) => request.at);
    for (let index = 1; index < storm.length; index++) expect(storm[index]! - storm[index - 1]!).toBeGreaterThanOrEqual(990);
  }, 30_000);

  it('a symbol that never answers fails at its deadline even when retries would go on longer', async () => {
    const http = new HttpClient({ service: 'fake', timeoutMs: 10_000, retry: { retries: 5 } });
    const started = performance.now();
    const result = await runPerSymbol(['HANG2'], (symbol, signal) => http.getJson(`${base}/hang/${symbol}`, signal), { source: 'fake', symbolDeadlineMs: 400 });
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(result.failed).toMatchObject([{ symbol: 'HANG2', code: 'TIMEOUT', reason: 'HANG2: fake did not finish within the 400 ms deadline' }]);
  });

  it('reports an HTML error page and a missing symbol without retrying the missing one', async () => {
    const http = client();
    const html = await http.getJson(`${base}/html/X`).catch((error: Error) => error);
    expect(String(html)).toMatch(/expected JSON .* but got an HTML page \(<html><body><h1>Will be right back/);
    const before = requests.length;
    const missing = await http.getJson(`${base}/missing/NOPE`).catch((error: { code: string; details: Record<string, unknown> }) => error);
    expect(missing).toMatchObject({ code: 'NOT_FOUND', details: { attempts: 1 } });
    expect(requests.length - before).toBe(1);
  });

  it('opens the circuit after repeated failures, failing fast instead of hammering the service', async () => {
    const http = new HttpClient({ service: 'fake', timeoutMs: 300, retry: { retries: 0 }, circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 } });
    const before = requests.length;
    for (let index = 0; index < 3; index++) await http.getJson(`${base}/storm/CB`).catch(() => undefined);
    expect(http.circuitState).toBe('open');
    const fast = await http.getJson(`${base}/ok/CB`).catch((error: Error) => error);
    expect(String(fast)).toMatch(/circuit open after repeated failures/);
    expect(requests.length - before).toBe(3);
  });
});
