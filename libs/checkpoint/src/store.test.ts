import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger, isQuantError } from '@quant/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { steppingClock } from './__fixtures__/clock.js';
import {
  ARTIFACTS_FOLDER,
  CHECKPOINT_FORMAT_VERSION,
  CheckpointStore,
  LOCK_FILE_NAME,
  STATE_FILE_NAME,
  checkpointStatus,
  fingerprintConfig,
  readCheckpoint,
  resetCheckpoint,
  type OpenCheckpointOptions,
} from './index.js';
import { sha256Hex } from './json.js';

const CONFIG = { universe: 'core', years: 5, label: { holdDays: 14, up: 0.1, down: 0.05 }, models: ['xgboost', 'lightgbm'], seed: 42 };

let root: string;
let directory: string;
const open: CheckpointStore[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'quant-checkpoint-'));
  directory = join(root, '.quant', 'checkpoints', 'core-14d');
});
afterEach(() => {
  for (const store of open.splice(0)) store.close();
  rmSync(root, { recursive: true, force: true });
});

function openStore(overrides: Partial<OpenCheckpointOptions> = {}): CheckpointStore {
  const store = CheckpointStore.open({ directory, runId: 'core-14d', config: CONFIG, now: steppingClock(), ...overrides });
  open.push(store);
  return store;
}

function closeAll(): void {
  for (const store of open.splice(0)) store.close();
}

function errorOf(work: () => unknown): Error & { code: string; details: Record<string, unknown> } {
  try {
    work();
  } catch (error) {
    expect(isQuantError(error)).toBe(true);
    return error as Error & { code: string; details: Record<string, unknown> };
  }
  throw new Error('expected an error');
}

function statePath(): string {
  return join(directory, STATE_FILE_NAME);
}

function artifactFiles(): string[] {
  const folder = join(directory, ARTIFACTS_FOLDER);
  return existsSync(folder) ? readdirSync(folder).sort() : [];
}

