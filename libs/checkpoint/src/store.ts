/**
 * The checkpoint of one training run, in its own directory:
 *
 *   <directory>/state.json        the versioned state (phase, symbols, finished work, artifacts, evaluation)
 *   <directory>/artifacts/...     model JSON and other results, named by key and content hash
 *   <directory>/checkpoint.lock   the pid of the process writing it
 *
 * Every record call persists at once: an artifact is written (atomically) before the state that references it, then
 * the state is replaced atomically. A process killed at any moment leaves the previous or the new state, each
 * pointing at complete artifacts, so a resumed run skips exactly what was finished.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, rmdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  FormatError,
  InvalidArgumentError,
  NotFoundError,
  StateError,
  describeValue,
  silentLogger,
  type Logger,
} from '@quant/core';
import { ARTIFACTS_FOLDER, artifactFileName, inspectArtifact, type ArtifactProblem } from './artifacts.js';
import { fsyncDirectory, isTemporaryName, writeFileAtomic } from './atomic.js';
import { describeJsonDifferences, fingerprintConfig, sha256Hex, toJsonValue, type JsonValue } from './json.js';
import { acquireLock, isHolderLive, LOCK_FILE_NAME, readLockFile, releaseLock, type LockHolder } from './lock.js';
import {
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_PHASES,
  STATE_FILE_NAME,
  parseState,
  type ArtifactRecord,
  type CheckpointPhase,
  type CheckpointState,
  type CompletedItem,
  type CompletedSymbol,
  type FailedSymbol,
  type SymbolFailure,
} from './state.js';
import { summarizeState, type CheckpointStatus, type ModelSummary } from './status.js';

/** Artifact key of a model saved with `saveModel(name)`. */
export function modelArtifactKey(name: string): string {
  return `model/${name}`;
}

/** Item key (phase `stack`) and artifact key of the meta-learner. */
export const META_LEARNER_KEY = 'meta-learner';

export interface OpenCheckpointOptions {
  /** The run's checkpoint directory (created if needed), e.g. `.quant/checkpoints/<run>`. */
  readonly directory: string;
  /** The run's identifier; a checkpoint of another run in this directory is refused. */
  readonly runId: string;
  /**
   * The run's options (plain JSON). An existing checkpoint made with other options is refused, naming the options that
   * differ: resuming would mix two different runs. Do not put secrets here: they are stored in `state.json`.
   */
  readonly config: unknown;
  /** The clock (libraries do not read it themselves): stamps every record. */
  readonly now: () => Date;
  /** Delete any existing checkpoint in the directory and start afresh (the CLI confirms with the user first). */
  readonly reset?: boolean;
  /** Notes about stale locks taken over, leftover files removed and damaged artifacts. */
  readonly logger?: Logger;
}

export interface ItemInfo {
  /** How long the work took. */
  readonly seconds?: number;
  /** The key of an artifact saved before (`saveArtifact`) that holds the result. */
  readonly artifact?: string;
  /** Anything else to keep with the item (plain JSON). */
  readonly info?: unknown;
}

export interface SaveArtifactOptions {
  /** File extension (letters and digits): `json` for text by default, `bin` for bytes. */
  readonly extension?: string;
}

export interface SaveModelOptions {
  /** Training time. */
  readonly seconds?: number;
  /** Anything else to keep with the model (plain JSON): parameters, validation score... */
  readonly info?: unknown;
}

/** A checkpoint as read without taking its lock (for `--status` while a trainer runs). */
export interface CheckpointSnapshot {
  readonly directory: string;
  readonly state: CheckpointState;
  /** Artifacts listed in the state whose file is missing or differs (empty when not verified). */
  readonly problems: readonly ArtifactProblem[];
  /** The live process writing the checkpoint, if any. */
  readonly writer: LockHolder | null;
}

function requireText(value: unknown, name: string, maximumLength = 500): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maximumLength) {
    throw new InvalidArgumentError(`${name} must be a non-empty string of at most ${maximumLength} characters, got ${describeValue(value)}`);
  }
  return value;
}

function requirePhase(value: unknown): CheckpointPhase {
  if (typeof value !== 'string' || !(CHECKPOINT_PHASES as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`phase must be one of ${CHECKPOINT_PHASES.join(', ')}, got ${describeValue(value)}`);
  }
  return value as CheckpointPhase;
}

