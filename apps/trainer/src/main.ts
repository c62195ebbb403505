/**
 * `npx nx run trainer:train [-- options]`: trains on the embedded CORE universe with no flags and no network.
 * See --help and docs/trainer.md.
 */
import { createInterface } from 'node:readline/promises';
import { Worker } from 'node:worker_threads';
import { isQuantError } from '@quant/core';
import { checkpointStatusText, formatSeconds, formatTrainSummary, resetRunCheckpoint, resolveFromInvocation, type TrainOptions, type TrainResult } from '@quant/pipeline';
import { USAGE, parseTrainerArguments } from './arguments.js';
import { Terminal } from './terminal.js';
import type { WorkerMessage } from './worker.js';

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await prompt.question(`${question} [y/N] `)).trim());
  } finally {
    prompt.close();
  }
}

/**
 * Relative paths are taken from the workspace root (see resolveFromInvocation): `nx run` starts the app inside
 * apps/trainer, and the database, checkpoint and results belong to the workspace (the scanner reads them there).
 */
function resolvePaths(options: TrainOptions): TrainOptions {
  return {
    ...options,
    databasePath: resolveFromInvocation(options.databasePath),
    outputFolder: resolveFromInvocation(options.outputFolder),
    checkpointFolder: resolveFromInvocation(options.checkpointFolder),
    csvFolder: options.csvFolder === null ? null : resolveFromInvocation(options.csvFolder),
  };
}

/**
 * Starts src/worker.ts in a worker thread. The app runs from TypeScript source through tsx, whose module hooks do
 * not reach worker threads on Node 20, so the worker loads its entry through tsx's API.
 */
function startWorker(options: unknown): Worker {
  const entry = new URL('./worker.ts', import.meta.url).href;
  const source = `import('tsx/esm/api').then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(source, { eval: true, workerData: { options } });
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseTrainerArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const options = resolvePaths(parsed.options);
  if (parsed.status) {
    process.stdout.write(`${checkpointStatusText(options)}\n`);
    return 0;
  }
  if (parsed.reset) {
    const sure = parsed.yes || (await confirm(`Delete the checkpoint in ${options.checkpointFolder} and start fresh?`));
    if (!sure) {
      process.stdout.write('Nothing deleted (answer y, or pass --yes).\n');
      return 1;
    }
    process.stdout.write(resetRunCheckpoint(options) ? `Checkpoint in ${options.checkpointFolder} deleted.\n` : 'There was no checkpoint.\n');
  }

  const started = Date.now();
  const terminal = new Terminal({ stream: process.stdout, now: () => Date.now(), ascii: parsed.ascii });
  terminal.line(`Quant trainer: ${options.source} data, universe ${options.symbols === null ? options.universe : options.symbols.join(',')}, ` +
    `${options.labels.holdDays}-day hold +${options.labels.target * 100}% / -${options.labels.stop * 100}%, ${options.models.length} models, seed ${options.seed}`);
  // The app runs from TypeScript source through tsx; the worker needs the same loader (module hooks registered in
  // this thread do not reach worker threads).
  const worker = startWorker(options);
  let stopping = false;
  const onInterrupt = () => {
    if (stopping) return;
    stopping = true;
    terminal.line('Stopping: the checkpoint holds every finished symbol and model; run the same command to resume.');
    worker.postMessage('stop');
    // A model fit does not look at messages; the checkpoint is consistent at any instant (atomic writes), so the
    // worker can be ended without waiting for the fit.
    setTimeout(() => void worker.terminate(), 1500).unref();
  };
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);

  const outcome = await new Promise<{ result?: TrainResult; error?: { code: string; message: string; cancelled: boolean } }>((resolve) => {
    let settled: { result?: TrainResult; error?: { code: string; message: string; cancelled: boolean } } | undefined;
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'report') {
        (terminal[message.method] as (...args: unknown[]) => void).apply(terminal, message.args);
      } else if (message.type === 'result') {
        settled = { result: message.result as TrainResult };
      } else {
        settled = { error: { code: message.code, message: message.message, cancelled: message.cancelled } };
      }
    });
    worker.on('error', (error) => {
      settled = { error: { code: isQuantError(error) ? error.code : 'INTERNAL', message: error.stack ?? error.message, cancelled: false } };
    });
    worker.on('exit', () => resolve(settled ?? { error: { code: 'CANCELLED', message: 'stopped', cancelled: true } }));
  });
  terminal.close();
  process.off('SIGINT', onInterrupt);
  process.off('SIGTERM', onInterrupt);
  if (outcome.result !== undefined) {
    process.stdout.write(`${formatTrainSummary(outcome.result)}\n`);
    process.stdout.write(`Finished in ${formatSeconds((Date.now() - started) / 1000)}.\n`);
    return 0;
  }
  const error = outcome.error!;
  if (error.cancelled || stopping) {
    process.stdout.write(`Stopped after ${formatSeconds((Date.now() - started) / 1000)}. Resume with the same command; see progress with --status.\n`);
    return 130;
  }
  process.stderr.write(`Training failed (${error.code}): ${error.message}\n`);
  return 1;
}

process.exitCode = await main();
