/**
 * A child process for the crash test: opens the checkpoint in DIRECTORY (taking over the lock a killed predecessor
 * left) and records work in a tight loop until it is killed. Step n saves model `model-(n % 4)` (about 60 kB of JSON
 * that contains n) and then marks symbol S<n> completed with n samples, printing "done n" after both are on disk.
 * It resumes after the last completed symbol, so after every kill the parent can check that nothing was lost, nothing
 * was done twice, and every model the state names is the complete file of its step.
 */
import { CheckpointStore } from '../index.js';

const [directory] = process.argv.slice(2);
let time = Date.UTC(2024, 4, 1);
const store = CheckpointStore.open({ directory: directory!, runId: 'crash', config: { universe: 'crash-test' }, now: () => new Date((time += 1000)) });
let step = store.completedSymbols().length;
process.stdout.write(`open ${step}\n`);
for (;;) {
  step++;
  const weights = Array.from({ length: 8000 }, (_, index) => (index * step) % 9973);
  store.saveModel(`model-${step % 4}`, JSON.stringify({ step, weights }), { seconds: step / 10, info: { step } });
  store.markSymbolCompleted(`S${String(step).padStart(6, '0')}`, step);
  process.stdout.write(`done ${step}\n`);
}
