/**
 * Output files of a run (results, promoted model, scan files): written whole or not at all, through
 * @quant/checkpoint's atomic write (temporary file, fsync, rename, directory fsync), so that a crash or Ctrl+C never
 * leaves a half-written file where the scanner or a user would read it.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { writeFileAtomic } from '@quant/checkpoint';

/** Writes `text` to `path` atomically, creating the directory when needed. */
export function writeOutputFile(path: string, text: string): void {
  const directory = dirname(path);
  mkdirSync(directory, { recursive: true });
  writeFileAtomic(directory, basename(path), text);
}
