/**
 * The checkpoint state (`state.json`): its types, and the checks applied when it is read back. Every check names the
 * file and the field (`state.json: completedSymbols[3].samples must be a non-negative integer, got -1`), so a
 * hand-edited or damaged file is diagnosed, not half-loaded.
 */
import { FormatError, IncompatibleVersionError, describeValue } from '@quant/core';
import { fingerprintConfig, type JsonValue } from './json.js';

/**
 * The format written by this code. Bump it when the meaning of a field changes; a file of a newer format is refused
 * with `IncompatibleVersionError` (never guessed at), an older one would be migrated on read.
 */
export const CHECKPOINT_FORMAT_VERSION = 1;

/** The phases of a training run, in order. */
export const CHECKPOINT_PHASES = ['ingest', 'features', 'train', 'stack', 'evaluate', 'done'] as const;
export type CheckpointPhase = (typeof CHECKPOINT_PHASES)[number];

/** A symbol whose data was ingested and turned into `samples` labelled rows. */
export interface CompletedSymbol {
  readonly symbol: string;
  readonly samples: number;
  readonly completedAt: string;
}

/** Why a symbol could not be used, as reported by the ingestion runner. */
export interface SymbolFailure {
  readonly symbol: string;
  /** The data source that failed (`yahoo`, `embedded`, `csv`...). */
  readonly source: string;
  /** The machine-readable code (a `QuantErrorCode` such as `NETWORK`, or a source's own). */
  readonly code: string;
  /** A human-readable reason. */
  readonly reason: string;
  /** How many attempts were made before giving up (at least 1). */
  readonly attempts: number;
}

export interface FailedSymbol extends SymbolFailure {
  readonly failedAt: string;
}

/** A file saved beside the state (a model's JSON, predictions...), identified by its key. */
export interface ArtifactRecord {
  readonly key: string;
  /** The file's name inside the checkpoint's `artifacts/` folder. */
  readonly fileName: string;
  /** SHA-256 of the file's bytes (lower-case hex). */
  readonly sha256: string;
  readonly bytes: number;
  readonly savedAt: string;
}

/** One finished unit of work of a phase (a symbol's features, a model of fold 2...). */
export interface CompletedItem {
  readonly key: string;
  readonly completedAt: string;
  /** How long the work took, when the caller measured it. */
  readonly seconds: number | null;
  /** The key of the artifact holding the result, if any: the item counts as done only while that file is intact. */
  readonly artifact: string | null;
  /** Anything else the caller wants to keep (opaque JSON). */
  readonly info: JsonValue | null;
}

/** The whole checkpoint, as stored in `state.json`. */
export interface CheckpointState {
  readonly formatVersion: number;
  readonly runId: string;
  /** SHA-256 of the canonical JSON of `config` (see `fingerprintConfig`). */
  readonly configFingerprint: string;
  /** The run's options, as given when the checkpoint was created. */
  readonly config: JsonValue;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly phase: CheckpointPhase;
  readonly completedSymbols: readonly CompletedSymbol[];
  readonly failedSymbols: readonly FailedSymbol[];
  readonly items: { readonly [phase in CheckpointPhase]: readonly CompletedItem[] };
  readonly artifacts: readonly ArtifactRecord[];
  /** The evaluation summary once the evaluation phase has run (opaque JSON). */
  readonly evaluation: JsonValue | null;
}

/** File name of the state inside a checkpoint directory. */
export const STATE_FILE_NAME = 'state.json';

/**
 * An artifact file name: the characters of a portable file name only, no path separators, no leading dot. Checked on
 * read so that a damaged or edited state can never make the store read or delete a file outside `artifacts/`.
 */
export const ARTIFACT_FILE_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,199}$/;

const ISO_TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** True for a timestamp in the form `Date.prototype.toISOString` writes. */
export function isIsoTimestamp(value: unknown): value is string {
  return typeof value === 'string' && ISO_TIMESTAMP_PATTERN.test(value) && Number.isFinite(Date.parse(value));
}

/** The field checks, bound to the file being read so that every message names it. */
class Checker {
  constructor(private readonly file: string) {}