function requireCount(value: unknown, name: string, minimum: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    throw new InvalidArgumentError(`${name} must be an integer >= ${minimum}, got ${describeValue(value)}`);
  }
  return value;
}

function optionalSeconds(value: unknown, name: string): number | null {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a finite number of seconds >= 0, got ${describeValue(value)}`);
  }
  return value;
}

function optionalJson(value: unknown, name: string): JsonValue | null {
  return value === undefined ? null : toJsonValue(value, name);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Removes what a checkpoint directory holds (state, artifacts, temporary files), not the lock. */
function removeCheckpointFiles(directory: string): boolean {
  const statePath = join(directory, STATE_FILE_NAME);
  const artifactsPath = join(directory, ARTIFACTS_FOLDER);
  const existed = existsSync(statePath) || existsSync(artifactsPath);
  // The state goes first: once it is gone, no leftover artifact is referenced by anything.
  rmSync(statePath, { force: true });
  rmSync(artifactsPath, { recursive: true, force: true });
  for (const name of readdirSync(directory)) if (isTemporaryName(name)) rmSync(join(directory, name), { force: true });
  fsyncDirectory(directory);
  return existed;
}

function readStateFile(directory: string): CheckpointState | null {
  const path = join(directory, STATE_FILE_NAME);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  return parseState(text, path);
}

function verifyAll(directory: string, artifacts: readonly ArtifactRecord[]): ArtifactProblem[] {
  const folder = join(directory, ARTIFACTS_FOLDER);
  const problems: ArtifactProblem[] = [];
  for (const record of artifacts) {
    const { problem } = inspectArtifact(folder, record);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

/**
 * Reads a checkpoint without taking its lock: for `--status`, also while a trainer is writing it. Returns null when
 * the directory holds no checkpoint. Throws `FormatError` / `IncompatibleVersionError` for a damaged or newer state.
 */
export function readCheckpoint(directory: string, options: { verifyArtifacts?: boolean } = {}): CheckpointSnapshot | null {
  requireText(directory, 'directory', 4096);
  const verify = options.verifyArtifacts ?? true;
  let state: CheckpointState | null = null;
  let problems: ArtifactProblem[] = [];
  // A writer may replace an artifact (and delete its old file) between our reading the state and its files: a problem
  // seen while the state changed underneath is read again rather than reported.
  for (let attempt = 0; attempt < 3; attempt++) {
    state = readStateFile(directory);
    if (state === null) return null;
    problems = verify ? verifyAll(directory, state.artifacts) : [];
    if (problems.length === 0) break;
    const again = readStateFile(directory);
    if (again === null || again.updatedAt === state.updatedAt) break;
  }
  const lock = readLockFile(join(directory, LOCK_FILE_NAME));
  const writer = lock.kind === 'held' && isHolderLive(lock.holder) ? lock.holder : null;
  return { directory, state: state!, problems, writer };
}

/**
 * Deletes a run's checkpoint (state, artifacts, then the directory when nothing else is in it), also a damaged one.
 * Refused with `StateError` while a live process holds its lock. Returns false when there was nothing to delete.
 * Asking the user for confirmation is the caller's job.
 */
export function resetCheckpoint(directory: string): boolean {
  requireText(directory, 'directory', 4096);
  if (!existsSync(directory)) return false;
  const lock = acquireLock({ directory, acquiredAt: null });
  let existed: boolean;
  try {
    existed = removeCheckpointFiles(directory);
  } finally {
    releaseLock(directory, lock);
  }
  try {
    rmdirSync(directory);
    fsyncDirectory(dirname(directory));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error;
  }
  return existed;
}

/** The status of a checkpoint read with `readCheckpoint`. */
export function checkpointStatus(snapshot: CheckpointSnapshot): CheckpointStatus {
  return summarizeState(snapshot.directory, snapshot.state, snapshot.problems, snapshot.writer);
}

/** The open, locked checkpoint of a run. Not safe to share between processes: that is what the lock prevents. */
export class CheckpointStore {
  readonly directory: string;
  readonly runId: string;
  /** True when an existing checkpoint was loaded (the run resumes), false when it started afresh. */
  readonly resumed: boolean;

  private readonly now: () => Date;
  private readonly logger: Logger;
  private readonly artifactsDirectory: string;
  private readonly lock: LockHolder;
  private config: JsonValue;
  private configFingerprint: string;
  private createdAt: string;
  private updatedAt: string;
  private currentPhase: CheckpointPhase = 'ingest';
  private readonly completed = new Map<string, CompletedSymbol>();
  private readonly failed = new Map<string, FailedSymbol>();
  private readonly items = new Map<CheckpointPhase, Map<string, CompletedItem>>(CHECKPOINT_PHASES.map((phase) => [phase, new Map()]));
  private readonly artifacts = new Map<string, ArtifactRecord>();
  private readonly damaged = new Map<string, ArtifactProblem>();
  private evaluationSummary: JsonValue | null = null;
  private closed = false;
  /** Set when a write failed: memory may be ahead of the disk, so further records are refused until reopened. */
  private writeFailure: unknown = undefined;

  private constructor(options: OpenCheckpointOptions, lock: LockHolder, config: JsonValue, existing: CheckpointState | null, stamp: string) {
    this.directory = options.directory;
    this.runId = options.runId;
    this.now = options.now;
    this.logger = options.logger ?? silentLogger;
    this.artifactsDirectory = join(options.directory, ARTIFACTS_FOLDER);
    this.lock = lock;
    this.config = config;
    this.configFingerprint = fingerprintConfig(config);
    this.createdAt = stamp;
    this.updatedAt = stamp;
    this.resumed = existing !== null;
    if (existing !== null) this.load(existing);
  }

  /**
   * Opens (or creates) the checkpoint of a run and takes its lock. Throws `StateError` when another live process holds
   * the lock, or the existing checkpoint belongs to another run or was made with other options; `FormatError` /
   * `IncompatibleVersionError` when `state.json` is damaged or newer (pass `reset: true` to start afresh).
   */
  static open(options: OpenCheckpointOptions): CheckpointStore {
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`options must be an object, got ${describeValue(options)}`);
    const directory = requireText(options.directory, 'directory', 4096);
    const runId = requireText(options.runId, 'runId', 200);
    if (typeof options.now !== 'function') throw new InvalidArgumentError(`now must be a function returning a Date, got ${describeValue(options.now)}`);
    const config = toJsonValue(options.config, 'config');
    const stamp = timestamp(options.now);
    const logger = options.logger ?? silentLogger;

    const created = mkdirSync(directory, { recursive: true });
    if (created !== undefined) fsyncDirectory(dirname(created));
    const lock = acquireLock({
      directory,
      acquiredAt: stamp,
      onStale: (holder) =>
        logger.warn('taking over a stale checkpoint lock', { directory, pid: holder?.pid ?? null, hostname: holder?.hostname ?? null }),
    });
    try {
      if (options.reset === true && removeCheckpointFiles(directory)) logger.info('checkpoint reset', { directory, runId });
      const existing = readStateFile(directory);
      if (existing !== null) {
        if (existing.runId !== runId) {
          throw new StateError(`checkpoint ${directory} belongs to run "${existing.runId}", not "${runId}": use that run's directory, or reset it`, {
            details: { directory, expected: runId, found: existing.runId },
          });
        }
        if (existing.configFingerprint !== fingerprintConfig(config)) {
          const differences = describeJsonDifferences(existing.config, config);
          throw new StateError(
            `checkpoint ${directory} was made with other options, so resuming would mix two runs. Differences (checkpoint -> now): ` +
              `${differences.slice(0, 8).join('; ')}${differences.length > 8 ? `; and ${differences.length - 8} more` : ''}. ` +
              'Run again with the same options, or reset the checkpoint to start afresh',
            { details: { directory, differences, checkpointFingerprint: existing.configFingerprint, fingerprint: fingerprintConfig(config) } },
          );
        }
      }
      const store = new CheckpointStore({ ...options, directory, runId }, lock, config, existing, stamp);
      store.cleanLeftovers();
      if (existing === null) store.persist(stamp);
      return store;
    } catch (error) {
      releaseLock(directory, lock);
      throw error;
    }
  }

  private load(state: CheckpointState): void {
    this.config = state.config;
    this.configFingerprint = state.configFingerprint;
    this.createdAt = state.createdAt;
    this.updatedAt = state.updatedAt;
    this.currentPhase = state.phase;
    for (const record of state.completedSymbols) this.completed.set(record.symbol, record);
    for (const record of state.failedSymbols) this.failed.set(record.symbol, record);
    for (const phase of CHECKPOINT_PHASES) {
      const map = this.items.get(phase)!;
      for (const item of state.items[phase]) map.set(item.key, item);
    }
    for (const record of state.artifacts) this.artifacts.set(record.key, record);
    this.evaluationSummary = state.evaluation;
    for (const problem of verifyAll(this.directory, state.artifacts)) {
      this.damaged.set(problem.key, problem);
      this.logger.warn(`${problem.message}: the work that produced it will be redone`, { directory: this.directory, key: problem.key, kind: problem.kind });
    }
  }

  /** Removes temporary files of interrupted writes and artifact files no state refers to (replaced versions). */
  private cleanLeftovers(): void {
    let removed = 0;
    for (const name of readdirSync(this.directory)) {
      if (isTemporaryName(name)) {
        rmSync(join(this.directory, name), { force: true });
        removed++;
      }
    }
    if (existsSync(this.artifactsDirectory)) {
      const referenced = new Set([...this.artifacts.values()].map((record) => record.fileName));
      for (const name of readdirSync(this.artifactsDirectory)) {
        if (!referenced.has(name)) {
          rmSync(join(this.artifactsDirectory, name), { force: true });
          removed++;
        }
      }
    }
    if (removed > 0) this.logger.debug('removed leftover checkpoint files', { directory: this.directory, count: removed });
  }

  private assertWritable(): void {
    if (this.closed) throw new StateError(`checkpoint ${this.directory} is closed`);
    if (this.writeFailure !== undefined) {
      throw new StateError(`an earlier write to checkpoint ${this.directory} failed; reopen it to continue from what is on disk`, {
        cause: this.writeFailure,
      });
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StateError(`checkpoint ${this.directory} is closed`);
  }

  /** The state as it is on disk (a copy). */
  get state(): CheckpointState {
    this.assertOpen();
    return this.snapshot();
  }

  /** Artifacts found missing or altered when the checkpoint was opened, and not saved again since. */
  get problems(): readonly ArtifactProblem[] {
    return [...this.damaged.values()];
  }

  /** The phase the run is in. */
  get phase(): CheckpointPhase {
    return this.currentPhase;
  }

  private snapshot(): CheckpointState {
    const items = {} as Record<CheckpointPhase, CompletedItem[]>;
    for (const phase of CHECKPOINT_PHASES) items[phase] = [...this.items.get(phase)!.values()];
    return {
      formatVersion: CHECKPOINT_FORMAT_VERSION,
      runId: this.runId,
      configFingerprint: this.configFingerprint,
      config: this.config,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      phase: this.currentPhase,
      completedSymbols: [...this.completed.values()],
      failedSymbols: [...this.failed.values()],
      items,
      artifacts: [...this.artifacts.values()],
      evaluation: this.evaluationSummary,
    };
  }

  /** Writes the state atomically. Any failure leaves the store refusing further records (memory is ahead of disk). */
  private persist(stamp: string): void {
    try {
      this.updatedAt = stamp;
      writeFileAtomic(this.directory, STATE_FILE_NAME, `${JSON.stringify(this.snapshot(), null, 1)}\n`);
    } catch (error) {
      this.writeFailure = error;
      throw error;
    }
  }

  /**
   * Applies a change to the in-memory state and persists it. The time is read before anything changes, so a failing
   * clock leaves memory untouched; all arguments are checked before this is called.
   */
  private record(change: (stamp: string) => void): void {
    this.assertWritable();
    const stamp = timestamp(this.now);
    change(stamp);
    this.persist(stamp);
  }

  // ---- symbols ----

  /** Records that a symbol was ingested and produced `samples` labelled rows (replacing an earlier failure). */
  markSymbolCompleted(symbol: string, samples: number): void {
    requireText(symbol, 'symbol', 100);
    requireCount(samples, `samples of ${symbol}`, 0);
    this.record((stamp) => {
      this.failed.delete(symbol);
      this.completed.delete(symbol); // re-inserted last: the list keeps completion order
      this.completed.set(symbol, { symbol, samples, completedAt: stamp });
    });
  }

  /** Records why a symbol could not be used (replacing an earlier outcome: the latest one counts). */
  markSymbolFailed(failure: SymbolFailure): void {
    if (failure === null || typeof failure !== 'object') throw new InvalidArgumentError(`failure must be an object, got ${describeValue(failure)}`);
    const symbol = requireText(failure.symbol, 'failure.symbol', 100);
    const source = requireText(failure.source, `failure.source of ${symbol}`, 100);
    const code = requireText(failure.code, `failure.code of ${symbol}`, 100);
    if (typeof failure.reason !== 'string') throw new InvalidArgumentError(`failure.reason of ${symbol} must be a string, got ${describeValue(failure.reason)}`);
    const attempts = requireCount(failure.attempts, `failure.attempts of ${symbol}`, 1);
    this.record((stamp) => {
      this.completed.delete(symbol);
      this.failed.delete(symbol);
      this.failed.set(symbol, { symbol, source, code, reason: failure.reason, attempts, failedAt: stamp });
    });
  }

  isSymbolCompleted(symbol: string): boolean {
    return this.completed.has(symbol);
  }

  /** The failure recorded for a symbol, if its latest outcome was a failure. */
  symbolFailure(symbol: string): FailedSymbol | undefined {
    return this.failed.get(symbol);
  }

  completedSymbols(): CompletedSymbol[] {
    return [...this.completed.values()];
  }

  failedSymbols(): FailedSymbol[] {
    return [...this.failed.values()];
  }

  // ---- artifacts ----

  /**
   * Writes the file of an artifact version (atomically, before any state refers to it) and records it in memory.
   * Returns the record and the file of the version it replaces, to delete once the new state is on disk.
   */
  private writeArtifact(key: string, data: string | Uint8Array, extension: string, stamp: string): { record: ArtifactRecord; replaced: string | null } {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const sha256 = sha256Hex(bytes);
    const fileName = artifactFileName(key, sha256, extension);
    const previous = this.artifacts.get(key);
    const intact = previous !== undefined && previous.fileName === fileName && !this.damaged.has(key);
    if (!intact) {
      mkdirSync(this.artifactsDirectory, { recursive: true });
      writeFileAtomic(this.artifactsDirectory, fileName, bytes);
    }
    const record: ArtifactRecord = intact ? previous : { key, fileName, sha256, bytes: bytes.length, savedAt: stamp };
    this.artifacts.set(key, record);
    this.damaged.delete(key);
    const replaced = previous !== undefined && previous.fileName !== fileName ? previous.fileName : null;
    return { record, replaced };
  }

  private removeReplaced(fileName: string | null): void {
    // Only after the new state is on disk: until then the old state, which names this file, is the one a crash keeps.
    if (fileName !== null) rmSync(join(this.artifactsDirectory, fileName), { force: true });
  }

  private static checkArtifactInput(key: unknown, data: unknown, options: SaveArtifactOptions | undefined): { key: string; extension: string } {
    const checkedKey = requireText(key, 'artifact key', 200);
    if (typeof data !== 'string' && !(data instanceof Uint8Array)) {
      throw new InvalidArgumentError(`artifact "${checkedKey}" must be a string or a Uint8Array (Buffer), got ${describeValue(data)}`);
    }
    const extension = options?.extension ?? (typeof data === 'string' ? 'json' : 'bin');
    if (typeof extension !== 'string' || !/^[A-Za-z0-9]{1,10}$/.test(extension)) {
      throw new InvalidArgumentError(`extension must be 1 to 10 letters or digits, got ${describeValue(extension)}`);
    }
    return { key: checkedKey, extension };
  }

  /**
   * Saves an artifact (a model's JSON text, bytes...) under `key`, replacing an earlier version: the file is written
   * and synced first, then the state naming it. Saving the same content again writes nothing.
   */
  saveArtifact(key: string, data: string | Uint8Array, options?: SaveArtifactOptions): ArtifactRecord {
    const checked = CheckpointStore.checkArtifactInput(key, data, options);
    this.assertWritable();
    let result: { record: ArtifactRecord; replaced: string | null } | undefined;
    this.record((stamp) => {
      result = this.writeArtifact(checked.key, data, checked.extension, stamp);
    });
    this.removeReplaced(result!.replaced);
    return result!.record;
  }

  /** The record of an artifact, if one was saved under `key`. */
  artifact(key: string): ArtifactRecord | undefined {
    return this.artifacts.get(key);
  }

  /**
   * The bytes of an artifact, checked against its recorded length and SHA-256. `NotFoundError` for an unknown key or a
   * missing file, `FormatError` for a file whose content differs.
   */
  loadArtifact(key: string): Buffer {
    this.assertOpen();
    const record = this.artifacts.get(key);
    if (record === undefined) throw new NotFoundError(`checkpoint ${this.directory} has no artifact "${key}"`, { details: { key } });
    const { problem, content } = inspectArtifact(this.artifactsDirectory, record);
    if (problem !== null) {
      this.damaged.set(key, problem);
      const details = { key, fileName: record.fileName, kind: problem.kind };
      throw problem.kind === 'missing' ? new NotFoundError(problem.message, { details }) : new FormatError(problem.message, { details });
    }
    return content!;
  }

  /** An artifact as UTF-8 text (checked as in `loadArtifact`). */
  loadArtifactText(key: string): string {
    return this.loadArtifact(key).toString('utf8');
  }

  // ---- finished work ----

  /**
   * Records that the work `key` of `phase` is finished (a symbol's features, a fold's model...). With `artifact`, the
   * item counts as done only while that artifact's file is intact.
   */
  markItemDone(phase: CheckpointPhase, key: string, info: ItemInfo = {}): void {
    const item = this.checkItem(phase, key, info);
    this.assertWritable();
    this.record((stamp) => this.setItem(phase, item, stamp));
  }

  private checkItem(phase: CheckpointPhase, key: string, info: ItemInfo): Omit<CompletedItem, 'completedAt'> {
    requirePhase(phase);
    requireText(key, 'item key', 200);
    if (info === null || typeof info !== 'object') throw new InvalidArgumentError(`info of item "${key}" must be an object, got ${describeValue(info)}`);
    const seconds = optionalSeconds(info.seconds, `seconds of item "${key}"`);
    const details = optionalJson(info.info, `info of item "${key}"`);
    const artifact = info.artifact ?? null;
    if (artifact !== null) {
      if (!this.artifacts.has(artifact)) {
        throw new InvalidArgumentError(`item "${key}" refers to artifact ${describeValue(artifact)}, which was not saved: call saveArtifact first`);
      }
      if (this.damaged.has(artifact)) {
        throw new StateError(`item "${key}" refers to artifact "${artifact}", which is damaged (${this.damaged.get(artifact)!.message}): save it again first`);
      }
    }
    return { key, seconds, artifact, info: details };
  }

  private setItem(phase: CheckpointPhase, item: Omit<CompletedItem, 'completedAt'>, stamp: string): void {
    const map = this.items.get(phase)!;
    map.delete(item.key); // re-inserted last: the list keeps completion order
    map.set(item.key, { key: item.key, completedAt: stamp, seconds: item.seconds, artifact: item.artifact, info: item.info });
  }

  /** True when `key` of `phase` is finished and its artifact (if any) is intact: a resumed run skips it. */
  isDone(phase: CheckpointPhase, key: string): boolean {
    const item = this.items.get(requirePhase(phase))!.get(key);
    return item !== undefined && (item.artifact === null || !this.damaged.has(item.artifact));
  }

  /** The record of a finished item (also one whose artifact is damaged: see `isDone`). */
  item(phase: CheckpointPhase, key: string): CompletedItem | undefined {
    return this.items.get(requirePhase(phase))!.get(key);
  }

  /** The finished items of a phase, in completion order, leaving out those whose artifact is damaged. */
  itemsDone(phase: CheckpointPhase): CompletedItem[] {
    return [...this.items.get(requirePhase(phase))!.values()].filter((item) => item.artifact === null || !this.damaged.has(item.artifact));
  }

  // ---- models ----

  private saveResult(phase: CheckpointPhase, itemKey: string, artifactKey: string, data: string | Uint8Array, options: SaveModelOptions): ArtifactRecord {
    const checked = CheckpointStore.checkArtifactInput(artifactKey, data, undefined);
    const seconds = optionalSeconds(options.seconds, `seconds of "${itemKey}"`);
    const info = optionalJson(options.info, `info of "${itemKey}"`);
    this.assertWritable();
    let result: { record: ArtifactRecord; replaced: string | null } | undefined;
    // One state write for both the artifact and the item: a model is either done with its file, or not done.
    this.record((stamp) => {
      result = this.writeArtifact(checked.key, data, checked.extension, stamp);
      this.setItem(phase, { key: itemKey, seconds, artifact: checked.key, info }, stamp);
    });
    this.removeReplaced(result!.replaced);
    return result!.record;
  }

  /**
   * Saves a trained model (its JSON text or bytes) as artifact `model/<name>` and marks item `name` of phase `train`
   * done, in one state write. Name fold models by fold (`fold-2/xgboost`).
   */
  saveModel(name: string, data: string | Uint8Array, options: SaveModelOptions = {}): ArtifactRecord {
    requireText(name, 'model name', 150);
    return this.saveResult('train', name, modelArtifactKey(name), data, options);
  }

  /** A saved model's JSON text, checked against its SHA-256 (`NotFoundError` when not trained). */
  loadModel(name: string): string {
    const item = this.items.get('train')!.get(name);
    if (item === undefined || item.artifact === null) throw new NotFoundError(`checkpoint ${this.directory} has no trained model "${name}"`, { details: { name } });
    return this.loadArtifactText(item.artifact);
  }

  /** Saves the meta-learner as artifact `meta-learner` and marks item `meta-learner` of phase `stack` done. */
  saveMetaLearner(data: string | Uint8Array, options: SaveModelOptions = {}): ArtifactRecord {
    return this.saveResult('stack', META_LEARNER_KEY, META_LEARNER_KEY, data, options);
  }

  /** The meta-learner's JSON text (`NotFoundError` when not trained). */
  loadMetaLearner(): string {
    const item = this.items.get('stack')!.get(META_LEARNER_KEY);
    if (item === undefined || item.artifact === null) throw new NotFoundError(`checkpoint ${this.directory} has no meta-learner`);
    return this.loadArtifactText(item.artifact);
  }

  /** The trained models (items of phase `train` with an artifact), with file, size, hash and training time. */
  models(): ModelSummary[] {
    return [...this.status().models];
  }

  // ---- phase, evaluation ----

  /** Records the phase the run is in now. */
  setPhase(phase: CheckpointPhase): void {
    requirePhase(phase);
    this.assertWritable();
    if (phase === this.currentPhase) return;
    this.record(() => {
      this.currentPhase = phase;
    });
  }

  /** Records the evaluation summary (plain JSON: metrics, the promotion verdict...). */
  setEvaluation(summary: unknown): void {
    const value = toJsonValue(summary, 'evaluation');
    this.record(() => {
      this.evaluationSummary = value;
    });
  }

  /** The evaluation summary, once recorded. */
  evaluation(): JsonValue | null {
    return this.evaluationSummary;
  }

  // ---- lifecycle ----

  /** Progress in numbers (see `formatStatus` for the text). */
  status(): CheckpointStatus {
    return summarizeState(this.directory, this.snapshot(), this.problems, this.lock);
  }

  /**
   * Deletes everything recorded (state and artifacts) and starts the run afresh in the same directory, keeping the
   * lock. Asking the user first is the caller's job.
   */
  reset(): void {
    this.assertOpen();
    removeCheckpointFiles(this.directory);
    this.completed.clear();
    this.failed.clear();
    for (const map of this.items.values()) map.clear();
    this.artifacts.clear();
    this.damaged.clear();
    this.evaluationSummary = null;
    this.currentPhase = 'ingest';
    this.createdAt = timestamp(this.now);
    this.writeFailure = undefined;
    this.persist(this.createdAt);
  }

  /** Releases the lock. The state is already on disk: every record call persisted it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    releaseLock(this.directory, this.lock);
  }
}

function timestamp(now: () => Date): string {
  const date = now();
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(`now() must return a valid Date, got ${describeValue(date)}`);
  }
  return date.toISOString();
}
