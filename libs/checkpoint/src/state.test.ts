import { isQuantError } from '@quant/core';
import { describe, expect, it } from 'vitest';
import { fingerprintConfig } from './json.js';
import { CHECKPOINT_FORMAT_VERSION, parseState, validateState } from './state.js';

const FILE = '/runs/core/state.json';
const SHA = 'a'.repeat(64);

type Row = Record<string, unknown>;
/** The state as loose JSON, for the tests to damage. */
interface RawState extends Row {
  completedSymbols: Row[];
  failedSymbols: Row[];
  items: Record<string, Row[]>;
  artifacts: Row[];
}

/** A complete, valid state as plain JSON (a fresh object each call, for the tests to damage). */
function validState(): RawState {
  const config = { universe: 'core', years: 5 };
  return {
    formatVersion: CHECKPOINT_FORMAT_VERSION,
    runId: 'core-14d',
    configFingerprint: fingerprintConfig(config),
    config,
    createdAt: '2024-05-01T11:55:00.000Z',
    updatedAt: '2024-05-01T12:00:00.000Z',
    phase: 'train',
    completedSymbols: [
      { symbol: 'AAPL', samples: 437, completedAt: '2024-05-01T11:56:00.000Z' },
      { symbol: 'MSFT', samples: 440, completedAt: '2024-05-01T11:56:01.000Z' },
    ],
    failedSymbols: [{ symbol: 'XYZ', source: 'yahoo', code: 'NETWORK', reason: 'timeout', attempts: 3, failedAt: '2024-05-01T11:56:02.000Z' }],
    items: {
      ingest: [],
      features: [{ key: 'AAPL', completedAt: '2024-05-01T11:57:00.000Z', seconds: null, artifact: null, info: null }],
      train: [{ key: 'fold-2/xgboost', completedAt: '2024-05-01T11:59:00.000Z', seconds: 12.5, artifact: 'model/fold-2/xgboost', info: { rounds: 200 } }],
      stack: [],
      evaluate: [],
      done: [],
    },
    artifacts: [{ key: 'model/fold-2/xgboost', fileName: 'model_fold-2_xgboost.12345678.0123456789abcdef.json', sha256: SHA, bytes: 1200, savedAt: '2024-05-01T11:59:00.000Z' }],
    evaluation: null,
  };
}

function formatErrorOf(state: unknown): Error {
  try {
    validateState(state, FILE);
  } catch (error) {
    expect(isQuantError(error, 'FORMAT')).toBe(true);
    return error as Error;
  }
  throw new Error('expected a FormatError');
}