  fail(path: string, expectation: string, value: unknown): never {
    throw new FormatError(`${this.file}: ${path} ${expectation}, got ${describeValue(value)}`, {
      details: { file: this.file, field: path },
    });
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) this.fail(path, 'must be an object', value);
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'must be an array', value);
    return value;
  }

  string(value: unknown, path: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(path, 'must be a non-empty string', value);
    return value;
  }

  timestamp(value: unknown, path: string): string {
    if (!isIsoTimestamp(value)) this.fail(path, 'must be an ISO 8601 UTC timestamp (2024-05-01T12:00:00.000Z)', value);
    return value;
  }

  count(value: unknown, path: string, minimum = 0): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
      this.fail(path, minimum === 0 ? 'must be a non-negative integer' : `must be an integer >= ${minimum}`, value);
    }
    return value;
  }

  seconds(value: unknown, path: string): number | null {
    if (value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) this.fail(path, 'must be null or a finite number >= 0', value);
    return value;
  }

  sha256(value: unknown, path: string): string {
    if (typeof value !== 'string' || !SHA256_PATTERN.test(value)) this.fail(path, 'must be 64 lower-case hex digits (SHA-256)', value);
    return value;
  }

  json(value: unknown, path: string): JsonValue {
    if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) this.fail(path, 'must be a finite number', value);
      return value;
    }
    if (Array.isArray(value)) {
      value.forEach((element, index) => this.json(element, `${path}[${index}]`));
      return value as JsonValue[];
    }
    if (typeof value === 'object') {
      for (const [key, member] of Object.entries(value)) this.json(member, `${path}.${key}`);
      return value as JsonValue;
    }
    return this.fail(path, 'must be JSON', value);
  }

  /** Refuses keys the reader does not know: a typo or a newer writer must not be ignored silently. */
  onlyKeys(record: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(record)) {
      if (!allowed.includes(key)) {
        throw new FormatError(`${this.file}: ${path === '' ? '' : `${path}.`}${key} is not a field of format ${CHECKPOINT_FORMAT_VERSION}`, {
          details: { file: this.file, field: path === '' ? key : `${path}.${key}` },
        });
      }
    }
  }

  unique(seen: Set<string>, value: string, path: string, what: string): void {
    if (seen.has(value)) this.fail(path, `repeats ${what} already listed`, value);
    seen.add(value);
  }
}

const STATE_KEYS = [
  'formatVersion', 'runId', 'configFingerprint', 'config', 'createdAt', 'updatedAt', 'phase',
  'completedSymbols', 'failedSymbols', 'items', 'artifacts', 'evaluation',
] as const;

/**
 * Checks a parsed `state.json` and returns it typed. The format version is checked first, so a file written by a
 * newer format is reported as such (`IncompatibleVersionError`) and not as a list of unknown fields.
 */
