import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared.ts';

// Second entry: the scanner's feature worker (worker_threads), emitted next to the bundles as
// dist/scan-feature-worker.js / .cjs and resolved from them with import.meta.url (`shims` gives the CJS bundle one).
export default defineConfig(
  libraryBuild({
    entry: { index: 'src/index.ts', 'scan-feature-worker': 'src/scan-feature-worker.ts' },
    shims: true,
  }),
);
