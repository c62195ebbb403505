/**
 * The progress of a run in numbers (`CheckpointStatus`) and as plain-ASCII text for `trainer --status` (any console,
 * including a Windows one without UTF-8, can show it).
 */
import type { ArtifactProblem } from './artifacts.js';
import type { LockHolder } from './lock.js';
import { CHECKPOINT_PHASES, type CheckpointPhase, type CheckpointState, type FailedSymbol } from './state.js';

/** A trained model as recorded in the checkpoint. */
export interface ModelSummary {
  readonly name: string;
  readonly artifact: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly seconds: number | null;
  readonly trainedAt: string;
  /** False when its file was found missing or altered: it will be trained again. */
  readonly intact: boolean;
}

export interface CheckpointStatus {
  readonly directory: string;
  readonly runId: string;
  readonly phase: CheckpointPhase;
  readonly createdAt: string;
  /** The time of the last record (the last update). */
  readonly updatedAt: string;
  readonly symbolsCompleted: number;
  readonly symbolsFailed: number;
  /** Labelled rows of the completed symbols. */
  readonly samples: number;
  readonly failures: readonly FailedSymbol[];
  /** Finished items per phase (those with a damaged artifact left out). */
  readonly itemsDone: { readonly [phase in CheckpointPhase]: number };
  /** Items of phase `train` with an artifact, in training order. */
  readonly models: readonly ModelSummary[];
  readonly metaLearner: ModelSummary | null;
  readonly hasEvaluation: boolean;
  readonly problems: readonly ArtifactProblem[];
  /** The process writing the checkpoint (this one for an open store), or null. */
  readonly writer: LockHolder | null;
}

export function summarizeState(
  directory: string,
  state: CheckpointState,
  problems: readonly ArtifactProblem[],
  writer: LockHolder | null,
): CheckpointStatus {
  const damaged = new Set(problems.map((problem) => problem.key));
  const artifacts = new Map(state.artifacts.map((record) => [record.key, record]));
  const itemsDone = {} as Record<CheckpointPhase, number>;
  for (const phase of CHECKPOINT_PHASES) {
    itemsDone[phase] = state.items[phase].filter((item) => item.artifact === null || !damaged.has(item.artifact)).length;
  }
  const summarize = (phase: CheckpointPhase, key?: string): ModelSummary[] =>
    state.items[phase]
      .filter((item) => item.artifact !== null && (key === undefined || item.key === key))
      .map((item) => {
        const record = artifacts.get(item.artifact!)!;
        return {
          name: item.key,
          artifact: record.key,
          fileName: record.fileName,
          sha256: record.sha256,
          bytes: record.bytes,
          seconds: item.seconds,
          trainedAt: item.completedAt,
          intact: !damaged.has(record.key),
        };
      });
  return {
    directory,
    runId: state.runId,
    phase: state.phase,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    symbolsCompleted: state.completedSymbols.length,
    symbolsFailed: state.failedSymbols.length,
    samples: state.completedSymbols.reduce((total, record) => total + record.samples, 0),
    failures: state.failedSymbols,
    itemsDone,
    models: summarize('train'),
    metaLearner: summarize('stack', 'meta-learner')[0] ?? null,
    hasEvaluation: state.evaluation !== null,
    problems,
    writer,
  };
}

/** Printable ASCII only: anything else (accents in a company name, a check mark in a server message) becomes "?". */
function ascii(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').replace(/[^\x20-\x7e]/g, '?');
}

/** 35120 -> "35,120" (fixed, not the machine's locale). */
export function formatCount(value: number): string {
  return String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatBytes(bytes: number): string {
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${bytes} B`;
}

function formatSeconds(seconds: number | null): string {
  return seconds === null ? '-' : `${seconds.toFixed(1)} s`;
}

function line(label: string, text: string): string {
  return `${label.padEnd(12)}${text}`;
}

/** The maximum number of failed symbols and problems listed one per line; the rest are counted. */
const LISTED = 20;

/** The status as plain-ASCII lines (no trailing newline), for `--status`. */
export function formatStatus(status: CheckpointStatus): string {
  const lines: string[] = [];
  lines.push(line('Run', ascii(status.runId)));
  lines.push(line('Directory', ascii(status.directory)));
  lines.push(line('Phase', `${status.phase}   (${CHECKPOINT_PHASES.map((phase) => (phase === status.phase ? `[${phase}]` : phase)).join(' > ')})`));
  lines.push(line('Started', status.createdAt));
  lines.push(line('Updated', status.updatedAt));
  if (status.writer !== null) {
    lines.push(line('Writer', ascii(`process ${status.writer.pid} on ${status.writer.hostname}${status.writer.acquiredAt === null ? '' : ` since ${status.writer.acquiredAt}`}`)));
  }
  lines.push(
    line('Symbols', `${formatCount(status.symbolsCompleted)} completed (${formatCount(status.samples)} samples), ${formatCount(status.symbolsFailed)} failed`),
  );
  for (const failure of status.failures.slice(0, LISTED)) {
    const attempts = `${failure.attempts} attempt${failure.attempts === 1 ? '' : 's'}`;
    lines.push(line('  failed', ascii(`${failure.symbol.padEnd(6)} ${failure.source} ${failure.code} after ${attempts}: ${failure.reason}`)));
  }
  if (status.failures.length > LISTED) lines.push(line('', `... and ${status.failures.length - LISTED} more failed`));
  lines.push(line('Work done', CHECKPOINT_PHASES.filter((phase) => phase !== 'done').map((phase) => `${phase} ${status.itemsDone[phase]}`).join(', ')));
  const trainingSeconds = status.models.reduce((total, model) => total + (model.seconds ?? 0), 0);
  lines.push(line('Models', status.models.length === 0 ? 'none trained yet' : `${status.models.length} trained, ${formatSeconds(trainingSeconds)} of training`));
  const nameWidth = Math.min(40, Math.max(0, ...status.models.map((model) => model.name.length)));
  for (const model of status.models) {
    const damage = model.intact ? '' : '  DAMAGED: will be retrained';
    lines.push(line('  model', ascii(`${model.name.padEnd(nameWidth)}  ${formatSeconds(model.seconds).padStart(8)}  ${formatBytes(model.bytes).padStart(9)}${damage}`)));
  }
  const meta = status.metaLearner;
  lines.push(line('Meta', meta === null ? 'not trained yet' : `trained, ${formatSeconds(meta.seconds)}, ${formatBytes(meta.bytes)}${meta.intact ? '' : '  DAMAGED: will be retrained'}`));
  lines.push(line('Evaluation', status.hasEvaluation ? 'recorded' : 'not yet'));
  if (status.problems.length === 0) {
    lines.push(line('Problems', 'none'));
  } else {
    lines.push(line('Problems', `${status.problems.length} artifact${status.problems.length === 1 ? '' : 's'} missing or altered (the work is redone on resume)`));
    for (const problem of status.problems.slice(0, LISTED)) lines.push(line('', ascii(problem.message)));
    if (status.problems.length > LISTED) lines.push(line('', `... and ${status.problems.length - LISTED} more`));
  }
  return lines.join('\n');
}
