/**
 * Writes docs/features.md from the feature registries (179 technical features, then the 23 event features):
 * npx tsx tools/generate-feature-docs.ts. The rendering is in feature-docs.ts, which the docs test also uses.
 */
import { writeFileSync } from 'node:fs';
import { EVENT_FEATURES, TECHNICAL_FEATURES } from '@quant/features';
import { renderFeatureDocs } from './feature-docs.ts';

writeFileSync(new URL('../docs/features.md', import.meta.url), renderFeatureDocs());
console.log(`wrote docs/features.md (${TECHNICAL_FEATURES.length} technical and ${EVENT_FEATURES.length} event features)`);
