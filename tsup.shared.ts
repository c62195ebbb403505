/** Shared tsup settings: every library ships ESM + CJS + declaration files for both, built from src/index.ts. */
import type { Options } from 'tsup';

export function libraryBuild(overrides: Partial<Options> = {}): Options {
  return {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: false,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    outDir: 'dist',
    tsconfig: 'tsconfig.lib.json',
    ...overrides,
  };
}
