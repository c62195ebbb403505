import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandom } from '@quant/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARTIFACTS_FOLDER, CheckpointStore, LOCK_FILE_NAME, STATE_FILE_NAME, readCheckpoint } from './index.js';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const writerScript = fileURLToPath(new URL('./__fixtures__/crash-writer.ts', import.meta.url));

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'quant-checkpoint-crash-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

interface Run {
  /** The step the writer resumed after. */
  opened: number;
  /** The last step the writer reported as fully on disk before it was killed. */
  lastDone: number;
}

/**
 * Starts the writer (TypeScript through tsx, from the workspace so @quant/* resolve to source), lets it write for
 * `milliseconds` after it opened the checkpoint, then kills it with SIGKILL: no handler, no flush, no cleanup.
 */
function runAndKill(milliseconds: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writerScript, directory], { cwd: workspaceRoot, stdio: 'pipe' });
    let buffer = '';
    let errors = '';
    let opened = -1;
    let lastDone = -1;
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const [word, number] = line.split(' ');
        if (word === 'open') {
          opened = Number(number);
          lastDone = opened;
          setTimeout(() => {
            killed = true;
            child.kill('SIGKILL');
          }, milliseconds);
        } else if (word === 'done') {
          lastDone = Number(number);
        }
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code, signal) => {
      if (!killed || signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}, signal ${signal}); stderr: ${errors}`));
      else resolve({ opened, lastDone });
    });
  });
}

/** Reads the checkpoint as a resumed trainer would and checks every invariant; returns the number of completed steps. */
function checkCheckpoint(run: Run): number {
  // Never torn: the state parses and validates, and every artifact it names is complete with the recorded SHA-256.
  const snapshot = readCheckpoint(directory)!;
  expect(snapshot).not.toBeNull();
  expect(snapshot.problems).toEqual([]);
  const completed = snapshot.state.completedSymbols;
  const steps = completed.length;
  // Nothing lost: every step the writer reported done is there (and maybe the one whose report the kill cut off).
  expect(steps).toBeGreaterThanOrEqual(run.lastDone);
  // Nothing done twice, nothing skipped: symbols are exactly S1..Sn in order, each with its own sample count.
  completed.forEach((record, index) => {
    expect(record.symbol).toBe(`S${String(index + 1).padStart(6, '0')}`);
    expect(record.samples).toBe(index + 1);
  });
  // Each model's file holds the step its item says, and the models are those of the latest steps: model n is saved
  // before symbol n, so the newest model is of step `steps` or `steps + 1`.
  const artifacts = new Map(snapshot.state.artifacts.map((record) => [record.key, record]));
  const modelSteps = snapshot.state.items.train.map((item) => {
    const step = (item.info as { step: number }).step;
    expect(item.key).toBe(`model-${step % 4}`);
    expect(item.seconds).toBeCloseTo(step / 10, 10);
    const content = JSON.parse(readFileSync(join(directory, ARTIFACTS_FOLDER, artifacts.get(item.artifact!)!.fileName), 'utf8'));
    expect(content.step).toBe(step);
    expect(content.weights).toHaveLength(8000);
    return step;
  });
  if (steps > 0) {
    const newest = Math.max(...modelSteps);
    expect([steps, steps + 1]).toContain(newest);
    expect(modelSteps).toHaveLength(Math.min(4, newest));
    for (const step of modelSteps) expect(step).toBeGreaterThan(newest - 4);
  }
  return steps;
}

describe('crash safety', () => {
  it('a writer killed with SIGKILL at random moments always leaves a valid state with intact artifacts, and resumes where it stopped', async () => {
    const random = createRandom(20240501);
    let previous = 0;
    // About one kill in three lands while a file is being written (a temporary file is left behind). With writes that
    // are not atomic (no temporary file and rename) this test failed in 4 of 6 runs with a torn state.json.
    for (let kill = 0; kill < 12; kill++) {
      const run = await runAndKill(30 + random.nextInt(400));
      // The writer resumed exactly after the steps that were on disk.
      expect(run.opened).toBe(previous);
      previous = checkCheckpoint(run);
      expect(previous).toBeGreaterThanOrEqual(run.opened); // a kill before the first step finished is a valid case too
    }
    expect(previous).toBeGreaterThan(20); // the writers did make progress (about 200 to 400 steps in all)

    // The resumed trainer: takes over the dead writer's lock, cleans the leftovers, finds every model intact.
    const store = CheckpointStore.open({ directory, runId: 'crash', config: { universe: 'crash-test' }, now: () => new Date(Date.UTC(2025, 0, 1)) });
    expect(store.resumed).toBe(true);
    expect(store.problems).toEqual([]);
    expect(store.completedSymbols()).toHaveLength(previous);
    for (const item of store.itemsDone('train')) {
      expect(store.isDone('train', item.key)).toBe(true);
      expect(JSON.parse(store.loadModel(item.key)).step).toBe((item.info as { step: number }).step);
    }
    expect(readdirSync(directory).sort()).toEqual([ARTIFACTS_FOLDER, LOCK_FILE_NAME, STATE_FILE_NAME]);
    expect(readdirSync(join(directory, ARTIFACTS_FOLDER))).toHaveLength(store.state.artifacts.length);
    store.close();
  }, 120_000);
});
