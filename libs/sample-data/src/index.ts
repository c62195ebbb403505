/**
 * @quant/sample-data: the embedded default dataset, so that Quant trains and scans with no network.
 *
 * Three datasets of real daily bars (see README.md for provenance and licenses):
 * - `sp500`: 470 S&P 500 stocks, 2016-05-16 .. 2021-05-14
 * - `allcap`: 150 large, mid and small caps, 2012-11-12 .. 2017-11-10
 * - `etf`: 17 ETFs to 2017-11-10
 * and the universes `core` (82 stocks, all sectors and cap tiers; the trainer's default), `sp500`, `allcap`, `etf`.
 */
export { listDatasets, listUniverses, getUniverse, listSymbols, getSymbolInfo, loadBars, loadUniverse } from './loader.js';
export type { DatasetInfo, Universe, EmbeddedSymbolInfo, LoadBarsOptions, LoadUniverseOptions, LoadedUniverse, RejectedSymbol } from './loader.js';
export type { DatasetId, UniverseId } from './manifest.js';
