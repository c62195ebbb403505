// Workspace lint configuration (flat config). The layering rule lives here: a library may only import libraries of
// the layers listed for its tags (see docs/architecture.md).
import nx from '@nx/eslint-plugin';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['**/dist', '**/node_modules', '**/tmp', '**/*.d.ts', '**/coverage', '**/.nx'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
  },
  {
    plugins: { '@nx': nx },
    files: ['**/*.ts', '**/*.mts', '**/*.cts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          banTransitiveDependencies: true,
          depConstraints: [
            { sourceTag: 'layer:core', onlyDependOnLibsWithTags: ['layer:core'] },
            { sourceTag: 'layer:data', onlyDependOnLibsWithTags: ['layer:core'] },
            { sourceTag: 'layer:io', onlyDependOnLibsWithTags: ['layer:core', 'layer:data'] },
            { sourceTag: 'layer:compute', onlyDependOnLibsWithTags: ['layer:core'] },
            { sourceTag: 'layer:stacking', onlyDependOnLibsWithTags: ['layer:core', 'lib:models'] },
            {
              sourceTag: 'layer:pipeline',
              onlyDependOnLibsWithTags: ['layer:core', 'layer:data', 'layer:io', 'layer:compute', 'layer:stacking'],
            },
            {
              // Workspace tools build and check the libraries, so they may use any of them.
              sourceTag: 'layer:tooling',
              onlyDependOnLibsWithTags: ['layer:core', 'layer:data', 'layer:io', 'layer:compute', 'layer:stacking', 'layer:pipeline'],
            },
            {
              sourceTag: 'layer:app',
              onlyDependOnLibsWithTags: ['layer:core', 'layer:data', 'layer:io', 'layer:compute', 'layer:stacking', 'layer:pipeline'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    // Tests, benchmarks and their fixtures may also use the embedded real data (a devDependency): the layering rule
    // governs what a published library imports at run time.
    files: ['**/*.test.ts', '**/*.bench.ts', '**/__fixtures__/**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          banTransitiveDependencies: true,
          depConstraints: [
            { sourceTag: 'layer:core', onlyDependOnLibsWithTags: ['layer:core'] },
            { sourceTag: 'layer:data', onlyDependOnLibsWithTags: ['layer:core'] },
            { sourceTag: 'layer:io', onlyDependOnLibsWithTags: ['layer:core', 'layer:data'] },
            { sourceTag: 'layer:compute', onlyDependOnLibsWithTags: ['layer:core', 'layer:data'] },
            { sourceTag: 'layer:stacking', onlyDependOnLibsWithTags: ['layer:core', 'layer:data', 'lib:models'] },
            { sourceTag: 'layer:pipeline', onlyDependOnLibsWithTags: ['layer:core', 'layer:data', 'layer:io', 'layer:compute', 'layer:stacking'] },
            { sourceTag: 'layer:tooling', onlyDependOnLibsWithTags: ['layer:core', 'layer:data', 'layer:io', 'layer:compute', 'layer:stacking', 'layer:pipeline'] },
            { sourceTag: 'layer:app', onlyDependOnLibsWithTags: ['layer:core', 'layer:data', 'layer:io', 'layer:compute', 'layer:stacking', 'layer:pipeline'] },
          ],
        },
      ],
    },
  },
  {
    // Build and test configuration files share the workspace's presets by relative import; they are not library code.
    files: ['**/*.config.ts', '**/*.config.mjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Apps and tools own the terminal; libraries report through Logger / ProgressReporter.
    files: ['apps/**/*', 'tools/**/*'],
    rules: { 'no-console': 'off' },
  },
);
