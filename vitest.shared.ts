/**
 * Shared Vitest settings. Tests run on TypeScript source: every `@quant/<name>` import resolves to
 * `libs/<name>/src/index.ts`, so no package needs a build before its tests (or its dependents' tests) run.
 */
import { readdirSync, existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const workspaceRoot = dirname(fileURLToPath(import.meta.url));
const librariesRoot = join(workspaceRoot, 'libs');

export const sourceAliases: Record<string, string> = Object.fromEntries(
  readdirSync(librariesRoot)
    .filter((name) => existsSync(join(librariesRoot, name, 'src', 'index.ts')))
    .map((name) => [`@quant/${name}`, join(librariesRoot, name, 'src', 'index.ts')]),
);

export function defineProjectConfig(overrides: { testTimeout?: number; include?: string[] } = {}): ViteUserConfig {
  return defineConfig({
    resolve: { alias: sourceAliases },
    test: {
      include: overrides.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: overrides.testTimeout ?? 20_000,
      pool: 'forks',
      // With QUANT_TEST_REPORT_DIR set (CI), each project also writes a JSON report that tools/test-summary.mjs sums up.
      reporters: process.env['QUANT_TEST_REPORT_DIR'] ? ['default', 'json'] : ['default'],
      ...(process.env['QUANT_TEST_REPORT_DIR']
        ? { outputFile: { json: join(process.env['QUANT_TEST_REPORT_DIR'], `${basename(process.cwd())}.json`) } }
        : {}),
    },
  });
}
