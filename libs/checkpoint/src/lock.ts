/**
 * One writer per checkpoint. The lock is a file created with O_EXCL (it fails if the file exists, atomically, on
 * every local file system), holding the owner's pid and host name. A lock whose process is dead (SIGKILL, power cut)
 * is stale and is taken over; a lock of a live process is refused with a message naming it.
 */
import { closeSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StateError } from '@quant/core';
import { fsyncDirectory } from './atomic.js';

export const LOCK_FILE_NAME = 'checkpoint.lock';

/** Who holds a checkpoint's lock. */
export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** When the lock was taken (ISO timestamp), when the taker knew the time. */
  readonly acquiredAt: string | null;
}

/** What was found in the lock file. */
export type LockFileContent =
  | { readonly kind: 'absent' }
  | { readonly kind: 'held'; readonly holder: LockHolder; readonly text: string }
  | { readonly kind: 'unreadable'; readonly text: string };

/** True when a process with this pid exists (signal 0 checks without sending anything). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user. ESRCH: no such process.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder> | null;
    if (value === null || typeof value !== 'object') return null;
    if (typeof value.pid !== 'number' || !Number.isSafeInteger(value.pid) || value.pid <= 0) return null;
    if (typeof value.hostname !== 'string') return null;
    const acquiredAt = typeof value.acquiredAt === 'string' ? value.acquiredAt : null;
    return { pid: value.pid, hostname: value.hostname, acquiredAt };
  } catch {
    return null;
  }
}

export function readLockFile(path: string): LockFileContent {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw error;
  }
  const holder = parseHolder(text);
  return holder === null ? { kind: 'unreadable', text } : { kind: 'held', holder, text };
}

/**
 * True when the holder may still be writing: its process is alive on this host, or it runs on another host (whose
 * processes cannot be checked from here).
 */
export function isHolderLive(holder: LockHolder): boolean {
  return holder.hostname !== hostname() || isProcessAlive(holder.pid);
}

function describeHolder(holder: LockHolder): string {
  const since = holder.acquiredAt === null ? '' : ` since ${holder.acquiredAt}`;
  return `process ${holder.pid} on ${holder.hostname}${since}`;
}

/** Blocks the thread for `milliseconds` (a lock is taken once per run; a short synchronous pause is harmless). */
function pause(milliseconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, milliseconds);
}

function tryCreate(path: string, text: string): boolean {
  let descriptor: number;
  try {
    descriptor = openSync(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(descriptor, text);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  return true;
}

/**
 * Removes a stale lock without ever removing a live one. Two processes may find the same stale lock at once; each
 * moves the lock file aside under its own name (rename is atomic, so each moves a whole file) and checks that what
 * it moved is the stale lock it saw. If it moved a fresh lock that the other process had just created instead, it
 * links that lock back in place.
 */
function removeStale(path: string, staleText: string): void {
  const aside = `${path}.${process.pid}.stale`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else removed it first
    throw error;
  }
  let movedText: string;
  try {
    movedText = readFileSync(aside, 'utf8');
  } catch {
    movedText = staleText;
  }
  if (movedText !== staleText) {
    try {
      linkSync(aside, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  rmSync(aside, { force: true });
}

export interface AcquireLockOptions {
  readonly directory: string;
  /** The lock's timestamp (ISO), or null when the caller has no clock. */
  readonly acquiredAt: string | null;
  /** Called when a stale lock is taken over. */
  readonly onStale?: (holder: LockHolder | null) => void;
}

/** Takes the lock of a checkpoint directory or throws `StateError` naming the live process that holds it. */
export function acquireLock(options: AcquireLockOptions): LockHolder {
  const path = join(options.directory, LOCK_FILE_NAME);
  const holder: LockHolder = { pid: process.pid, hostname: hostname(), acquiredAt: options.acquiredAt };
  const text = JSON.stringify(holder);
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, text)) {
      fsyncDirectory(options.directory);
      return holder;
    }
    let found = readLockFile(path);
    if (found.kind === 'unreadable') {
      // Its creator may be between creating the file and writing its content: look again before judging.
      pause(100);
      found = readLockFile(path);
    }
    if (found.kind === 'absent') continue;
    if (found.kind === 'held' && isHolderLive(found.holder)) {
      const own = found.holder.pid === process.pid && found.holder.hostname === holder.hostname;
      throw new StateError(
        `checkpoint ${options.directory} is in use by ${describeHolder(found.holder)}${own ? ' (this process: close the other CheckpointStore first)' : ''}: ` +
          `two trainers must not write one checkpoint; wait for it to finish or stop it. If that process is not a trainer ` +
          `(its pid was reused), delete ${path}`,
        { details: { directory: options.directory, pid: found.holder.pid, hostname: found.holder.hostname } },
      );
    }
    options.onStale?.(found.kind === 'held' ? found.holder : null);
    removeStale(path, found.text);
  }
  throw new StateError(`could not take the lock ${path}: other processes kept taking it`, { details: { directory: options.directory } });
}

/** Releases a lock taken by this process (a lock that is no longer ours is left alone). */
export function releaseLock(directory: string, holder: LockHolder): void {
  const path = join(directory, LOCK_FILE_NAME);
  const found = readLockFile(path);
  if (found.kind === 'held' && found.holder.pid === holder.pid && found.holder.hostname === holder.hostname) {
    rmSync(path, { force: true });
  }
}
