/**
 * The feature computations of a scan on several threads: the main thread and `threads - 1` workers (worker_threads
 * running scan-feature-worker.ts) take symbols from one queue, so a busy core slows its own share only. Each symbol
 * is computed by symbolFeatureRows: streamed over its newest bars when earlier rows are stored, else over its whole
 * history. A first scan computes every symbol's 1,259 bars (about 9 ms each on one core), so two cores take the
 * feature phase of the 470-symbol universe from about 4 s to about 2 s.
 *
 * Starting a worker: from the package build, the worker is the entry next to the running bundle; from TypeScript
 * source (tests, tsx) it is bundled once per process with esbuild, the @quant packages it uses resolved to their
 * sources, and started with `eval: true`. A worker that cannot start, fails or dies costs speed, never results: its
 * symbols go back to the main thread, which computes the same numbers.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Bars } from '@quant/core';
import type { FeatureContext } from '@quant/features';
import { symbolFeatureRows, type StoredFeatures, type SymbolFeatureRows } from './scan-features.js';

export type WorkerRequest =
  | { readonly type: 'context'; readonly context: FeatureContext }
  | {
      readonly type: 'task';
      readonly id: number;
      readonly bars: Bars;
      readonly sector: string | null;
      readonly stored: StoredFeatures | undefined;
      readonly windowRows: number;
      readonly storedRows: number;
    };

export type WorkerReply = { readonly type: 'rows'; readonly id: number; readonly rows: SymbolFeatureRows } | { readonly type: 'error'; readonly id: number; readonly message: string };

export interface BatchTask {
  readonly bars: Bars;
  readonly sector: string | null;
  /** The symbol's stored rows, when the store has some. */
  readonly stored: StoredFeatures | undefined;
}

export interface BatchOptions {
  /** Threads in all, the calling one included (1: no worker). */
  readonly threads: number;
  readonly windowRows: number;
  readonly storedRows: number;
  /** Called after each symbol, with the count done. */
  readonly onProgress?: (completed: number, symbol: string) => void;
}

/** Fewer batches than this are not worth starting a worker for (bundling and starting one takes about 0.3 s). */
const MIN_PARALLEL_TASKS = 24;
/** Tasks a worker holds at once: one computing, one waiting, so it never idles while the main thread is busy. */
const WORKER_QUEUE = 2;

let bundledSource: string | undefined;

interface Esbuild {
  buildSync(options: Record<string, unknown>): { outputFiles: { text: string }[] };
}

function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL(here.endsWith('.cjs') ? './scan-feature-worker.cjs' : './scan-feature-worker.js', here));
  if (bundledSource === undefined) {
    const esbuild = createRequire(here)('esbuild') as Esbuild;
    const source = (path: string) => fileURLToPath(new URL(path, here));
    bundledSource = esbuild.buildSync({
      entryPoints: [source('./scan-feature-worker.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      write: false,
      logLevel: 'silent',
      alias: { '@quant/core': source('../../core/src/index.ts'), '@quant/features': source('../../features/src/index.ts') },
    }).outputFiles[0]!.text;
  }
  return new Worker(bundledSource, { eval: true });
}

export interface BatchOutcome {
  /** In task order. */
  readonly rows: SymbolFeatureRows[];
  /** Symbols computed by workers (0 when none started). */
  readonly byWorkers: number;
  readonly workers: number;
}

/** Computes the symbols' rows; they come back in task order. */
export async function computeBatches(tasks: readonly BatchTask[], context: FeatureContext, options: BatchOptions): Promise<BatchOutcome> {
  const results: (SymbolFeatureRows | undefined)[] = new Array(tasks.length);
  let completed = 0;
  const runHere = (index: number) => {
    const task = tasks[index]!;
    results[index] = symbolFeatureRows(task.bars, task.stored, { ...context, sector: task.sector }, { windowRows: options.windowRows, storedRows: options.storedRows });
    completed += 1;
    options.onProgress?.(completed, task.bars.symbol);
  };
  const workerCount = tasks.length >= MIN_PARALLEL_TASKS ? Math.max(0, Math.floor(options.threads) - 1) : 0;
  if (workerCount === 0) {
    for (let index = 0; index < tasks.length; index++) runHere(index);
    return { rows: results as SymbolFeatureRows[], byWorkers: 0, workers: 0 };
  }
  let byWorkers = 0;

  let next = 0;
  // Tasks of a worker that failed, for the main thread.
  const returned: number[] = [];
  const inFlight = new Map<Worker, Set<number>>();
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const feed = (worker: Worker) => {
    const held = inFlight.get(worker);
    while (held !== undefined && held.size < WORKER_QUEUE && next < tasks.length) {
      const id = next++;
      const task = tasks[id]!;
      held.add(id);
      const request: WorkerRequest = { type: 'task', id, bars: task.bars, sector: task.sector, stored: task.stored, windowRows: options.windowRows, storedRows: options.storedRows };
      worker.postMessage(request);
    }
  };
  const retire = (worker: Worker) => {
    const held = inFlight.get(worker);
    if (held === undefined) return;
    inFlight.delete(worker);
    returned.push(...held);
    void worker.terminate();
    notify();
  };

  const workers: Worker[] = [];
  for (let count = 0; count < workerCount; count++) {
    let worker: Worker;
    try {
      worker = startWorker();
    } catch {
      break;
    }
    workers.push(worker);
    inFlight.set(worker, new Set());
    worker.on('message', (reply: WorkerReply) => {
      const held = inFlight.get(worker);
      if (held === undefined) return;
      held.delete(reply.id);
      if (reply.type === 'rows') {
        results[reply.id] = reply.rows;
        completed += 1;
        byWorkers += 1;
        options.onProgress?.(completed, reply.rows.symbol);
      } else {
        // The main thread computes it again and reports the error itself if it is real.
        returned.push(reply.id);
      }
      feed(worker);
      notify();
    });
    worker.on('error', () => retire(worker));
    worker.on('exit', () => retire(worker));
    worker.postMessage({ type: 'context', context } satisfies WorkerRequest);
    feed(worker);
  }

  try {
    for (;;) {
      const index = returned.length > 0 ? returned.pop()! : next < tasks.length ? next++ : undefined;
      if (index !== undefined) {
        runHere(index);
        // Let worker replies in, so the workers are refilled while this thread computes.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      let pending = 0;
      for (const held of inFlight.values()) pending += held.size;
      if (pending === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    for (const worker of workers) {
      inFlight.delete(worker);
      void worker.terminate();
    }
  }
  return { rows: results as SymbolFeatureRows[], byWorkers, workers: workers.length };
}
