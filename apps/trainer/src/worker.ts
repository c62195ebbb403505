/**
 * The training itself runs in a worker thread, so the main thread stays free to draw progress every second and to
 * answer Ctrl+C at once even while a model fit holds the worker's thread. Reporter calls become messages.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isQuantError } from '@quant/core';
import { openRunCheckpoint, train, type RunReporter, type TrainOptions } from '@quant/pipeline';

export type WorkerMessage =
  | { type: 'report'; method: keyof RunReporter; args: unknown[] }
  | { type: 'result'; result: unknown }
  | { type: 'error'; code: string; message: string; cancelled: boolean };

const port = parentPort!;
const options = (workerData as { options: TrainOptions }).options;
const controller = new AbortController();
port.on('message', (message: unknown) => {
  if (message === 'stop') controller.abort(new Error('stopped by the user'));
});

const reporter = new Proxy({} as RunReporter, {
  get: (_, method: string) => (...args: unknown[]) => port.postMessage({ type: 'report', method: method as keyof RunReporter, args } satisfies WorkerMessage),
});

// Opening the checkpoint can fail with a clear error too (other options, older training code, a locked folder):
// it is reported like any other.
let checkpoint: ReturnType<typeof openRunCheckpoint> | undefined;
try {
  checkpoint = openRunCheckpoint(options, { now: () => new Date() });
  const result = await train(options, { checkpoint, reporter, signal: controller.signal, now: () => new Date() });
  port.postMessage({ type: 'result', result } satisfies WorkerMessage);
} catch (error) {
  const code = isQuantError(error) ? error.code : 'INTERNAL';
  const message = error instanceof Error ? (isQuantError(error) ? error.message : (error.stack ?? error.message)) : String(error);
  port.postMessage({ type: 'error', code, message, cancelled: code === 'CANCELLED' } satisfies WorkerMessage);
} finally {
  checkpoint?.close();
  // The message listener would keep the worker alive.
  port.close();
}
