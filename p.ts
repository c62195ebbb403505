import { computeTechnicalFeatures } from './libs/features/src/technical.ts';
import { buildMarketContext } from './libs/features/src/context.ts';
import { loadUniverse, getSymbolInfo } from './libs/sample-data/src/index.ts';
const { bars } = loadUniverse('sp500');
const ctx = buildMarketContext(bars, (s) => getSymbolInfo(s).sector);
const sectors = bars.map(b => getSymbolInfo(b.symbol).sector);
for (let rep = 0; rep < 2; rep++) { const t = performance.now(); bars.forEach((b, i) => computeTechnicalFeatures(b, { ...ctx, sector: sectors[i] })); console.log('all', (performance.now() - t).toFixed(0), 'ms'); }
