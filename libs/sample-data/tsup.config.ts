import { cpSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared.ts';

// The data files travel next to the code: src/data for tests on source, dist/data in the published package.
// `shims` gives the CommonJS build an import.meta.url, which the loader uses to find them.
export default defineConfig(
  libraryBuild({
    shims: true,
    onSuccess: async () => {
      cpSync('src/data', 'dist/data', { recursive: true });
    },
  }),
);
