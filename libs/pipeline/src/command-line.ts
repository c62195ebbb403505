/**
 * What the trainer and the scanner share on their command lines: number and list options, where relative paths
 * point, and how durations are written.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InvalidArgumentError } from '@quant/core';

/** The number of option `--name`, or undefined when the option is absent; anything else than a number is an error. */
export function numberArgument(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`--${name} needs a number, got ${JSON.stringify(text)}`);
  return value;
}

/** A comma-separated option as its non-empty, trimmed parts, or undefined when the option is absent. */
export function listArgument(text: string | undefined): string[] | undefined {
  return text === undefined ? undefined : text.split(',').map((part) => part.trim()).filter((part) => part !== '');
}

/**
 * The folder relative paths are taken from: the workspace root when nx runs an app (nx starts the app's script inside
 * apps/<name> and names the root in NX_WORKSPACE_ROOT); otherwise the nearest folder holding nx.json at or above
 * the folder npm was invoked in (INIT_CWD) or the current one, and failing that that folder itself. So the trainer
 * and the scanner find the same <root>/.quant/quant.db however they are started from inside the workspace.
 */
export function invocationRoot(environment: NodeJS.ProcessEnv = process.env): string {
  const workspace = environment['NX_WORKSPACE_ROOT'];
  if (workspace !== undefined && workspace !== '') return workspace;
  const start = resolve(environment['INIT_CWD'] ?? process.cwd());
  for (let folder = start; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'nx.json'))) return folder;
    if (dirname(folder) === folder) return start;
  }
}

/** `path` made absolute against invocationRoot (absolute paths are kept). */
export function resolveFromInvocation(path: string, environment: NodeJS.ProcessEnv = process.env): string {
  return isAbsolute(path) ? path : resolve(invocationRoot(environment), path);
}

/** A duration for the terminal: 3.2s, 42s, 2m05s; -- when unknown. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--';
  if (seconds < 10) return `${seconds.toFixed(1)}s`;
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.round(seconds - minutes * 60)).padStart(2, '0')}s`;
}
