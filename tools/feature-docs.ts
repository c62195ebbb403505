/**
 * Renders docs/features.md from the feature registry. `npx tsx tools/generate-feature-docs.ts` writes it; the test
 * tools/test/feature-docs.test.ts fails when the committed file differs from the registry.
 */
import { TECHNICAL_FEATURES, TECHNICAL_FEATURE_SET_VERSION, type FeatureGroup } from '@quant/features';

const GROUP_TITLES: Record<FeatureGroup, string> = {
  returns: 'Returns and momentum',
  'moving-averages': 'Moving averages',
  oscillators: 'Oscillators',
  bands: 'Bands and channels',
  volatility: 'Volatility',
  volume: 'Volume',
  candles: 'Candle shape',
  'rolling-statistics': 'Rolling statistics (Alpha158 style)',
  'range-52-week': '52-week range',
  'market-relative': 'Market- and sector-relative',
  calendar: 'Calendar',
};

export function renderFeatureDocs(): string {
  const lines = [
    '# Features',
    '',
    '<!-- Generated from libs/features/src/registry.ts by tools/generate-feature-docs.ts; do not edit by hand. -->',
    '',
    `The technical feature set has ${TECHNICAL_FEATURES.length} features, version \`${TECHNICAL_FEATURE_SET_VERSION}\` (a hash of`,
    'every name, parameter and formula: any change gives a new version, and stored features and models carry it).',
    '',
    'Conventions: c, o, h, l are the split- and dividend-adjusted close, open, high and low (o, h, l scaled by',
    'adjusted close / close), v is volume, t is today. Every window ends at t: no feature uses a bar after its own',
    'day (a property test checks this on all 179). Features are scale-free (ratios, returns, positions), so symbols',
    'are comparable (a test multiplies all prices by a constant and expects identical features). Warm-up is the',
    'number of leading rows that are NaN on a complete series; a NaN input makes the windows that contain it NaN.',
    'Market-relative features need a market context (`buildMarketContext`) and are NaN without one.',
    '',
  ];
  const groups = [...new Set(TECHNICAL_FEATURES.map((feature) => feature.group))];
  let number = 0;
  for (const group of groups) {
    const members = TECHNICAL_FEATURES.filter((feature) => feature.group === group);
    lines.push(`## ${GROUP_TITLES[group]} (${members.length})`, '', '| # | name | parameters | warm-up | formula |', '| --- | --- | --- | --- | --- |');
    for (const feature of members) {
      number++;
      const parameters = Object.entries(feature.parameters).map(([key, value]) => `${key}=${value}`).join(', ');
      lines.push(`| ${number} | \`${feature.name}\` | ${parameters} | ${feature.warmup} | ${feature.formula.replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
