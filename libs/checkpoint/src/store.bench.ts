import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, bench, describe } from 'vitest';
import { steppingClock } from './__fixtures__/clock.js';
import { CheckpointStore } from './index.js';

// The trainer records after every symbol: with the S&P 500 universe, the state holds about 500 symbols when the last
// ones are written. Each record is one atomic state write (temporary file, fsync, rename, directory fsync).
const root = mkdtempSync(join(tmpdir(), 'quant-checkpoint-bench-'));
const store = CheckpointStore.open({ directory: join(root, 'run'), runId: 'bench', config: { universe: 'sp500' }, now: steppingClock() });
for (let index = 0; index < 500; index++) store.markSymbolCompleted(`SYM${index}`, 1000 + index);
for (let index = 0; index < 500; index++) store.markItemDone('features', `SYM${index}`, { seconds: 0.1 });
store.markSymbolFailed({ symbol: 'FAIL', source: 'yahoo', code: 'NETWORK', reason: 'timeout', attempts: 3 });
let counter = 0;
const model = JSON.stringify({ trees: Array.from({ length: 20_000 }, (_, index) => index % 97) });

afterAll(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

describe('checkpoint writes with 500 completed symbols and 500 feature items', () => {
  bench('markSymbolCompleted (one state write)', () => {
    store.markSymbolCompleted(`SYM${counter++ % 500}`, 1234);
  });
  bench('saveModel, ~100 kB (artifact write + state write)', () => {
    store.saveModel(`model-${counter % 4}`, `${model}${counter++}`, { seconds: 1 });
  });
});
