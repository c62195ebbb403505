import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TECHNICAL_FEATURE_NAMES } from '@quant/features';
import { renderFeatureDocs } from '../feature-docs.ts';

describe('docs/features.md', () => {
  it('is exactly what the registry generates (run npx tsx tools/generate-feature-docs.ts after changing features)', () => {
    const committed = readFileSync(new URL('../../docs/features.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderFeatureDocs());
  });

  it('documents every feature of the matrix by name, in order', () => {
    const committed = readFileSync(new URL('../../docs/features.md', import.meta.url), 'utf8');
    const documented = [...committed.matchAll(/^\| \d+ \| `([a-z0-9_]+)` \|/gm)].map((match) => match[1]);
    expect(documented).toEqual(TECHNICAL_FEATURE_NAMES);
  });
});