describe('a new checkpoint', () => {
  it('creates the directory, writes a valid state at once and holds the lock', () => {
    const store = openStore();
    expect(store.resumed).toBe(false);
    const onDisk = JSON.parse(readFileSync(statePath(), 'utf8'));
    expect(onDisk).toMatchObject({
      formatVersion: CHECKPOINT_FORMAT_VERSION,
      runId: 'core-14d',
      configFingerprint: fingerprintConfig(CONFIG),
      phase: 'ingest',
      createdAt: '2024-05-01T12:00:00.000Z',
      completedSymbols: [],
      evaluation: null,
    });
    expect(JSON.parse(readFileSync(join(directory, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
    store.close();
    expect(existsSync(join(directory, LOCK_FILE_NAME))).toBe(false);
    expect(() => store.markSymbolCompleted('AAPL', 1)).toThrow(`checkpoint ${directory} is closed`);
  });
});

describe('round trip', () => {
  it('reads back everything recorded, in order, after the store is closed and reopened', () => {
    const store = openStore();
    store.markSymbolCompleted('AAPL', 437);
    store.markSymbolFailed({ symbol: 'XYZ', source: 'yahoo', code: 'NETWORK', reason: 'timeout after 10 s', attempts: 3 });
    store.markSymbolCompleted('MSFT', 440);
    store.setPhase('features');
    store.markItemDone('features', 'AAPL', { seconds: 0.25, info: { columns: 179 } });
    store.setPhase('train');
    const modelJson = JSON.stringify({ kind: 'gradient-boosting', formatVersion: 1, trees: [1, 2, 3] });
    const model = store.saveModel('fold-2/xgboost', modelJson, { seconds: 12.5, info: { rounds: 200 } });
    const predictions = Buffer.from(new Float64Array([0.2, 0.3, 0.5]).buffer);
    store.saveArtifact('oof/xgboost', predictions);
    store.markItemDone('stack', 'oof/xgboost', { artifact: 'oof/xgboost', seconds: 1 });
    store.saveMetaLearner('{"kind":"logistic"}', { seconds: 0.5 });
    store.setEvaluation({ macroF1: 0.41, promoted: false, reasons: ['log loss above baseline'] });
    store.setPhase('done');
    const before = store.state;
    store.close();

    const again = openStore();
    expect(again.resumed).toBe(true);
    expect(again.state).toEqual(before);
    expect(again.phase).toBe('done');
    expect(again.completedSymbols().map((record) => [record.symbol, record.samples])).toEqual([
      ['AAPL', 437],
      ['MSFT', 440],
    ]);
    expect(again.isSymbolCompleted('AAPL')).toBe(true);
    expect(again.isSymbolCompleted('XYZ')).toBe(false);
    expect(again.symbolFailure('XYZ')).toMatchObject({ source: 'yahoo', code: 'NETWORK', attempts: 3 });
    expect(again.isDone('features', 'AAPL')).toBe(true);
    expect(again.isDone('features', 'MSFT')).toBe(false);
    expect(again.isDone('train', 'fold-2/xgboost')).toBe(true);
    expect(again.isDone('train', 'fold-3/xgboost')).toBe(false);
    expect(again.item('features', 'AAPL')).toMatchObject({ seconds: 0.25, info: { columns: 179 }, artifact: null });
    expect(again.loadModel('fold-2/xgboost')).toBe(modelJson);
    expect(again.loadMetaLearner()).toBe('{"kind":"logistic"}');
    expect(new Float64Array(new Uint8Array(again.loadArtifact('oof/xgboost')).buffer)).toEqual(new Float64Array([0.2, 0.3, 0.5]));
    expect(again.evaluation()).toEqual({ macroF1: 0.41, promoted: false, reasons: ['log loss above baseline'] });
    expect(again.models()).toEqual([
      {
        name: 'fold-2/xgboost',
        artifact: 'model/fold-2/xgboost',
        fileName: model.fileName,
        sha256: sha256Hex(modelJson),
        bytes: Buffer.byteLength(modelJson),
        seconds: 12.5,
        trainedAt: model.savedAt,
        intact: true,
      },
    ]);
    expect(model.fileName).toMatch(/^model_fold-2_xgboost\.[0-9a-f]{8}\.[0-9a-f]{16}\.json$/);
    expect(again.artifact('oof/xgboost')!.fileName).toMatch(/\.bin$/);
    expect(again.problems).toEqual([]);
  });

  it('stamps records with the caller clock and keeps completion order when a symbol is redone', () => {
    const store = openStore({ now: steppingClock(Date.UTC(2030, 0, 1)) });
    store.markSymbolCompleted('AAPL', 1);
    store.markSymbolCompleted('MSFT', 2);
    store.markSymbolFailed({ symbol: 'AAPL', source: 'csv', code: 'FORMAT', reason: 'bad row', attempts: 1 });
    store.markSymbolCompleted('AAPL', 3);
    expect(store.completedSymbols()).toEqual([
      { symbol: 'MSFT', samples: 2, completedAt: '2030-01-01T00:00:02.000Z' },
      { symbol: 'AAPL', samples: 3, completedAt: '2030-01-01T00:00:04.000Z' },
    ]);
    expect(store.failedSymbols()).toEqual([]);
    expect(store.state.updatedAt).toBe('2030-01-01T00:00:04.000Z');
  });

  it('refuses bad arguments with a message naming the value, and writes nothing', () => {
    const store = openStore();
    const before = readFileSync(statePath(), 'utf8');
    expect(errorOf(() => store.markSymbolCompleted('AAPL', -1)).message).toBe('samples of AAPL must be an integer >= 0, got -1');
    expect(errorOf(() => store.markSymbolCompleted('', 1)).message).toMatch(/^symbol must be a non-empty string/);
    expect(errorOf(() => store.markSymbolFailed({ symbol: 'X', source: 'yahoo', code: 'NETWORK', reason: 'r', attempts: 0 })).message).toBe(
      'failure.attempts of X must be an integer >= 1, got 0',
    );
    expect(errorOf(() => store.setPhase('training' as never)).message).toContain('phase must be one of ingest, features, train');
    expect(errorOf(() => store.markItemDone('train', 'm', { seconds: NaN })).message).toBe('seconds of item "m" must be a finite number of seconds >= 0, got NaN');
    expect(errorOf(() => store.markItemDone('train', 'm', { artifact: 'nothing' })).message).toContain('refers to artifact "nothing", which was not saved');
    expect(errorOf(() => store.markItemDone('train', 'm', { info: { when: new Date(0) } })).message).toContain('info of item "m".when must be a plain object');
    expect(errorOf(() => store.setEvaluation({ f1: NaN })).message).toBe('evaluation.f1 must be a finite number to be stored as JSON, got NaN');
    expect(errorOf(() => store.saveArtifact('k', 42 as never)).message).toBe('artifact "k" must be a string or a Uint8Array (Buffer), got 42');
    expect(errorOf(() => store.saveArtifact('k', 'x', { extension: '../x' })).message).toContain('extension must be 1 to 10 letters or digits');
    expect(readFileSync(statePath(), 'utf8')).toBe(before);
    expect(artifactFiles()).toEqual([]);
  });

  it('refuses a clock that returns an invalid date before changing anything', () => {
    let broken = false;
    const clock = steppingClock();
    const store = openStore({ now: () => (broken ? new Date(NaN) : clock()) });
    store.markSymbolCompleted('AAPL', 1);
    broken = true;
    expect(errorOf(() => store.markSymbolCompleted('MSFT', 2)).message).toBe('now() must return a valid Date, got object [object Date]');
    expect(store.isSymbolCompleted('MSFT')).toBe(false);
  });
});

describe('artifacts', () => {
  it('writes a new version beside the old one and deletes the old file once the state names the new one', () => {
    const store = openStore();
    const first = store.saveModel('xgboost', '{"version":1}');
    expect(artifactFiles()).toEqual([first.fileName]);
    const second = store.saveModel('xgboost', '{"version":2}');
    expect(second.fileName).not.toBe(first.fileName);
    expect(artifactFiles()).toEqual([second.fileName]);
    expect(store.loadModel('xgboost')).toBe('{"version":2}');
    // The same content again writes nothing: same record, same file.
    const third = store.saveModel('xgboost', '{"version":2}');
    expect(third).toEqual(second);
  });

  it('keys that differ only in punctuation get distinct files', () => {
    const store = openStore();
    const slash = store.saveArtifact('a/b', 'same');
    const colon = store.saveArtifact('a:b', 'same');
    expect(slash.fileName).not.toBe(colon.fileName);
    expect(artifactFiles()).toHaveLength(2);
  });

  it('an altered artifact is reported on open, its work is not done, and saving it again repairs it', () => {
    const logger = createMemoryLogger();
    const store = openStore();
    const record = store.saveModel('fold-1/xgboost', '{"trees":[1,2,3]}', { seconds: 3 });
    store.saveModel('fold-1/lightgbm', '{"trees":[4]}', { seconds: 2 });
    store.close();
    // Same length, other content: only the hash can tell.
    writeFileSync(join(directory, ARTIFACTS_FOLDER, record.fileName), '{"trees":[1,2,4]}');

    const again = openStore({ logger });
    expect(again.problems).toEqual([
      expect.objectContaining({ key: 'model/fold-1/xgboost', kind: 'sha256', message: expect.stringContaining(`artifact "model/fold-1/xgboost" (artifacts/${record.fileName}) has SHA-256`) }),
    ]);
    expect(logger.entries.some((entry) => entry.level === 'warn' && entry.message.includes('will be redone'))).toBe(true);
    expect(again.isDone('train', 'fold-1/xgboost')).toBe(false);
    expect(again.isDone('train', 'fold-1/lightgbm')).toBe(true);
    expect(again.itemsDone('train').map((item) => item.key)).toEqual(['fold-1/lightgbm']);
    expect(again.status().itemsDone.train).toBe(1);
    expect(again.models().find((model) => model.name === 'fold-1/xgboost')!.intact).toBe(false);
    const loadError = errorOf(() => again.loadModel('fold-1/xgboost'));
    expect(loadError.code).toBe('FORMAT');
    expect(errorOf(() => again.markItemDone('train', 'fold-1/xgboost', { artifact: 'model/fold-1/xgboost' })).code).toBe('STATE');

    again.saveModel('fold-1/xgboost', '{"trees":[1,2,3]}', { seconds: 3 });
    expect(again.isDone('train', 'fold-1/xgboost')).toBe(true);
    expect(again.problems).toEqual([]);
    expect(again.loadModel('fold-1/xgboost')).toBe('{"trees":[1,2,3]}');
  });

  it('a missing or truncated artifact is reported with its own kind', () => {
    const store = openStore();
    const gone = store.saveArtifact('gone', 'abc');
    const short = store.saveArtifact('short', 'abcdef');
    store.markItemDone('stack', 'gone', { artifact: 'gone' });
    store.close();
    rmSync(join(directory, ARTIFACTS_FOLDER, gone.fileName));
    writeFileSync(join(directory, ARTIFACTS_FOLDER, short.fileName), 'abc');

    const snapshot = readCheckpoint(directory)!;
    expect(snapshot.problems.map((problem) => [problem.key, problem.kind])).toEqual([
      ['gone', 'missing'],
      ['short', 'size'],
    ]);
    expect(snapshot.problems[1]!.message).toContain('has 3 bytes, the checkpoint recorded 6');
    const again = openStore();
    expect(again.isDone('stack', 'gone')).toBe(false);
    expect(errorOf(() => again.loadArtifact('gone')).code).toBe('NOT_FOUND');
    expect(errorOf(() => again.loadArtifact('never saved')).message).toContain('has no artifact "never saved"');
    expect(errorOf(() => again.loadModel('never trained')).code).toBe('NOT_FOUND');
  });

  it('loadArtifact checks the file even when it was intact at open', () => {
    const store = openStore();
    const record = store.saveArtifact('weights', 'original');
    writeFileSync(join(directory, ARTIFACTS_FOLDER, record.fileName), 'tampered');
    expect(errorOf(() => store.loadArtifact('weights')).code).toBe('FORMAT');
    expect(store.problems.map((problem) => problem.key)).toEqual(['weights']);
  });

  it('removes leftover temporary files and unreferenced artifact files when opened', () => {
    const store = openStore();
    const kept = store.saveArtifact('kept', 'x');
    store.close();
    writeFileSync(join(directory, `.${STATE_FILE_NAME}.999999.tmp`), '{"torn":');
    writeFileSync(join(directory, ARTIFACTS_FOLDER, 'orphan.12345678.0123456789abcdef.json'), '{}');
    writeFileSync(join(directory, ARTIFACTS_FOLDER, '.x.json.999999.tmp'), '{');
    openStore();
    expect(readdirSync(directory).sort()).toEqual([ARTIFACTS_FOLDER, LOCK_FILE_NAME, STATE_FILE_NAME]);
    expect(artifactFiles()).toEqual([kept.fileName]);
  });
});

describe('damaged or foreign checkpoints', () => {
  it('a corrupt state.json is a FormatError naming the file, the lock is released, and reset starts afresh', () => {
    openStore().markSymbolCompleted('AAPL', 1);
    closeAll();
    writeFileSync(statePath(), '{"formatVersion": 1, "runId": "core');
    const error = errorOf(() => openStore());
    expect(error.code).toBe('FORMAT');
    expect(error.message).toContain(`${statePath()} is not valid JSON`);
    expect(existsSync(join(directory, LOCK_FILE_NAME))).toBe(false);
    expect(errorOf(() => readCheckpoint(directory)).code).toBe('FORMAT');

    const fresh = openStore({ reset: true });
    expect(fresh.resumed).toBe(false);
    expect(fresh.completedSymbols()).toEqual([]);
  });

  it('a state of a newer format is an IncompatibleVersionError', () => {
    openStore();
    closeAll();
    const state = JSON.parse(readFileSync(statePath(), 'utf8'));
    writeFileSync(statePath(), JSON.stringify({ ...state, formatVersion: CHECKPOINT_FORMAT_VERSION + 1 }));
    const error = errorOf(() => openStore());
    expect(error.code).toBe('INCOMPATIBLE_VERSION');
    expect(error.message).toContain('update @quant/checkpoint, or reset the checkpoint');
  });

  it('an invalid field is a FormatError naming the file and the field', () => {
    openStore().markSymbolCompleted('AAPL', 437);
    closeAll();
    const state = JSON.parse(readFileSync(statePath(), 'utf8'));
    state.completedSymbols[0].samples = 'many';
    writeFileSync(statePath(), JSON.stringify(state));
    const error = errorOf(() => openStore());
    expect(error.message).toBe(`${statePath()}: completedSymbols[0].samples must be a non-negative integer, got "many"`);
    expect(error.details).toEqual({ file: statePath(), field: 'completedSymbols[0].samples' });
  });

  it('resuming with other options is refused, naming the options that differ; reset accepts them', () => {
    openStore().markSymbolCompleted('AAPL', 437);
    closeAll();
    const changed = { ...CONFIG, years: 10, label: { ...CONFIG.label, holdDays: 5 } };
    const error = errorOf(() => openStore({ config: changed }));
    expect(error.code).toBe('STATE');
    expect(error.message).toContain(`checkpoint ${directory} was made with other options, so resuming would mix two runs`);
    expect(error.message).toContain('label.holdDays: 14 -> 5; years: 5 -> 10');
    expect(error.message).toContain('or reset the checkpoint');
    expect(existsSync(join(directory, LOCK_FILE_NAME))).toBe(false);

    // The same options in another key order are the same run.
    const reordered = openStore({ config: { seed: 42, models: ['xgboost', 'lightgbm'], label: { down: 0.05, up: 0.1, holdDays: 14 }, years: 5, universe: 'core' } });
    expect(reordered.isSymbolCompleted('AAPL')).toBe(true);
    closeAll();

    const fresh = openStore({ config: changed, reset: true });
    expect(fresh.isSymbolCompleted('AAPL')).toBe(false);
    expect(fresh.state.config).toEqual(changed);
  });

  it('a checkpoint of another run is refused', () => {
    openStore();
    closeAll();
    expect(errorOf(() => openStore({ runId: 'sp500-14d' })).message).toContain('belongs to run "core-14d", not "sp500-14d"');
  });

  it('refuses options that are not JSON', () => {
    expect(errorOf(() => openStore({ config: { start: new Date(0) } })).message).toContain('config.start must be a plain object');
    expect(errorOf(() => openStore({ runId: '' })).message).toContain('runId must be a non-empty string');
    expect(errorOf(() => openStore({ now: 'today' as never })).message).toContain('now must be a function');
  });
});

describe('reset', () => {
  it('store.reset() deletes everything recorded and keeps the lock', () => {
    const store = openStore();
    store.markSymbolCompleted('AAPL', 1);
    store.saveModel('xgboost', '{}');
    store.setPhase('train');
    store.reset();
    expect(store.completedSymbols()).toEqual([]);
    expect(store.phase).toBe('ingest');
    expect(artifactFiles()).toEqual([]);
    expect(readCheckpoint(directory)!.state.completedSymbols).toEqual([]);
    expect(JSON.parse(readFileSync(join(directory, LOCK_FILE_NAME), 'utf8')).pid).toBe(process.pid);
    store.markSymbolCompleted('MSFT', 2);
    expect(readCheckpoint(directory)!.state.completedSymbols.map((record) => record.symbol)).toEqual(['MSFT']);
  });

  it('resetCheckpoint deletes a damaged checkpoint and its directory, but not while it is open', () => {
    const store = openStore();
    store.saveModel('xgboost', '{}');
    expect(errorOf(() => resetCheckpoint(directory)).message).toContain(`checkpoint ${directory} is in use by process ${process.pid}`);
    store.close();
    writeFileSync(statePath(), 'garbage');
    expect(resetCheckpoint(directory)).toBe(true);
    expect(existsSync(directory)).toBe(false);
    expect(resetCheckpoint(directory)).toBe(false);
  });

  it('resetCheckpoint leaves files it does not own', () => {
    openStore();
    closeAll();
    writeFileSync(join(directory, 'notes.txt'), 'mine');
    expect(resetCheckpoint(directory)).toBe(true);
    expect(readdirSync(directory)).toEqual(['notes.txt']);
  });
});

describe('readCheckpoint and status', () => {
  it('reads without the lock while a store is open, and names the writer', () => {
    const store = openStore();
    store.markSymbolCompleted('AAPL', 437);
    store.saveModel('fold-1/xgboost', '{"a":1}', { seconds: 4 });
    const snapshot = readCheckpoint(directory)!;
    expect(snapshot.state.completedSymbols).toHaveLength(1);
    expect(snapshot.writer).toMatchObject({ pid: process.pid });
    const status = checkpointStatus(snapshot);
    expect(status).toMatchObject({ runId: 'core-14d', symbolsCompleted: 1, samples: 437, models: [expect.objectContaining({ name: 'fold-1/xgboost' })] });
    store.close();
    expect(readCheckpoint(directory)!.writer).toBeNull();
    expect(readCheckpoint(join(root, 'nothing-here'))).toBeNull();
  });

  it('status counts symbols, samples, items per phase and models', () => {
    const store = openStore();
    for (const [symbol, samples] of [['AAPL', 437], ['MSFT', 440], ['NVDA', 12]] as const) store.markSymbolCompleted(symbol, samples);
    store.markSymbolFailed({ symbol: 'XYZ', source: 'yahoo', code: 'NETWORK', reason: 'timeout', attempts: 3 });
    store.markItemDone('features', 'AAPL');
    store.markItemDone('features', 'MSFT');
    store.saveModel('fold-1/xgboost', '{}', { seconds: 2 });
    store.saveModel('fold-1/lightgbm', '{}', { seconds: 1.5 });
    store.saveMetaLearner('{"meta":true}', { seconds: 0.5 });
    const status = store.status();
    expect(status).toMatchObject({
      phase: 'ingest',
      symbolsCompleted: 3,
      symbolsFailed: 1,
      samples: 889,
      itemsDone: { ingest: 0, features: 2, train: 2, stack: 1, evaluate: 0, done: 0 },
      hasEvaluation: false,
      problems: [],
      updatedAt: '2024-05-01T12:00:09.000Z',
    });
    expect(status.models.map((model) => [model.name, model.seconds])).toEqual([
      ['fold-1/xgboost', 2],
      ['fold-1/lightgbm', 1.5],
    ]);
    expect(status.metaLearner).toMatchObject({ name: 'meta-learner', seconds: 0.5, bytes: 13, intact: true });
  });
});

describe('file system layout', () => {
  it('only the state, the lock and the artifacts folder live in the directory', () => {
    const store = openStore();
    for (let index = 0; index < 20; index++) store.markSymbolCompleted(`S${index}`, index);
    store.saveModel('m', '{}');
    expect(readdirSync(directory).sort()).toEqual([ARTIFACTS_FOLDER, LOCK_FILE_NAME, STATE_FILE_NAME]);
  });

  it('opening inside an existing folder with other content works', () => {
    mkdirSync(directory, { recursive: true });
    writeFileSync(join(directory, 'README'), 'x');
    openStore();
    expect(readdirSync(directory)).toContain('README');
  });
});

describe('write cost', () => {
  it('a state write with 500 completed symbols and 500 items takes a few milliseconds', () => {
    // Prepared in one go (1,000 record calls would spend seconds in fsync before the measurement starts).
    openStore();
    closeAll();
    const prepared = JSON.parse(readFileSync(statePath(), 'utf8'));
    const symbols = Array.from({ length: 500 }, (_, index) => `SYM${index}`);
    prepared.completedSymbols = symbols.map((symbol, index) => ({ symbol, samples: 1000 + index, completedAt: prepared.createdAt }));
    prepared.items.features = symbols.map((key) => ({ key, completedAt: prepared.createdAt, seconds: 0.1, artifact: null, info: null }));
    writeFileSync(statePath(), JSON.stringify(prepared));
    const store = openStore();
    expect(store.status()).toMatchObject({ symbolsCompleted: 500, itemsDone: { features: 500 } });
    const durations: number[] = [];
    for (let index = 0; index < 31; index++) {
      const started = performance.now();
      store.markSymbolCompleted(`SYM${index}`, 1);
      durations.push(performance.now() - started);
    }
    durations.sort((a, b) => a - b);
    // Measured on the 2-core machine, fsync included: median 2.2 ms when idle, 9.7 ms with a load average of 7 (other
    // jobs syncing the same disk). The bound leaves room for that, and catches a write that grows out of proportion
    // (an fsync per symbol, re-hashing every artifact on each record...).
    expect(durations[15]).toBeLessThan(50);
  });
});
