/**
 * The layering of docs/architecture.md is enforced by @nx/enforce-module-boundaries. This test proves the rule bites:
 * it lints source text that imports upward (core -> sample-data, a compute lib -> an I/O lib) and expects an error,
 * and lints a downward import and expects none.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { createProjectGraphAsync } from '@nx/devkit';
import { beforeAll, describe, expect, it } from 'vitest';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function lint(relativePath: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: workspaceRoot });
  const [result] = await eslint.lintText(source, { filePath: join(workspaceRoot, relativePath) });
  return result!.messages.filter((message) => message.ruleId === '@nx/enforce-module-boundaries').map((message) => message.message);
}

describe('module boundaries', () => {
  beforeAll(async () => {
    // The rule reads the cached project graph; make sure it exists when the test runs outside an Nx task.
    await createProjectGraphAsync({ exitOnError: false });
  });

  it('fails lint when core imports a library above it', async () => {
    const messages = await lint('libs/core/src/upward.ts', "import { loadBars } from '@quant/sample-data';\nexport const x = loadBars;\n");
    expect(messages).toHaveLength(1);
    // sample-data already depends on core, so the rule names the cycle; without that edge it names the tag rule.
    expect(messages[0]).toMatch(/Circular dependency between "core" and "sample-data"|can only depend on libs tagged with "layer:core"/);
  });

  it('fails lint when a compute library imports the data layer, but lets its tests use the embedded data', async () => {
    const source = "import { loadBars } from '@quant/sample-data';\nexport const x = loadBars;\n";
    const messages = await lint('libs/features/src/upward.ts', source);
    expect(messages).toEqual(['A project tagged with "layer:compute" can only depend on libs tagged with "layer:core"']);
    expect(await lint('libs/features/src/upward.test.ts', source)).toEqual([]);
  });

  it('fails lint when a compute library imports an I/O library', async () => {
    const messages = await lint('libs/features/src/io.ts', "import { openDatabase } from '@quant/db';\nexport const x = openDatabase;\n");
    expect(messages).toEqual(['A project tagged with "layer:compute" can only depend on libs tagged with "layer:core"']);
  });

  it('passes lint when a library imports core', async () => {
    const messages = await lint('libs/sample-data/src/downward.ts', "import { createBars } from '@quant/core';\nexport const x = createBars;\n");
    expect(messages).toEqual([]);
  });

  it('fails lint when a library reaches into another through a relative path', async () => {
    const messages = await lint('libs/sample-data/src/reach.ts', "import { createBars } from '../../core/src/bars.js';\nexport const x = createBars;\n");
    expect(messages.length).toBeGreaterThan(0);
  });
});
