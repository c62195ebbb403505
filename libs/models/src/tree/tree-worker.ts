/**
 * Tree worker (worker_threads entry, built as dist/tree-worker.js and .cjs; see worker-start.ts). It receives one
 * setup message, then serves either boosting jobs (their row and feature chunks, see shareJob in boost-kernel.ts) or
 * forest training (whole trees, forest-trees.ts) until the main thread is done with it. A failure is flagged in the
 * shared control block and its message posted on the setup's port, so the main thread can report it.
 */
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { COMMAND_QUIT, CONTROL, histogramBytes, shareJob, type BoostBuffers, type BoostWorkerSetup } from './boost-kernel.js';
import { instantiateKernel } from './wasm-kernel.js';
import { FOREST_CONTROL, ForestTreeBuilder, treeToArrays, type ForestWorkerSetup } from './forest-trees.js';

/** Iterations a worker polls for the next job before sleeping (jobs follow each other within microseconds). */
const SPIN_ITERATIONS = 20_000;

parentPort?.once('message', (setup: BoostWorkerSetup | ForestWorkerSetup) => {
  const failedSlot = setup.kind === 'boost' ? CONTROL.failed : FOREST_CONTROL.failed;
  try {
    if (setup.kind === 'boost') serveBoosting(setup);
    else growForestTrees(setup);
  } catch (error) {
    setup.port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    Atomics.store(setup.control, failedSlot, 1);
    // Wake the main thread wherever it waits.
    if (setup.kind === 'boost') {
      Atomics.notify(setup.control, CONTROL.done);
      Atomics.notify(setup.control, CONTROL.rowsDone);
    } else {
      Atomics.notify(setup.control, FOREST_CONTROL.posted);
    }
  } finally {
    setup.port.close();
    parentPort?.close();
  }
});

function serveBoosting(setup: BoostWorkerSetup): void {
  const { control, port, memory, rowCount } = setup;
  const histogramLength = histogramBytes(setup.wordsPerRow) / 8;
  const buffers: BoostBuffers = {
    ...setup,
    kernel: instantiateKernel(setup.module, memory),
    words: new Uint32Array(memory.buffer, setup.wordsAt, rowCount * setup.wordsPerRow),
    partition: new Uint32Array(memory.buffer, setup.partitionAt, rowCount),
    leftRows: new Uint32Array(memory.buffer, setup.leftRowsAt, rowCount),
    rightRows: new Uint32Array(memory.buffer, setup.rightRowsAt, rowCount),
    packed: setup.packedAt.map((offset) => new Float64Array(memory.buffer, offset, rowCount)),
    histograms: setup.histogramAt.map((offset) => new Float64Array(memory.buffer, offset, histogramLength)),
    histogramAt: [...setup.histogramAt],
  };
  let seen = 0;
  for (;;) {
    for (let spins = 0; spins < SPIN_ITERATIONS && Atomics.load(control, CONTROL.posted) === seen; spins++);
    Atomics.wait(control, CONTROL.posted, seen);
    seen = Atomics.load(control, CONTROL.posted);
    if (Atomics.load(control, CONTROL.command) === COMMAND_QUIT) return;
    // Histogram buffers made since the last job (posted before the job was published).
    for (let message = receiveMessageOnPort(port); message !== undefined; message = receiveMessageOnPort(port)) {
      const { id, offset } = message.message as { id: number; offset: number };
      // After the main thread grew the memory, this thread's `memory.buffer` may still be the smaller one until
      // V8 handles the growth here; grow(0) refreshes it.
      if (offset + 8 * histogramLength > memory.buffer.byteLength) memory.grow(0);
      buffers.histograms[id] = new Float64Array(memory.buffer, offset, histogramLength);
      buffers.histogramAt[id] = offset;
    }
    shareJob(buffers, seen, setup.threadIndex, true);
  }
}

function growForestTrees(setup: ForestWorkerSetup): void {
  const { control, port, states } = setup;
  const builder = new ForestTreeBuilder(setup.job);
  const total = states.length;
  for (let claimed = Atomics.sub(control, FOREST_CONTROL.remaining, 1); claimed > 0; claimed = Atomics.sub(control, FOREST_CONTROL.remaining, 1)) {
    const index = total - claimed;
    port.postMessage({ index, arrays: treeToArrays(builder.build(states[index]!)) });
    Atomics.add(control, FOREST_CONTROL.posted, 1);
    Atomics.notify(control, FOREST_CONTROL.posted);
  }
}
