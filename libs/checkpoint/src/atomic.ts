/**
 * Crash-safe file replacement. A reader (or a resumed trainer after SIGKILL or a power cut) sees either the old file
 * or the new one, never a mixture:
 *   1. write the new content to a temporary file in the same directory (a rename is only atomic within one file
 *      system),
 *   2. fsync it, so its bytes are on disk before its name can point at them,
 *   3. rename it over the target (POSIX rename(2) replaces the directory entry atomically),
 *   4. fsync the directory, so the rename itself survives a power cut.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The temporary name used while `name` is being replaced; leftovers of a crash match `isTemporaryName`. */
export function temporaryName(name: string): string {
  return `.${name}.${process.pid}.tmp`;
}

/** True for a temporary file left by an interrupted `writeFileAtomic`. */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}

/**
 * Flushes a directory's entries. Windows cannot open a directory for fsync; there NTFS journals renames itself, so the
 * failure is ignored on that platform only.
 */
export function fsyncDirectory(directory: string): void {
  let descriptor: number;
  try {
    descriptor = openSync(directory, 'r');
  } catch (error) {
    if (process.platform === 'win32') return;
    throw error;
  }
  try {
    fsyncSync(descriptor);
  } catch (error) {
    if (process.platform !== 'win32') throw error;
  } finally {
    closeSync(descriptor);
  }
}

/** Replaces `directory/name` with `data` atomically and durably (see the module comment). */
export function writeFileAtomic(directory: string, name: string, data: string | Uint8Array): void {
  const temporaryPath = join(directory, temporaryName(name));
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const descriptor = openSync(temporaryPath, 'w', 0o644);
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(descriptor, bytes, written, bytes.length - written);
    fsyncSync(descriptor);
  } catch (error) {
    closeSync(descriptor);
    rmSync(temporaryPath, { force: true });
    throw error;
  }
  closeSync(descriptor);
  try {
    renameSync(temporaryPath, join(directory, name));
  } catch (error) {
    rmSync(temporaryPath, { force: true });
    throw error;
  }
  fsyncDirectory(directory);
}
