/**
 * A stand-in for Yahoo's chart endpoint built from a real recorded response (AAPL 2020-08-31..2020-11-06, with the
 * 4:1 split and a dividend): it answers any symbol and any period the way Yahoo does, with the recorded rows and
 * events that fall in [period1, period2). Used by the tests that need more than one fixed request (incremental
 * updates, the 20-symbol run against a local server).
 */
import { readFileSync } from 'node:fs';

interface RecordedChart {
  meta: Record<string, unknown> & { symbol: string };
  timestamp: number[];
  events: { dividends: Record<string, { amount: number; date: number }>; splits: Record<string, { date: number; numerator: number; denominator: number; splitRatio: string }> };
  indicators: { quote: [Record<'open' | 'high' | 'low' | 'close' | 'volume', number[]>]; adjclose: [{ adjclose: number[] }] };
}

export const RECORDED_CHART_FILE = new URL('./yahoo/chart-AAPL-2020-08-31-to-2020-11-07.json', import.meta.url);

export function recordedChart(): RecordedChart {
  return JSON.parse(readFileSync(RECORDED_CHART_FILE, 'utf8')).response.bodyJson.chart.result[0] as RecordedChart;
}

/** The JSON body Yahoo would send for `symbol` over [period1, period2) (seconds since 1970), from the recording. */
export function chartBody(symbol: string, period1: number, period2: number): string {
  const recorded = recordedChart();
  const keep = recorded.timestamp.map((time, index) => (time >= period1 && time < period2 ? index : -1)).filter((index) => index >= 0);
  const pick = (values: number[]) => keep.map((index) => values[index]!);
  const inPeriod = <T extends { date: number }>(events: Record<string, T>) =>
    Object.fromEntries(Object.entries(events).filter(([, event]) => event.date >= period1 && event.date < period2));
  const quote = recorded.indicators.quote[0];
  const result =
    keep.length === 0
      ? // Yahoo's answer for a period without trading: no timestamps and empty indicator objects.
        { meta: { ...recorded.meta, symbol }, indicators: { quote: [{}], adjclose: [{}] } }
      : {
          meta: { ...recorded.meta, symbol },
          timestamp: pick(recorded.timestamp),
          events: { dividends: inPeriod(recorded.events.dividends), splits: inPeriod(recorded.events.splits) },
          indicators: {
            quote: [{ open: pick(quote.open), high: pick(quote.high), low: pick(quote.low), close: pick(quote.close), volume: pick(quote.volume) }],
            adjclose: [{ adjclose: pick(recorded.indicators.adjclose[0].adjclose) }],
          },
        };
  return JSON.stringify({ chart: { result: [result], error: null } });
}

/** Symbol and period of a chart request URL (https://query2.finance.yahoo.com/v8/finance/chart/AAPL?period1=...). */
export function chartRequest(url: string): { symbol: string; period1: number; period2: number } | undefined {
  const parsed = new URL(url);
  const match = /\/v8\/finance\/chart\/([^/?]+)$/.exec(parsed.pathname);
  if (match === null) return undefined;
  return {
    symbol: decodeURIComponent(match[1]!),
    period1: Number(parsed.searchParams.get('period1') ?? 0),
    period2: Number(parsed.searchParams.get('period2') ?? Number.MAX_SAFE_INTEGER),
  };
}
