/**
 * Renders docs/features.md from the feature registries (the 179 technical features, then the 23 event features). `npx tsx tools/generate-feature-docs.ts` writes it; the test
 * tools/test/feature-docs.test.ts fails when the committed file differs from the registry.
 */
import {
  COMBINED_FEATURE_SET_VERSION,
  EVENT_FEATURES,
  EVENT_FEATURE_SET_VERSION,
  HIGH_SEVERITY,
  TECHNICAL_FEATURES,
  TECHNICAL_FEATURE_SET_VERSION,
  type EventFeatureGroup,
  type FeatureGroup,
} from '@quant/features';

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

const EVENT_GROUP_TITLES: Record<EventFeatureGroup, string> = {
  'event-counts': 'Event counts',
  'event-severity': 'Severity',
  'event-impact': 'Impact channels',
  'news-sentiment': 'News sentiment',
  'event-dynamics': 'Event dynamics',
};

/**
 * The event section. Its rows start with the name, not a number, so that the technical list stays the numbered one;
 * the column is the feature's position in the 202-column layout (technical then event).
 */
function renderEventFeatureDocs(): string[] {
  const lines = [
    `## Event features (${EVENT_FEATURES.length})`,
    '',
    `Version \`${EVENT_FEATURE_SET_VERSION}\` (a hash of the definitions below and of the event classification: 8-K item and`,
    'form tables, text rules, finance vocabulary). With the technical set they form the 202-column layout',
    `\`${COMBINED_FEATURE_SET_VERSION}\` (\`combineFeatureMatrices\`): columns 180-202 below. Source:`,
    'libs/features/src/events (see its README.md for the classification, the severity scale and the time rules).',
    '',
    'Conventions: filings (SEC EDGAR) and headlines are classified into events (15 types of the issue and 8 more),',
    'each with a severity in [0, 1] (0.1 routine, 0.3 ordinary, 0.5 material, 0.7 serious, 0.9 critical, 1',
    `bankruptcy; "high" is >= ${HIGH_SEVERITY}) and signed impacts on the dividend, liquidity and credit channels in [-1, 1].`,
    'An event counts from the trading day on which it was public before the close (16:00 New York time, 13:00 on',
    'early-close days); after the close, from the next date of the symbol\'s own bars. A window of W days at day t',
    'holds the events with effective day e, t - W < e <= t (calendar days). No feature is ever NaN: with no event in',
    'reach each takes the default below (a property test checks that no event changes any earlier day).',
    '',
  ];
  const groups = [...new Set(EVENT_FEATURES.map((feature) => feature.group))];
  let column = TECHNICAL_FEATURES.length;
  for (const group of groups) {
    const members = EVENT_FEATURES.filter((feature) => feature.group === group);
    lines.push(`### ${EVENT_GROUP_TITLES[group]} (${members.length})`, '', '| name | column | parameters | default | definition |', '| --- | --- | --- | --- | --- |');
    for (const feature of members) {
      column++;
      const parameters = Object.entries(feature.parameters).map(([key, value]) => `${key}=${Number.isInteger(value) ? value : Number(value.toFixed(4))}`).join(', ');
      lines.push(`| \`${feature.name}\` | ${column} | ${parameters} | ${feature.defaultValue} | ${feature.formula.replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  return lines;
}

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
  lines.push(...renderEventFeatureDocs());
  return lines.join('\n');
}
