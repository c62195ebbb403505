/**
 * The trainer survives SIGKILL: killed at random moments (during ingestion, feature work and model training) and
 * started again with the same command, it ends with the same models, bit for bit, and the same evaluation as an
 * uninterrupted run with the same seed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = new URL('./main.ts', import.meta.url).pathname;
const SYMBOLS = 'AEO,AIG,ALB,AON,AVY,CF';
const ARGS = ['--symbols', SYMBOLS, '--models', 'logistic-regression,naive-bayes,random-forest', '--folds', '2', '--inner-folds', '2', '--sample-stride', '3', '--seed', '7', '--threads', '1', '--ascii'];
const folders: string[] = [];

function workspace(): string {
  const folder = mkdtempSync(join(tmpdir(), 'quant-resume-'));
  folders.push(folder);
  return folder;
}

function paths(folder: string): string[] {
  return ['--db', join(folder, 'q.db'), '--output', join(folder, 'out'), '--checkpoint', join(folder, 'checkpoint')];
}

/** Runs the trainer; with `killAfterMs`, kills it with SIGKILL then. Resolves with the exit code (null when killed). */
function runTrainer(folder: string, killAfterMs?: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...ARGS, ...paths(folder)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (timer !== undefined) clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** What must not depend on interruptions: evaluation and model bytes (run ids, paths and timings aside). */
function outcome(folder: string): { results: unknown; models: Record<string, string> } {
  const out = join(folder, 'out');
  const resultsFile = readdirSync(out).find((name) => name.startsWith('results-'))!;
  const results = JSON.parse(readFileSync(join(out, resultsFile), 'utf8')) as Record<string, unknown>;
  const models = (results['models'] as { name: string; folds: unknown; mean: unknown }[]).map(({ name, folds, mean }) => ({ name, folds, mean }));
  const state = JSON.parse(readFileSync(join(folder, 'checkpoint', 'state.json'), 'utf8')) as { artifacts: { key: string; sha256: string }[] };
  return {
    results: { models, samples: results['samples'], folds: results['folds'], backtest: results['backtest'], shap: results['shap'], verdicts: (results['promotion'] as { verdicts: unknown }).verdicts },
    models: Object.fromEntries(state.artifacts.map((artifact) => [artifact.key, artifact.sha256])),
  };
}

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

describe('trainer resume after SIGKILL', () => {
  it('ends with the same models and evaluation as an uninterrupted run', async () => {
    const reference = workspace();
    const first = await runTrainer(reference);
    expect(first.code, first.output).toBe(0);
    const expected = outcome(reference);
    expect(Object.keys(expected.models).length).toBeGreaterThan(10);

    const interrupted = workspace();
    // Kill times spread over the run, seeded (no Math.random in tests): early ones land in ingestion and features,
    // later ones in model training.
    const killTimes = [1500, 2500, 4000, 6000, 9000, 12000];
    let kills = 0;
    const phasesAtKill: string[] = [];
    for (const delay of killTimes) {
      const run = await runTrainer(interrupted, delay);
      if (run.code === 0) break;
      expect(run.code, run.output).toBeNull();
      kills += 1;
      const stateFile = join(interrupted, 'checkpoint', 'state.json');
      phasesAtKill.push(existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as { phase: string }).phase : 'none');
    }
    // The kills hit both the data phases and model training.
    expect(phasesAtKill.some((phase) => phase === 'none' || phase === 'ingest' || phase === 'features'), phasesAtKill.join(',')).toBe(true);
    expect(phasesAtKill.some((phase) => phase === 'train' || phase === 'stack'), phasesAtKill.join(',')).toBe(true);
    const last = await runTrainer(interrupted);
    expect(last.code, last.output).toBe(0);
    expect(kills).toBeGreaterThanOrEqual(2);
    expect(existsSync(join(interrupted, 'checkpoint', 'state.json'))).toBe(true);
    expect(outcome(interrupted)).toEqual(expected);
    // A finished run redoes nothing when started again.
    const again = await runTrainer(interrupted);
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/already complete/);
  }, 600_000);
});