describe('validateState', () => {
  it('accepts a valid state and returns it unchanged', () => {
    const state = validState();
    expect(validateState(JSON.parse(JSON.stringify(state)), FILE)).toEqual(state);
  });

  it('refuses a newer format with IncompatibleVersionError, before looking at other fields', () => {
    const state = { ...validState(), formatVersion: CHECKPOINT_FORMAT_VERSION + 1, newField: 1, phase: 'unknown' };
    let caught: unknown;
    try {
      validateState(state, FILE);
    } catch (error) {
      caught = error;
    }
    expect(isQuantError(caught, 'INCOMPATIBLE_VERSION')).toBe(true);
    expect((caught as Error).message).toContain(`${FILE} has checkpoint format ${CHECKPOINT_FORMAT_VERSION + 1}, newer than the format ${CHECKPOINT_FORMAT_VERSION}`);
  });

  it.each([
    ['formatVersion', (s: RawState) => (s.formatVersion = '1'), 'formatVersion must be a positive integer, got "1"'],
    ['formatVersion', (s: RawState) => (s.formatVersion = 0), 'formatVersion must be a positive integer, got 0'],
    ['runId', (s: RawState) => (s.runId = ''), 'runId must be a non-empty string, got ""'],
    ['phase', (s: RawState) => (s.phase = 'training'), 'phase must be one of ingest, features, train, stack, evaluate, done, got "training"'],
    ['createdAt', (s: RawState) => (s.createdAt = '2024-05-01 11:55'), 'createdAt must be an ISO 8601 UTC timestamp'],
    ['configFingerprint', (s: RawState) => (s.config = { universe: 'sp500', years: 5 }), 'configFingerprint must be the SHA-256 of the canonical JSON of config'],
    ['samples', (s: RawState) => (s.completedSymbols[1]!.samples = -1), 'completedSymbols[1].samples must be a non-negative integer, got -1'],
    ['samples', (s: RawState) => (s.completedSymbols[0]!.samples = 4.5), 'completedSymbols[0].samples must be a non-negative integer, got 4.5'],
    ['duplicate symbol', (s: RawState) => (s.completedSymbols[1]!.symbol = 'AAPL'), 'completedSymbols[1].symbol repeats a symbol already listed, got "AAPL"'],
    ['completed and failed', (s: RawState) => (s.failedSymbols[0]!.symbol = 'MSFT'), 'failedSymbols[0].symbol repeats a symbol already listed, got "MSFT"'],
    ['attempts', (s: RawState) => (s.failedSymbols[0]!.attempts = 0), 'failedSymbols[0].attempts must be an integer >= 1, got 0'],
    ['reason', (s: RawState) => delete s.failedSymbols[0]!.reason, 'failedSymbols[0].reason must be a string, got undefined'],
    ['sha256', (s: RawState) => (s.artifacts[0]!.sha256 = 'ABC'), 'artifacts[0].sha256 must be 64 lower-case hex digits (SHA-256), got "ABC"'],
    ['path in file name', (s: RawState) => (s.artifacts[0]!.fileName = '../../etc/passwd'), 'artifacts[0].fileName must be a plain file name'],
    ['hidden file name', (s: RawState) => (s.artifacts[0]!.fileName = '.state.json'), 'artifacts[0].fileName must be a plain file name'],
    ['bytes', (s: RawState) => (s.artifacts[0]!.bytes = null), 'artifacts[0].bytes must be a non-negative integer, got null'],
    ['unknown artifact', (s: RawState) => (s.items['train']![0]!.artifact = 'model/other'), 'items.train[0].artifact must be null or the key of an artifact listed in artifacts, got "model/other"'],
    ['seconds', (s: RawState) => (s.items['train']![0]!.seconds = -2), 'items.train[0].seconds must be null or a finite number >= 0, got -2'],
    ['missing phase list', (s: RawState) => delete s.items['stack'], 'items.stack must be an array, got undefined'],
    ['unknown phase', (s: RawState) => (s.items['deploy'] = []), 'items.deploy is not a field of format 1'],
    ['duplicate item', (s: RawState) => s.items['features']!.push({ ...s.items['features']![0] }), 'items.features[1].key repeats an item key of this phase already listed, got "AAPL"'],
    ['unknown field', (s: RawState) => (s.comment = 'hi'), 'comment is not a field of format 1'],
    ['unknown nested field', (s: RawState) => (s.completedSymbols[0]!.rows = 3), 'completedSymbols[0].rows is not a field of format 1'],
    ['evaluation', (s: RawState) => delete s.evaluation, 'evaluation must be JSON, got undefined'],
  ])('names the file and the bad field: %s', (_name, damage, message) => {
    const state = validState();
    damage(state);
    const error = formatErrorOf(state);
    expect(error.message).toContain(`${FILE}: ${message}`);
  });

  it('refuses a state that is not an object', () => {
    expect(formatErrorOf([]).message).toBe(`${FILE}: the state must be an object, got array(0)`);
  });
});

describe('parseState', () => {
  it('reports text that is not JSON (a torn or overwritten file) as a FormatError naming the file', () => {
    const text = JSON.stringify(validState());
    let caught: unknown;
    try {
      parseState(text.slice(0, text.length / 2), FILE);
    } catch (error) {
      caught = error;
    }
    expect(isQuantError(caught, 'FORMAT')).toBe(true);
    expect((caught as Error).message).toMatch(new RegExp(`^${FILE} is not valid JSON`));
    expect(parseState(text, FILE).runId).toBe('core-14d');
  });
});
