/**
 * Starting tree workers (worker_threads running tree-worker.ts). From the package build the worker is the tsup entry
 * next to the running bundle (dist/tree-worker.js beside dist/index.js, dist/tree-worker.cjs beside dist/index.cjs).
 * From TypeScript source (tests, tsx scripts) it is bundled once per process with esbuild (which tsx, tsup and
 * vitest all run on) and started with `eval: true`, so the worker needs no TypeScript loader.
 *
 * Workers are unreferenced (they never keep the process alive) and every fit stops its workers in a finally block.
 * The work-sharing protocols never wait for a worker that has not claimed work, so a worker that cannot start (for
 * example when a bundler dropped the worker file) costs speed, not correctness.
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

let bundledSource: string | undefined;

interface Esbuild {
  buildSync(options: Record<string, unknown>): { outputFiles: { text: string }[] };
}

/**
 * Default thread count of the tree models: the cores available to the process, at most 4 (beyond that the
 * boosting jobs, cut into chunks of 8 features, leave little to share). Models do not depend on it.
 */
export function defaultThreadCount(): number {
  return Math.min(4, availableParallelism());
}

/** Starts `count` tree workers. */
export function startTreeWorkers(count: number): Worker[] {
  const workers: Worker[] = [];
  for (let index = 0; index < count; index++) {
    const worker = startWorker();
    worker.unref();
    // An error after fit has finished (or a failed start) must not crash the process; failures during a fit are
    // reported through the shared control block.
    worker.on('error', () => undefined);
    workers.push(worker);
  }
  return workers;
}

function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(here.endsWith('.cjs') ? './tree-worker.cjs' : './tree-worker.js', here));
  if (bundledSource === undefined) {
    const esbuild = createRequire(here)('esbuild') as Esbuild;
    const result = esbuild.buildSync({
      entryPoints: [fileURLToPath(new URL('./tree-worker.ts', here))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
    });
    bundledSource = result.outputFiles[0]!.text;
  }
  return new Worker(bundledSource, { eval: true });
}
