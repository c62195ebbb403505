import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared.ts';

// Second entry: the tree worker (worker_threads), emitted next to the bundles as dist/tree-worker.js (ESM) and
// dist/tree-worker.cjs (CJS) and started from them with new URL('./tree-worker.<ext>', import.meta.url) (see
// src/tree/worker-start.ts); `shims` gives the CJS bundle its import.meta.url. Declarations only for the public entry.
export default defineConfig(
  libraryBuild({
    entry: { index: 'src/index.ts', 'tree-worker': 'src/tree/tree-worker.ts' },
    dts: { entry: { index: 'src/index.ts' } },
    shims: true,
  }),
);
