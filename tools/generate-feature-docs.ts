/** Writes docs/features.md from the feature registry: npx tsx tools/generate-feature-docs.ts */
import { writeFileSync } from 'node:fs';
import { renderFeatureDocs } from './feature-docs.ts';

writeFileSync(new URL('../docs/features.md', import.meta.url), renderFeatureDocs());
console.log('wrote docs/features.md');
