import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './index.js';

const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const writerScript = fileURLToPath(new URL('./__fixtures__/writer.ts', import.meta.url));

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'quant-db-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** Starts the writer child (TypeScript through tsx, resolved from the workspace so @quant/* map to source). */
function startWriter(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', writerScript, ...args], { cwd: workspaceRoot, stdio: 'pipe' });
}

/** Resolves with the first stdout line that satisfies `accept`. */
function waitForLine(child: ChildProcessWithoutNullStreams, accept: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let errors = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      const found = lines.find(accept);
      if (found !== undefined) {
        child.stdout.off('data', onData);
        resolve(found);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`writer exited (${code}) before the expected line; stderr: ${errors}`)));
  });
}

describe('crash safety', () => {
  it('a writer killed with SIGKILL mid-transaction leaves every committed row and none of the interrupted one', async () => {
    const path = join(directory, 'crash.sqlite');
    const batch = 20_000;
    const child = startWriter(['bulk', path, String(batch)]);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitForLine(child, (line) => line === 'begin 4');
    // Let the fourth transaction get well under way (it writes 20,000 rows), then kill without warning.
    await new Promise((resolve) => setTimeout(resolve, 15));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const database = openDatabase(path);
    expect(database.integrityCheck()).toBe('ok');
    const rows = database.prices.count();
    const lastReported = Math.max(...[...output.matchAll(/committed (\d+)/g)].map((match) => Number(match[1])));
    expect(lastReported).toBeGreaterThanOrEqual(3);
    // Every transaction the child reported is there; the one it was in when killed is there completely (if its commit
    // finished just before the kill) or not at all: never a partial batch.
    expect([lastReported * batch, (lastReported + 1) * batch]).toContain(rows);
    const range = database.prices.dateRange('KILL')!;
    expect(range.count).toBe(rows);
    expect(range.first).toBe(batch);
    database.close();
  }, 60_000);
});

describe('concurrency', () => {
  it('a reader reads while a writer holds an open write transaction, then sees the commit', async () => {
    const path = join(directory, 'shared.sqlite');
    const setup = openDatabase(path);
    setup.close();
    const child = startWriter(['hold', path, '5000']);
    await waitForLine(child, (line) => line === 'holding');

    const reader = openDatabase(path, { readonly: true, busyTimeoutMs: 0 });
    const started = performance.now();
    expect(reader.prices.count()).toBe(0); // the writer's rows are not visible yet, and the read does not wait
    expect(performance.now() - started).toBeLessThan(500);

    child.stdin.write('commit\n');
    await waitForLine(child, (line) => line === 'committed');
    expect(reader.prices.count()).toBe(5000);
    reader.close();
  }, 60_000);
});
