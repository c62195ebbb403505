import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatSeconds, invocationRoot, listArgument, numberArgument, resolveFromInvocation } from './command-line.js';

describe('command-line helpers', () => {
  const folder = mkdtempSync(join(tmpdir(), 'quant-command-line-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reads numbers and lists, naming a bad value', () => {
    expect(numberArgument('folds', undefined)).toBeUndefined();
    expect(numberArgument('target', '0.1')).toBe(0.1);
    expect(() => numberArgument('folds', 'three')).toThrow(/--folds needs a number, got "three"/);
    expect(() => numberArgument('folds', ' ')).toThrow(/--folds needs a number, got " "/);
    expect(listArgument(undefined)).toBeUndefined();
    expect(listArgument(' aapl, ,msft ')).toEqual(['aapl', 'msft']);
  });

  it('takes relative paths from the workspace root under nx, else from the nx.json folder above where npm was invoked', () => {
    expect(resolveFromInvocation('.quant/quant.db', { NX_WORKSPACE_ROOT: '/repo', INIT_CWD: '/repo/apps/scanner' })).toBe('/repo/.quant/quant.db');
    expect(resolveFromInvocation('/data/quant.db', { NX_WORKSPACE_ROOT: '/repo' })).toBe('/data/quant.db');
    // A workspace (nx.json) above the invocation folder: its root; no workspace: the invocation folder itself.
    const workspace = join(folder, 'workspace');
    mkdirSync(join(workspace, 'apps', 'trainer'), { recursive: true });
    writeFileSync(join(workspace, 'nx.json'), '{}');
    expect(invocationRoot({ INIT_CWD: join(workspace, 'apps', 'trainer') })).toBe(workspace);
    const elsewhere = join(folder, 'elsewhere');
    mkdirSync(elsewhere);
    expect(resolveFromInvocation('.quant/quant.db', { INIT_CWD: elsewhere })).toBe(join(elsewhere, '.quant/quant.db'));
  });

  it('formats durations', () => {
    expect(formatSeconds(3.24)).toBe('3.2s');
    expect(formatSeconds(42.4)).toBe('42s');
    expect(formatSeconds(125)).toBe('2m05s');
    expect(formatSeconds(Number.NaN)).toBe('--');
  });
});
