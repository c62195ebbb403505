/** Prices from the embedded default dataset (@quant/sample-data): no network, always the same answer. */
import { sliceBars, lastIndexOnOrBefore } from '@quant/core';
import { loadBars, type DatasetId } from '@quant/sample-data';
import type { DateRange, PriceHistory, PriceSource } from './types.js';

export function createEmbeddedSource(options: { dataset?: DatasetId } = {}): PriceSource {
  return {
    name: 'embedded',
    async fetchPrices(symbol: string, range: DateRange = {}): Promise<PriceHistory> {
      // Without onIssue, bars that fail the data checks make loadBars throw a DataQualityError naming them.
      const bars = loadBars(symbol, options.dataset === undefined ? {} : { dataset: options.dataset });
      const start = range.from === undefined ? 0 : lastIndexOnOrBefore(bars.dates, range.from - 1) + 1;
      const end = range.to === undefined ? bars.dates.length : lastIndexOnOrBefore(bars.dates, range.to) + 1;
      return { bars: sliceBars(bars, start, Math.max(start, end)), splits: [], dividends: [] };
    },
  };
}