export function validateState(value: unknown, file: string): CheckpointState {
  // The explicit type lets TypeScript narrow after `check.fail(...)`, which returns never.
  const check: Checker = new Checker(file);
  const root = check.object(value, 'the state');
  const version = root['formatVersion'];
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    check.fail('formatVersion', 'must be a positive integer', version);
  }
  if (version > CHECKPOINT_FORMAT_VERSION) {
    throw new IncompatibleVersionError(
      `${file} has checkpoint format ${version}, newer than the format ${CHECKPOINT_FORMAT_VERSION} this @quant/checkpoint reads: ` +
        'update @quant/checkpoint, or reset the checkpoint to start the run afresh',
      { details: { file, formatVersion: version, supported: CHECKPOINT_FORMAT_VERSION } },
    );
  }
  check.onlyKeys(root, '', STATE_KEYS);

  const runId = check.string(root['runId'], 'runId');
  const configFingerprint = check.sha256(root['configFingerprint'], 'configFingerprint');
  const config = check.json(root['config'], 'config');
  if (fingerprintConfig(config) !== configFingerprint) {
    check.fail('configFingerprint', `must be the SHA-256 of the canonical JSON of config (${fingerprintConfig(config)})`, configFingerprint);
  }
  const createdAt = check.timestamp(root['createdAt'], 'createdAt');
  const updatedAt = check.timestamp(root['updatedAt'], 'updatedAt');
  const phase = root['phase'];
  if (typeof phase !== 'string' || !(CHECKPOINT_PHASES as readonly string[]).includes(phase)) {
    check.fail('phase', `must be one of ${CHECKPOINT_PHASES.join(', ')}`, phase);
  }

  const symbolsSeen = new Set<string>();
  const completedSymbols = check.array(root['completedSymbols'], 'completedSymbols').map((entry, index): CompletedSymbol => {
    const path = `completedSymbols[${index}]`;
    const record = check.object(entry, path);
    check.onlyKeys(record, path, ['symbol', 'samples', 'completedAt']);
    const symbol = check.string(record['symbol'], `${path}.symbol`);
    check.unique(symbolsSeen, symbol, `${path}.symbol`, 'a symbol');
    return {
      symbol,
      samples: check.count(record['samples'], `${path}.samples`),
      completedAt: check.timestamp(record['completedAt'], `${path}.completedAt`),
    };
  });
  const failedSymbols = check.array(root['failedSymbols'], 'failedSymbols').map((entry, index): FailedSymbol => {
    const path = `failedSymbols[${index}]`;
    const record = check.object(entry, path);
    check.onlyKeys(record, path, ['symbol', 'source', 'code', 'reason', 'attempts', 'failedAt']);
    const symbol = check.string(record['symbol'], `${path}.symbol`);
    // A symbol is either completed or failed: its latest outcome.
    check.unique(symbolsSeen, symbol, `${path}.symbol`, 'a symbol');
    const reason = record['reason'];
    if (typeof reason !== 'string') check.fail(`${path}.reason`, 'must be a string', reason);
    return {
      symbol,
      source: check.string(record['source'], `${path}.source`),
      code: check.string(record['code'], `${path}.code`),
      reason,
      attempts: check.count(record['attempts'], `${path}.attempts`, 1),
      failedAt: check.timestamp(record['failedAt'], `${path}.failedAt`),
    };
  });

  const artifactKeys = new Set<string>();
  const fileNames = new Set<string>();
  const artifacts = check.array(root['artifacts'], 'artifacts').map((entry, index): ArtifactRecord => {
    const path = `artifacts[${index}]`;
    const record = check.object(entry, path);
    check.onlyKeys(record, path, ['key', 'fileName', 'sha256', 'bytes', 'savedAt']);
    const key = check.string(record['key'], `${path}.key`);
    check.unique(artifactKeys, key, `${path}.key`, 'an artifact key');
    const fileName = record['fileName'];
    if (typeof fileName !== 'string' || !ARTIFACT_FILE_NAME_PATTERN.test(fileName)) {
      check.fail(`${path}.fileName`, 'must be a plain file name (letters, digits, ".", "_", "-"; no path)', fileName);
    }
    check.unique(fileNames, fileName, `${path}.fileName`, 'a file name');
    return {
      key,
      fileName,
      sha256: check.sha256(record['sha256'], `${path}.sha256`),
      bytes: check.count(record['bytes'], `${path}.bytes`),
      savedAt: check.timestamp(record['savedAt'], `${path}.savedAt`),
    };
  });

  const itemsRoot = check.object(root['items'], 'items');
  check.onlyKeys(itemsRoot, 'items', CHECKPOINT_PHASES);
  const items = {} as Record<CheckpointPhase, CompletedItem[]>;
  for (const itemPhase of CHECKPOINT_PHASES) {
    const keys = new Set<string>();
    items[itemPhase] = check.array(itemsRoot[itemPhase], `items.${itemPhase}`).map((entry, index): CompletedItem => {
      const path = `items.${itemPhase}[${index}]`;
      const record = check.object(entry, path);
      check.onlyKeys(record, path, ['key', 'completedAt', 'seconds', 'artifact', 'info']);
      const key = check.string(record['key'], `${path}.key`);
      check.unique(keys, key, `${path}.key`, 'an item key of this phase');
      const artifact = record['artifact'];
      if (artifact !== null && (typeof artifact !== 'string' || !artifactKeys.has(artifact))) {
        check.fail(`${path}.artifact`, 'must be null or the key of an artifact listed in artifacts', artifact);
      }
      return {
        key,
        completedAt: check.timestamp(record['completedAt'], `${path}.completedAt`),
        seconds: check.seconds(record['seconds'], `${path}.seconds`),
        artifact,
        info: check.json(record['info'], `${path}.info`),
      };
    });
  }

  return {
    formatVersion: version,
    runId,
    configFingerprint,
    config,
    createdAt,
    updatedAt,
    phase: phase as CheckpointPhase,
    completedSymbols,
    failedSymbols,
    items,
    artifacts,
    evaluation: check.json(root['evaluation'], 'evaluation'),
  };
}

/** Parses and checks the text of a state file; `FormatError` names the file for text that is not JSON. */
export function parseState(text: string, file: string): CheckpointState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FormatError(`${file} is not valid JSON (${(error as Error).message}); the checkpoint is damaged: reset it to start afresh`, {
      cause: error,
      details: { file },
    });
  }
  return validateState(value, file);
}
