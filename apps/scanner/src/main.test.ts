import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = join(app, '..', '..', 'node_modules', '.bin', 'tsx');
const folder = mkdtempSync(join(tmpdir(), 'quant-scanner-app-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function run(...args: string[]) {
  // The app finds its own tsconfig; a path given to an outer tsx must not leak into it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'TSX_TSCONFIG_PATH'));
  return spawnSync(tsx, ['src/main.ts', ...args], { cwd: app, encoding: 'utf8', env });
}

describe('the scanner command', () => {
  it('refuses with exit code 3 and what to do when no model has been promoted', () => {
    const result = run('--db', join(folder, 'missing.db'), '--output', folder);
    expect(result.status).toBe(3);
    expect(result.stderr).toMatch(/^Cannot scan: no database at .*missing\.db, so no model has been promoted yet: run `npx nx run trainer:train` first/);
  }, 60_000);

  it('exits with code 2 and the usage on a bad argument', () => {
    const result = run('--as-of', 'yesterday');
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/expected a date as YYYY-MM-DD, got "yesterday"[\s\S]*Usage: npx nx run scanner:scan/);
  }, 60_000);
});
