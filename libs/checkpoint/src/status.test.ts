import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { steppingClock } from './__fixtures__/clock.js';
import { ARTIFACTS_FOLDER, CheckpointStore, checkpointStatus, formatStatus, readCheckpoint } from './index.js';
import { formatCount } from './status.js';

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'quant-checkpoint-status-'));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe('formatStatus', () => {
  it('shows the progress of a run in plain ASCII', () => {
    const store = CheckpointStore.open({ directory, runId: 'core-14d', config: {}, now: steppingClock() });
    store.markSymbolCompleted('AAPL', 30_000);
    store.markSymbolCompleted('MSFT', 5_120);
    store.markSymbolFailed({ symbol: 'NESN', source: 'yahoo', code: 'NETWORK', reason: 'Nestl\u00e9: \u2713 timeout\nretry', attempts: 3 });
    store.setPhase('train');
    store.saveModel('fold-1/xgboost', 'x'.repeat(1_500_000), { seconds: 12.25 });
    const damaged = store.saveModel('fold-1/lightgbm', '{}', { seconds: 3 });
    store.close();
    writeFileSync(join(directory, ARTIFACTS_FOLDER, damaged.fileName), '{ }');

    const text = formatStatus(checkpointStatus(readCheckpoint(directory)!));
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    const lines = text.split('\n');
    expect(lines).toEqual([
      'Run         core-14d',
      `Directory   ${directory}`,
      'Phase       train   (ingest > features > [train] > stack > evaluate > done)',
      'Started     2024-05-01T12:00:00.000Z',
      'Updated     2024-05-01T12:00:06.000Z',
      'Symbols     2 completed (35,120 samples), 1 failed',
      '  failed    NESN   yahoo NETWORK after 3 attempts: Nestl?: ? timeout retry',
      'Work done   ingest 0, features 0, train 1, stack 0, evaluate 0',
      'Models      2 trained, 15.3 s of training',
      '  model     fold-1/xgboost     12.3 s     1.5 MB',
      '  model     fold-1/lightgbm     3.0 s        2 B  DAMAGED: will be retrained',
      'Meta        not trained yet',
      'Evaluation  not yet',
      'Problems    1 artifact missing or altered (the work is redone on resume)',
      `            artifact "model/fold-1/lightgbm" (artifacts/${damaged.fileName}) has 3 bytes, the checkpoint recorded 2`,
    ]);
  });

  it('names the writer of a running checkpoint and lists at most 20 failures', () => {
    const store = CheckpointStore.open({ directory, runId: 'big', config: {}, now: steppingClock() });
    for (let index = 0; index < 25; index++) {
      store.markSymbolFailed({ symbol: `F${index}`, source: 'csv', code: 'FORMAT', reason: 'bad row', attempts: 1 });
    }
    store.setEvaluation({ macroF1: 0.4 });
    const text = formatStatus(store.status());
    store.close();
    expect(text).toContain(`Writer      process ${process.pid} on `);
    expect(text.split('\n').filter((line) => line.startsWith('  failed'))).toHaveLength(20);
    expect(text).toContain('... and 5 more failed');
    expect(text).toContain('F0     csv FORMAT after 1 attempt: bad row');
    expect(text).toContain('Evaluation  recorded');
  });
});

describe('formatCount', () => {
  it('groups thousands with commas whatever the locale', () => {
    expect([0, 999, 1000, 35120, 1234567].map(formatCount)).toEqual(['0', '999', '1,000', '35,120', '1,234,567']);
  });
});
