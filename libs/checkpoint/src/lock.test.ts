import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger, isQuantError } from '@quant/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { steppingClock } from './__fixtures__/clock.js';
import { CheckpointStore, LOCK_FILE_NAME, isProcessAlive, readCheckpoint } from './index.js';
import { acquireLock, releaseLock } from './lock.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'quant-checkpoint-lock-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

function openStore(logger = createMemoryLogger()): CheckpointStore {
  return CheckpointStore.open({ directory, runId: 'run', config: { seed: 1 }, now: steppingClock(), logger });
}

function lockError(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    expect(isQuantError(error, 'STATE')).toBe(true);
    return error as Error;
  }
  throw new Error('expected the lock to be refused');
}

/** Starts a node process that idles until killed, and resolves once it runs. */
async function startIdleProcess(): Promise<{ pid: number; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("ready\\n"); setInterval(() => {}, 1000)'], { stdio: 'pipe' });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('error', reject);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function writeLock(pid: number, host = hostname()): void {
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, LOCK_FILE_NAME), JSON.stringify({ pid, hostname: host, acquiredAt: '2024-05-01T12:00:00.000Z' }));
}

describe('checkpoint lock', () => {
  it('a second store on the same directory is refused while the first is open, and allowed after close', () => {
    const first = openStore();
    const message = lockError(() => openStore()).message;
    expect(message).toContain(`checkpoint ${directory} is in use by process ${process.pid} on ${hostname()}`);
    expect(message).toContain('(this process: close the other CheckpointStore first)');
    first.markSymbolCompleted('AAPL', 1); // the refused attempt did not disturb the holder
    first.close();
    const second = openStore();
    expect(second.isSymbolCompleted('AAPL')).toBe(true);
    second.close();
  });

  it('a lock held by another live process is refused, naming its pid; once that process is dead the lock is stale and taken over', async () => {
    const holder = await startIdleProcess();
    try {
      openStore().close(); // create the checkpoint
      writeLock(holder.pid);
      expect(isProcessAlive(holder.pid)).toBe(true);
      const message = lockError(() => openStore()).message;
      expect(message).toContain(`is in use by process ${holder.pid} on ${hostname()} since 2024-05-01T12:00:00.000Z`);
      expect(message).toContain('two trainers must not write one checkpoint');
      expect(readCheckpoint(directory)!.writer).toMatchObject({ pid: holder.pid });
    } finally {
      await holder.stop();
    }
    expect(isProcessAlive(holder.pid)).toBe(false);
    expect(readCheckpoint(directory)!.writer).toBeNull();
    const logger = createMemoryLogger();
    const store = openStore(logger);
    expect(logger.entries).toContainEqual({
      level: 'warn',
      message: 'taking over a stale checkpoint lock',
      fields: { directory, pid: holder.pid, hostname: hostname() },
    });
    expect(JSON.parse(readFileSync(join(directory, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
    store.close();
  });

  it('a lock from another host is treated as live (its process cannot be checked from here)', () => {
    writeLock(1, 'some-other-machine');
    expect(lockError(() => openStore()).message).toContain('in use by process 1 on some-other-machine');
  });

  it('a lock file without a readable owner (its creator died before writing it) is stale', () => {
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, LOCK_FILE_NAME), '');
    const logger = createMemoryLogger();
    openStore(logger).close();
    expect(logger.entries.map((entry) => entry.message)).toContain('taking over a stale checkpoint lock');
    expect(existsSync(join(directory, LOCK_FILE_NAME))).toBe(false);
  });

  it('release leaves a lock that another process took', () => {
    const lock = acquireLock({ directory, acquiredAt: null });
    writeLock(process.pid + 1_000_000, 'another-host');
    releaseLock(directory, lock);
    expect(existsSync(join(directory, LOCK_FILE_NAME))).toBe(true);
  });
});
