/**
 * @quant/checkpoint: crash-safe, versioned checkpoints of training runs. A run resumes after a crash or Ctrl+C from
 * the last completed symbol and the last trained model, with nothing lost and nothing done twice.
 */
export {
  CheckpointStore,
  readCheckpoint,
  resetCheckpoint,
  checkpointStatus,
  modelArtifactKey,
  META_LEARNER_KEY,
} from './store.js';
export type { OpenCheckpointOptions, ItemInfo, SaveArtifactOptions, SaveModelOptions, CheckpointSnapshot } from './store.js';

export {
  CHECKPOINT_FORMAT_VERSION,
  CHECKPOINT_PHASES,
  STATE_FILE_NAME,
  parseState,
  validateState,
} from './state.js';
export type {
  CheckpointPhase,
  CheckpointState,
  CompletedSymbol,
  SymbolFailure,
  FailedSymbol,
  ArtifactRecord,
  CompletedItem,
} from './state.js';

export { ARTIFACTS_FOLDER } from './artifacts.js';
export type { ArtifactProblem } from './artifacts.js';

export { LOCK_FILE_NAME, isProcessAlive } from './lock.js';
export type { LockHolder } from './lock.js';

export { formatStatus } from './status.js';
export type { CheckpointStatus, ModelSummary } from './status.js';

export { canonicalJson, fingerprintConfig, describeJsonDifferences } from './json.js';
export type { JsonValue } from './json.js';

export { writeFileAtomic } from './atomic.js';
